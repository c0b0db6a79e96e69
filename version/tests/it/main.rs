//! Integration tests: every scheme against its reference tool's own test
//! vectors (transcribed into `testdata/`, see `testdata/ATTRIBUTION.md`).

mod common;
mod composer;
mod constraints;
mod differential;
mod go;
mod hostile;
mod maven;
mod npm;
mod os;
mod osv;
mod pep440;
mod rubygems;
mod scheme;
