//! The previous (allocating) Composer and Maven implementations, kept as test
//! oracles: the allocation-free ones must agree with them on every input.

#![allow(dead_code, unreachable_pub)]

mod composer;
mod maven;
mod tests;
