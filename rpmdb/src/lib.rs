//! rpm database readers.
