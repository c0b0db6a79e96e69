//! The embedded default database.
