//! Secrets in files and in the image config.
