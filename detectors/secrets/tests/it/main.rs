//! Integration tests of strata-detect-secrets.

mod builtin;
mod config;
mod corpus;
mod engine;
mod throughput;
