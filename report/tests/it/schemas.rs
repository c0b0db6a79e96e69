//! Validation against the vendored official schemas (see testdata/schemas/README.md).

use std::path::PathBuf;
use std::sync::OnceLock;

use jsonschema::{Registry, Validator};
use serde_json::Value;
use strata_core::report::ScanOutput;

use crate::{fixtures, render_json};

fn load(name: &str) -> Value {
    let p = PathBuf::from(&*std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()))
        .join("testdata/schemas")
        .join(name);
    serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap()
}

fn build(schema: &Value, extra: &[(&str, &str)]) -> Validator {
    let resources: Vec<(String, Value)> = extra
        .iter()
        .map(|(uri, file)| (uri.to_string(), load(file)))
        .collect();
    let registry = Registry::new()
        .extend(resources)
        .unwrap()
        .prepare()
        .unwrap();
    jsonschema::options()
        .offline()
        .should_validate_formats(true)
        .with_registry(&registry)
        .build(schema)
        .unwrap()
}

/// CycloneDX 1.6 with its two referenced schemas registered under their `$id`s.
pub(crate) fn cyclonedx() -> &'static Validator {
    static V: OnceLock<Validator> = OnceLock::new();
    V.get_or_init(|| {
        build(
            &load("bom-1.6.schema.json"),
            &[
                (
                    "http://cyclonedx.org/schema/spdx.schema.json",
                    "spdx.schema.json",
                ),
                (
                    "http://cyclonedx.org/schema/jsf-0.82.schema.json",
                    "jsf-0.82.schema.json",
                ),
            ],
        )
    })
}

/// SPDX 2.3.
pub(crate) fn spdx() -> &'static Validator {
    static V: OnceLock<Validator> = OnceLock::new();
    V.get_or_init(|| build(&load("spdx-schema-2.3.json"), &[]))
}

/// The SARIF 2.1.0 schema's two `language` patterns have a stray `]` (a known
/// upstream defect) that fail the draft-07 meta-schema's `regex` format, so the validator
/// cannot be built with it. They are dropped at load time; the file stays as vendored. Strata
/// never writes `language`, so the dropped keywords constrain nothing we emit.
const BROKEN_SARIF_PATTERN: &str = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$";

fn drop_broken_pattern(v: &mut Value) -> usize {
    match v {
        Value::Object(m) => {
            let mut n = 0;
            if m.get("pattern").and_then(Value::as_str) == Some(BROKEN_SARIF_PATTERN) {
                m.remove("pattern");
                n += 1;
            }
            n + m.values_mut().map(drop_broken_pattern).sum::<usize>()
        }
        Value::Array(a) => a.iter_mut().map(drop_broken_pattern).sum(),
        _ => 0,
    }
}

/// SARIF 2.1.0.
pub(crate) fn sarif() -> &'static Validator {
    static V: OnceLock<Validator> = OnceLock::new();
    V.get_or_init(|| {
        let mut schema = load("sarif-schema-2.1.0.json");
        assert_eq!(
            drop_broken_pattern(&mut schema),
            2,
            "the vendored SARIF schema changed"
        );
        build(&schema, &[])
    })
}

/// Panics with every schema error.
pub(crate) fn assert_valid(v: &Validator, doc: &Value, what: &str) {
    let errors: Vec<String> = v
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .take(20)
        .collect();
    assert!(
        errors.is_empty(),
        "{what} is not schema-valid:\n{}",
        errors.join("\n")
    );
}

fn check_all(out: &ScanOutput, what: &str) {
    assert_valid(
        cyclonedx(),
        &render_json("cyclonedx", out),
        &format!("cyclonedx of {what}"),
    );
    assert_valid(
        spdx(),
        &render_json("spdx", out),
        &format!("spdx of {what}"),
    );
    assert_valid(
        sarif(),
        &render_json("sarif", out),
        &format!("sarif of {what}"),
    );
}

#[test]
fn full_single_image_is_valid_in_every_schema() {
    check_all(&fixtures::single(), "the full report");
}

#[test]
fn index_is_valid_in_every_schema() {
    check_all(&fixtures::index(), "the two-platform index");
}

#[test]
fn empty_report_is_valid_in_every_schema() {
    check_all(&fixtures::empty(), "an empty report");
}

/// The validators do reject: a broken document fails each schema (guards against a
/// validator that accepts everything, e.g. an unresolved `$ref`).
#[test]
fn validators_reject_broken_documents() {
    let mut bom = render_json("cyclonedx", &fixtures::single());
    bom["components"][0]["licenses"] = serde_json::json!([{"license": {"id": "Not-A-License"}}]);
    assert!(
        !cyclonedx().is_valid(&bom),
        "unknown SPDX id accepted: the spdx.schema.json ref is not resolved"
    );
    let mut bom = render_json("cyclonedx", &fixtures::single());
    bom["serialNumber"] = serde_json::json!("urn:uuid:nope");
    assert!(!cyclonedx().is_valid(&bom));

    let mut doc = render_json("spdx", &fixtures::single());
    doc["relationships"][0]["relationshipType"] = serde_json::json!("OWNS");
    assert!(!spdx().is_valid(&doc));

    let mut log = render_json("sarif", &fixtures::single());
    log["runs"][0]["results"][0]["level"] = serde_json::json!("fatal");
    assert!(!sarif().is_valid(&log));
}
