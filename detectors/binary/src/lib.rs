//! Middleware and runtimes identified from ELF binaries by byte patterns.
