//! Integration tests: every detector driven through the `Detector` trait (start, file,
//! finish) as the engine drives it, on the peers' fixtures in `testdata/`, asserted
//! against the peers' expected values.

mod apk;
mod corrupt;
mod dpkg;
mod engine;
mod harness;
mod real_images;
mod release;
mod rpm;
mod speed;
