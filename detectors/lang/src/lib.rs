//! Application packages: Java archives, language ecosystems, middleware binaries.
