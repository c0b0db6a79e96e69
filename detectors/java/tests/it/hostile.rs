//! Hostile archives built in code: zip bombs, nesting past the depth limit, truncated or
//! corrupt central directories, entity-expansion pom.xml. Diagnostics, bounded work, no
//! panic.

use strata_detect_java::JavaConfig;

use crate::nested::log4j_core_jar;
use crate::zipw::{Member, ZipW};
use crate::{codes, scan, scan_with, testdata, triples};

/// 42.zip-style: each level holds `fan` deflated copies of the level below; the bottom
/// holds a pom.properties and a stored run of zeros that deflates ~1000:1 one level up.
fn bomb(levels: usize, fan: usize, pad: usize) -> Vec<u8> {
    let mut cur = ZipW::new()
        .deflated(
            "META-INF/maven/bomb/leaf/pom.properties",
            b"groupId=bomb\nartifactId=leaf\nversion=1\n",
        )
        .stored("pad.bin", &vec![0u8; pad])
        .build();
    for _ in 0..levels {
        let mut z = ZipW::new();
        for i in 0..fan {
            z = z.deflated(&format!("lib/l{i}.jar"), &cur);
        }
        cur = z.build();
    }
    cur
}

#[test]
fn nested_bomb_trips_the_byte_budget_once() {
    // 16 x 16 x 1 MiB = 256 MiB uncompressed below a ~30 KiB file; budget 32 MiB.
    let data = bomb(2, 16, 1 << 20);
    assert!(data.len() < 256 << 10, "bomb is {} bytes", data.len());
    let cfg = JavaConfig {
        max_archive_bytes: 32 << 20,
        ..JavaConfig::default()
    };
    let scan = strata_detect_java::scan_archive(&cfg, None, "/bomb.jar", &data);
    assert_eq!(codes(&scan.diagnostics), vec!["java-archive-limit"]);
    // Some leaves were read before the budget ran out, far from all 256.
    let n = scan.packages.len();
    assert!(n > 0 && n < 32, "{n} packages");
    assert!(
        scan.bytes_read <= 32 << 20 && scan.bytes_read > 16 << 20,
        "{}",
        scan.bytes_read
    );
    assert_eq!(scan.max_depth_opened, 2);
}

#[test]
fn declared_size_lies_are_refused_before_inflating() {
    // A member claiming 4 GB from a few bytes: deflate cannot do that.
    let jar = ZipW::new()
        .member(Member {
            name: "inner.jar".into(),
            data: vec![0; 100],
            deflate: true,
            declared_size: Some(0xFFFF_FFF0),
        })
        .member(Member {
            name: "big.jar".into(),
            data: vec![0; 2 << 20],
            deflate: true,
            declared_size: None,
        })
        .build();
    let (_, diags) = scan("/lie.jar", &jar);
    assert!(
        diags
            .iter()
            .any(|d| d.code == "java-archive-bomb" && d.message.contains("inner.jar")),
        "{diags:?}"
    );
    // A member declaring less than it inflates to is cut at the declared size and refused.
    let jar = ZipW::new()
        .member(Member {
            name: "short.jar".into(),
            data: vec![7; 10_000],
            deflate: true,
            declared_size: Some(100),
        })
        .build();
    let (_, diags) = scan("/short.jar", &jar);
    assert_eq!(codes(&diags), vec!["java-archive-malformed"]);
    assert!(diags[0].message.contains("differs"), "{diags:?}");
}

#[test]
fn nesting_past_the_depth_limit_stops_with_a_diagnostic() {
    // Level k holds pom.properties for artifact `l<k>` and the next level.
    let mut cur = ZipW::new()
        .deflated(
            "META-INF/maven/deep/l8/pom.properties",
            b"groupId=deep\nartifactId=l8\nversion=1\n",
        )
        .build();
    for k in (0..8).rev() {
        cur = ZipW::new()
            .deflated(
                &format!("META-INF/maven/deep/l{k}/pom.properties"),
                format!("groupId=deep\nartifactId=l{k}\nversion=1\n").as_bytes(),
            )
            .deflated(&format!("lib/l{}.jar", k + 1), &cur)
            .build();
    }
    let cfg = JavaConfig {
        max_depth: 3,
        ..JavaConfig::default()
    };
    let scan = strata_detect_java::scan_archive(&cfg, None, "/deep.jar", &cur);
    assert_eq!(scan.max_depth_opened, 3);
    let (pkgs, diags) = (scan.packages, scan.diagnostics);
    let names: Vec<String> = triples(&pkgs).into_iter().map(|t| t.0).collect();
    assert_eq!(names, vec!["deep:l0", "deep:l1", "deep:l2", "deep:l3"]);
    assert_eq!(codes(&diags), vec!["java-archive-depth"]);
    assert_eq!(
        diags[0].path.as_deref(),
        Some("/deep.jar!/lib/l1.jar!/lib/l2.jar!/lib/l3.jar")
    );
}

#[test]
fn entry_limit_counts_nested_entries() {
    let cfg = JavaConfig {
        max_entries: 5,
        ..JavaConfig::default()
    };
    let (pkgs, diags) = scan_with(&cfg, None, "/app/maven.war", &testdata("maven.war"));
    assert!(pkgs.is_empty());
    assert_eq!(codes(&diags), vec!["java-archive-limit"]);
}

