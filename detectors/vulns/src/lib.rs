//! Vulnerability matching of the inventory against the database.
