//! Vulnerability database.
