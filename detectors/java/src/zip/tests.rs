use super::*;

/// One stored member `a` = "hello", handcrafted.
fn one_stored() -> Vec<u8> {
    let mut z = Vec::new();
    z.extend_from_slice(&LOCAL_SIG.to_le_bytes());
    z.extend_from_slice(&[20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    z.extend_from_slice(&5u32.to_le_bytes());
    z.extend_from_slice(&5u32.to_le_bytes());
    z.extend_from_slice(&[1, 0, 0, 0]);
    z.extend_from_slice(b"a");
    z.extend_from_slice(b"hello");
    let cd = z.len() as u32;
    z.extend_from_slice(&CENTRAL_SIG.to_le_bytes());
    z.extend_from_slice(&[20, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    z.extend_from_slice(&5u32.to_le_bytes());
    z.extend_from_slice(&5u32.to_le_bytes());
    z.extend_from_slice(&[1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    z.extend_from_slice(&0u32.to_le_bytes());
    z.extend_from_slice(b"a");
    let cd_len = z.len() as u32 - cd;
    z.extend_from_slice(&EOCD_SIG.to_le_bytes());
    z.extend_from_slice(&[0, 0, 0, 0, 1, 0, 1, 0]);
    z.extend_from_slice(&cd_len.to_le_bytes());
    z.extend_from_slice(&cd.to_le_bytes());
    z.extend_from_slice(&[0, 0]);
    z
}

#[test]
fn reads_stored_member_without_copy() {
    let z = one_stored();
    let a = Archive::parse(&z, 10).unwrap();
    assert_eq!(a.entries.len(), 1);
    let body = a.read(&a.entries[0], 100).unwrap();
    assert!(matches!(body, Cow::Borrowed(b"hello")));
}

#[test]
fn every_truncation_is_an_error_not_a_panic() {
    let z = one_stored();
    for n in 0..z.len() {
        let cut = &z[..n];
        if let Ok(a) = Archive::parse(cut, 10) {
            for e in &a.entries {
                let _ = a.read(e, 100);
            }
        }
    }
    assert!(matches!(
        Archive::parse(&z[..z.len() - 1], 10),
        Err(ZipError::NoEndOfCentralDirectory)
    ));
}

#[test]
fn entry_cap_and_budget() {
    let z = one_stored();
    assert!(matches!(
        Archive::parse(&z, 0),
        Err(ZipError::TooManyEntries {
            declared: 1,
            max: 0
        })
    ));
    let a = Archive::parse(&z, 10).unwrap();
    assert!(matches!(
        a.read(&a.entries[0], 4),
        Err(ZipError::TooLarge {
            declared: 5,
            max: 4
        })
    ));
}

#[test]
fn duplicate_central_entries_are_overlaps() {
    // Two central records pointing at the same local header: the overlapping-files bomb.
    let z = one_stored();
    let eocd = z.len() - 22;
    let cd = u32::from_le_bytes(z[eocd + 16..eocd + 20].try_into().unwrap()) as usize;
    let rec = z[cd..eocd].to_vec();
    let mut y = z[..eocd].to_vec();
    y.extend_from_slice(&rec);
    let mut end = z[eocd..].to_vec();
    end[8..10].copy_from_slice(&2u16.to_le_bytes());
    end[10..12].copy_from_slice(&2u16.to_le_bytes());
    end[12..16].copy_from_slice(&((rec.len() * 2) as u32).to_le_bytes());
    y.extend_from_slice(&end);
    assert!(matches!(
        Archive::parse(&y, 10),
        Err(ZipError::OverlappingEntries { .. })
    ));
}

#[test]
fn zip64_records_are_followed() {
    // The classic record saturated, the real values in the Zip64 end record.
    let z = one_stored();
    let eocd = z.len() - 22;
    let cd = u32::from_le_bytes(z[eocd + 16..eocd + 20].try_into().unwrap()) as u64;
    let cd_len = u32::from_le_bytes(z[eocd + 12..eocd + 16].try_into().unwrap()) as u64;
    let mut y = z[..eocd].to_vec();
    let z64 = y.len() as u64;
    y.extend_from_slice(&ZIP64_EOCD_SIG.to_le_bytes());
    y.extend_from_slice(&44u64.to_le_bytes());
    y.extend_from_slice(&[45, 0, 45, 0]);
    y.extend_from_slice(&0u32.to_le_bytes());
    y.extend_from_slice(&0u32.to_le_bytes());
    y.extend_from_slice(&1u64.to_le_bytes());
    y.extend_from_slice(&1u64.to_le_bytes());
    y.extend_from_slice(&cd_len.to_le_bytes());
    y.extend_from_slice(&cd.to_le_bytes());
    y.extend_from_slice(&ZIP64_LOCATOR_SIG.to_le_bytes());
    y.extend_from_slice(&0u32.to_le_bytes());
    y.extend_from_slice(&z64.to_le_bytes());
    y.extend_from_slice(&1u32.to_le_bytes());
    y.extend_from_slice(&EOCD_SIG.to_le_bytes());
    y.extend_from_slice(&[0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF]);
    y.extend_from_slice(&u32::MAX.to_le_bytes());
    y.extend_from_slice(&u32::MAX.to_le_bytes());
    y.extend_from_slice(&[0, 0]);
    let a = Archive::parse(&y, 10).unwrap();
    assert_eq!(a.entries.len(), 1);
    assert_eq!(&*a.read(&a.entries[0], 100).unwrap(), b"hello");
    // A locator pointing nowhere is an error.
    let mut bad = y.clone();
    let loc = bad.len() - 22 - 20;
    bad[loc + 8..loc + 16].copy_from_slice(&7u64.to_le_bytes());
    let n = bad.len();
    // Also break the fallback position (right before the locator).
    bad[loc - 56] = 0;
    assert!(matches!(
        Archive::parse(&bad[..n], 10),
        Err(ZipError::BadZip64)
    ));
}
