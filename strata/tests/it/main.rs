//! End-to-end tests of the default scanner on real images built from Debian packages
//! (scripts/build-test-images.sh).

mod esm;
mod images;
mod peers;
