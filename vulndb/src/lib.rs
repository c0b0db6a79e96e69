//! Strata's vulnerability database: the advisory model, importers for real feeds and the
//! compiled, indexed database file.

pub mod model;

pub use model::{Advisory, Affected, AffectedStatus, Event, NameKind, Range, RangeKind};
