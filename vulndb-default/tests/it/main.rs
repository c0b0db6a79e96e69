//! Tests of the embedded database.
