//! The previous (allocating) Composer, Maven and OSV-walk implementations, kept
//! as test oracles: the allocation-free ones must agree with them on every input.

#![allow(dead_code, unreachable_pub)]

mod composer;
mod maven;
mod osv;
mod tests;