#[test]
fn truncated_archives_give_diagnostics_not_panics() {
    let data = testdata("maven.war");
    // Cut inside the central directory, in the middle, and near the start.
    for cut in [
        data.len() - 1,
        data.len() - 30,
        data.len() - 5000,
        data.len() / 2,
        100,
        3,
    ] {
        let (pkgs, diags) = scan("/t.war", &data[..cut]);
        assert!(pkgs.is_empty(), "cut {cut}");
        assert_eq!(codes(&diags), vec!["java-archive-malformed"], "cut {cut}");
    }
    // Every prefix of a small nested archive: never a panic.
    let nested = testdata("nested.jar");
    for cut in 0..nested.len() {
        let _ = scan("/n.jar", &nested[..cut]);
    }
}

#[test]
fn corrupt_central_directory_offsets() {
    let mut data = testdata("nested.jar");
    let eocd = data.len() - 22;
    // Point the central directory at the start of the file, then past its end.
    data[eocd + 16..eocd + 20].copy_from_slice(&0u32.to_le_bytes());
    let (pkgs, diags) = scan("/c.jar", &data);
    assert!(pkgs.is_empty());
    assert!(
        !diags.is_empty() && codes(&diags).iter().all(|c| *c == "java-archive-malformed"),
        "{diags:?}"
    );
    data[eocd + 12..eocd + 16].copy_from_slice(&u32::MAX.to_le_bytes());
    let (_, diags) = scan("/c.jar", &data);
    assert_eq!(codes(&diags), vec!["java-archive-malformed"]);
    // Bytes flipped all over a real jar: whatever happens, no panic.
    let orig = testdata("multi-license-1.0.0.jar");
    let mut seed: u32 = 12345;
    for _ in 0..300 {
        let mut d = orig.clone();
        for _ in 0..8 {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
            let i = (seed as usize >> 3) % d.len();
            d[i] = (seed >> 16) as u8;
        }
        let _ = scan("/f.jar", &d);
    }
}

#[test]
fn entity_expansion_pom_is_not_expanded() {
    let mut lol =
        String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE project [\n <!ENTITY lol \"lol\">\n");
    for i in 1..10 {
        lol.push_str(&format!(
            " <!ENTITY lol{i} \"{}\">\n",
            format!(
                "&lol{};",
                if i == 1 {
                    String::new()
                } else {
                    (i - 1).to_string()
                }
            )
            .repeat(10)
        ));
    }
    lol.push_str("]>\n<project><groupId>evil</groupId><artifactId>&lol9;</artifactId><version>1.0</version></project>\n");
    let jar = ZipW::new()
        .deflated("META-INF/maven/evil/x/pom.xml", lol.as_bytes())
        .build();
    let (pkgs, diags) = scan("/opt/evil-2.0.jar", &jar);
    assert_eq!(codes(&diags), vec!["java-pom-entities"]);
    // Nothing from the pom; the file name still speaks.
    assert_eq!(
        triples(&pkgs),
        vec![("evil".into(), "2.0".into(), "/opt/evil-2.0.jar".into())]
    );
}

#[test]
fn overlapping_members_are_refused() {
    // Duplicate the central record of the only member: two names for the same bytes.
    let jar = ZipW::new()
        .stored("lib/log4j-core-2.14.1.jar", &log4j_core_jar())
        .build();
    let eocd = jar.len() - 22;
    let cd = u32::from_le_bytes(jar[eocd + 16..eocd + 20].try_into().unwrap()) as usize;
    let rec = jar[cd..eocd].to_vec();
    let mut evil = jar[..eocd].to_vec();
    evil.extend_from_slice(&rec);
    let mut end = jar[eocd..].to_vec();
    end[8..10].copy_from_slice(&2u16.to_le_bytes());
    end[10..12].copy_from_slice(&2u16.to_le_bytes());
    end[12..16].copy_from_slice(&((rec.len() * 2) as u32).to_le_bytes());
    evil.extend_from_slice(&end);
    let (pkgs, diags) = scan("/q.jar", &evil);
    assert!(pkgs.is_empty());
    assert_eq!(codes(&diags), vec!["java-archive-bomb"]);
}

#[test]
fn diagnostics_and_packages_are_capped() {
    // 300 members that each declare an impossible size: 100 diagnostics and a summary.
    let mut z = ZipW::new();
    for i in 0..300 {
        z = z.member(Member {
            name: format!("lib/x{i}.jar"),
            data: vec![0; 10],
            deflate: true,
            declared_size: Some(0x7FFF_FFFF),
        });
    }
    let (_, diags) = scan("/many.jar", &z.build());
    assert_eq!(diags.len(), 101);
    assert_eq!(diags[100].code, "java-diagnostics-dropped");
    assert!(
        diags[100].message.starts_with("200 more"),
        "{}",
        diags[100].message
    );
}

#[test]
fn package_count_is_capped() {
    let mut z = ZipW::new();
    for i in 0..20_050 {
        z = z.stored(
            &format!("META-INF/maven/g/a{i}/pom.properties"),
            format!("groupId=g\nartifactId=a{i}\nversion=1\n").as_bytes(),
        );
    }
    let (pkgs, diags) = scan("/shade.jar", &z.build());
    assert_eq!(pkgs.len(), 20_000);
    assert_eq!(codes(&diags), vec!["java-archive-limit"]);
}
