//! Integration tests: excerpts of real Debian binaries, the real `apps` image, the engine.

mod fixtures;
mod images;
