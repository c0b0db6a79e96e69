//! Matching against the real feeds shipped in vulndb-default/data.
