#![no_main]
//! Any bytes as `yarn.lock` (classic and berry) and `pnpm-lock.yaml`.

use libfuzzer_sys::fuzz_target;
use strata_detect_lang::parsers::{pnpm, yarn};

fuzz_target!(|data: &[u8]| {
    let _ = yarn::parse(data);
    let _ = pnpm::parse(data);
});
