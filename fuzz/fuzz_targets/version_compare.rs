#![no_main]
//! Fuzzes `strata_version::compare`: the first byte picks the scheme, the
//! rest is split at the first NUL into two versions. Checks that comparison
//! never panics and is antisymmetric and reflexive on valid input.

use libfuzzer_sys::fuzz_target;
use strata_version::{Scheme, compare};

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let scheme = Scheme::ALL[first as usize % Scheme::ALL.len()];
    let text = String::from_utf8_lossy(rest);
    let (a, b) = text.split_once('\0').unwrap_or((&*text, "1.0.0"));
    if let (Ok(ab), Ok(ba)) = (compare(scheme, a, b), compare(scheme, b, a)) {
        assert_eq!(ab, ba.reverse(), "{scheme}: {a:?} vs {b:?}");
    }
    if let Ok(o) = compare(scheme, a, a) {
        assert_eq!(o, std::cmp::Ordering::Equal, "{scheme}: {a:?}");
    }
    let _ = strata_version::normalize(scheme, a);
});
