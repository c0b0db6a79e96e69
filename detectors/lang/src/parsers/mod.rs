//! Pure parsers: bytes in, records or an [`crate::Error`] out. Public so fuzz targets and
//! tools can drive them without the engine. None panics on any input, and none allocates
//! from a length read from the input without a cap.

pub mod composer;
pub mod dotnet;
pub mod elf;
pub mod gemspec;
pub mod gobuildinfo;
pub mod npm;
pub mod pnpm;
pub mod python;
pub mod rustaudit;
pub mod yarn;
pub mod zip;

/// One package as a parser saw it, before it becomes a [`strata_core::Package`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Record {
    /// Name as the ecosystem spells it.
    pub name: String,
    /// Version as written.
    pub version: String,
    /// Declared licenses.
    pub licenses: Vec<String>,
    /// Direct (`Some(true)`), indirect (`Some(false)`) or unknown.
    pub direct: Option<bool>,
    /// Dev-only dependency (lock files).
    pub dev: bool,
    /// The root (main) module or crate of a binary or project.
    pub root: bool,
}

impl Record {
    pub(crate) fn new(name: impl Into<String>, version: impl Into<String>) -> Self {
        Record {
            name: name.into(),
            version: version.into(),
            ..Default::default()
        }
    }
}
