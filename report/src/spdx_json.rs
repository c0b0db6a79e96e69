//! SPDX 2.3 JSON.
//!
//! The document DESCRIBES the image (a package with `primaryPackagePurpose: CONTAINER`),
//! which CONTAINS its OS (`OPERATING_SYSTEM`) and every package. For an index the document
//! describes the index package, which CONTAINS one image package per platform. Layer
//! provenance and every other package fact go into `annotations` (`strata:<name>=<value>`,
//! the same names as the CycloneDX properties). `licenseDeclared` is a valid SPDX
//! expression; licenses outside the SPDX list become `LicenseRef-` ids declared in
//! `hasExtractedLicensingInfos`.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};
use strata_core::finding::{Ecosystem, Package};
use strata_core::report::{Report, ScanOutput};

use crate::common::{self, License};

struct Doc {
    packages: Vec<Value>,
    relationships: Vec<Value>,
    extracted: BTreeMap<String, String>,
    ids: BTreeSet<String>,
    created: String,
}

impl Doc {
    fn id(&mut self, kind: &str, name: &str, salt: &str) -> String {
        let h = hex::encode(&common::digest_parts(&[kind, name, salt])[..6]);
        let base = format!("SPDXRef-{kind}-{}-{h}", common::spdx_id_part(name, 60));
        let mut id = base.clone();
        let mut n = 2;
        while !self.ids.insert(id.clone()) {
            id = format!("{base}-{n}");
            n += 1;
        }
        id
    }

    fn annotations(&self, facts: Vec<(String, String)>) -> Value {
        Value::Array(
            facts
                .into_iter()
                .map(|(k, v)| {
                    json!({
                        "annotationDate": self.created,
                        "annotationType": "OTHER",
                        "annotator": format!("Tool: {}-{}", common::TOOL, common::VERSION),
                        "comment": format!("{k}={v}"),
                    })
                })
                .collect(),
        )
    }

    fn contains(&mut self, from: &str, to: &str) {
        self.relationships.push(json!({
            "spdxElementId": from,
            "relationshipType": "CONTAINS",
            "relatedSpdxElement": to,
        }));
    }

    /// `licenseDeclared` for a package.
    fn license_declared(&mut self, p: &Package) -> String {
        let mut parts = Vec::new();
        for l in &p.licenses {
            let part = match common::classify_license(l) {
                License::Id(s) => s,
                License::Expression(s) => format!("({s})"),
                License::Name(s) => {
                    let r = common::license_ref(&s);
                    self.extracted.insert(r.clone(), s);
                    r
                }
            };
            if !parts.contains(&part) {
                parts.push(part);
            }
        }
        match parts.len() {
            0 => "NOASSERTION".into(),
            1 => {
                let s = parts.remove(0);
                match s.strip_prefix('(').and_then(|x| x.strip_suffix(')')) {
                    Some(inner) => inner.to_string(),
                    None => s,
                }
            }
            _ => parts.join(" AND "),
        }
    }

    fn package(&mut self, p: &Package, img_id: &str) {
        let id = self.id(
            "Package",
            &format!("{}-{}", p.name, p.version),
            &format!("{img_id}|{}|{}", p.ecosystem, p.origin.path),
        );
        let mut o = Map::new();
        o.insert("SPDXID".into(), json!(id));
        o.insert("name".into(), json!(p.name));
        if !p.version.is_empty() {
            o.insert("versionInfo".into(), json!(p.version));
        }
        o.insert("downloadLocation".into(), json!("NOASSERTION"));
        o.insert("filesAnalyzed".into(), json!(false));
        o.insert("licenseConcluded".into(), json!("NOASSERTION"));
        let declared = self.license_declared(p);
        o.insert("licenseDeclared".into(), json!(declared));
        o.insert("copyrightText".into(), json!("NOASSERTION"));
        o.insert("supplier".into(), json!(supplier(p.vendor.as_deref())));
        if let (Some(n), v) = (&p.source_name, &p.source_version) {
            let v = v.as_deref().map(|v| format!(" {v}")).unwrap_or_default();
            o.insert(
                "sourceInfo".into(),
                json!(format!("built package from: {n}{v}")),
            );
        }
        let mut refs = Vec::new();
        if let Some(u) = &p.purl {
            refs.push(json!({"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl", "referenceLocator": u}));
        }
        if let Some(c) = &p.cpe {
            let t = if c.starts_with("cpe:2.3:") {
                "cpe23Type"
            } else {
                "cpe22Type"
            };
            refs.push(
                json!({"referenceCategory": "SECURITY", "referenceType": t, "referenceLocator": c}),
            );
        }
        if !refs.is_empty() {
            o.insert("externalRefs".into(), Value::Array(refs));
        }
        let purpose = if p.ecosystem == Ecosystem::Binary {
            "APPLICATION"
        } else {
            "LIBRARY"
        };
        o.insert("primaryPackagePurpose".into(), json!(purpose));
        o.insert(
            "annotations".into(),
            self.annotations(common::package_props(p)),
        );
        self.packages.push(Value::Object(o));
        self.contains(img_id, &id);
    }

    /// Adds one image (package, OS, packages); returns its SPDXID.
    fn image(&mut self, r: &Report, label: Option<&str>) -> String {
        let name = common::image_name(r);
        let id = self.id(
            "Image",
            &format!("{name}-{}", label.unwrap_or("")),
            r.image.digest.as_deref().unwrap_or(""),
        );
        let mut o = Map::new();
        o.insert("SPDXID".into(), json!(id));
        o.insert("name".into(), json!(name));
        if let Some(d) = &r.image.digest {
            o.insert("versionInfo".into(), json!(d));
        }
        o.insert("downloadLocation".into(), json!("NOASSERTION"));
        o.insert("filesAnalyzed".into(), json!(false));
        o.insert("licenseConcluded".into(), json!("NOASSERTION"));
        o.insert("licenseDeclared".into(), json!("NOASSERTION"));
        o.insert("copyrightText".into(), json!("NOASSERTION"));
        o.insert("supplier".into(), json!("NOASSERTION"));
        if let Some(purl) = common::oci_purl(r) {
            o.insert(
                "externalRefs".into(),
                json!([{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl", "referenceLocator": purl}]),
            );
        }
        o.insert("primaryPackagePurpose".into(), json!("CONTAINER"));
        let mut facts = vec![("strata:target".to_string(), r.target.clone())];
        if let Some(l) = label {
            facts.push(("strata:platform:label".into(), l.into()));
        }
        if let Some(d) = &r.image.config_digest {
            facts.push(("strata:image:config_digest".into(), d.clone()));
        }
        if let Some(p) = &r.image.platform {
            facts.push(("strata:image:platform".into(), p.to_string()));
        }
        for t in &r.image.repo_tags {
            facts.push(("strata:image:repo_tag".into(), t.clone()));
        }
        for l in &r.image.layers {
            let k = format!("strata:layer:{}", l.index);
            facts.push((format!("{k}:digest"), l.digest.clone()));
            facts.push((format!("{k}:diff_id"), l.diff_id.clone()));
            facts.push((format!("{k}:size"), l.size.to_string()));
            if !l.created_by.is_empty() {
                facts.push((format!("{k}:created_by"), l.created_by.clone()));
            }
        }
        o.insert("annotations".into(), self.annotations(facts));
        self.packages.push(Value::Object(o));
        if let Some(os) = &r.image.os {
            let os_id = self.id(
                "OperatingSystem",
                &format!("{}-{}", os.family, os.version),
                &id,
            );
            let mut p = json!({
                "SPDXID": os_id,
                "name": os.family,
                "downloadLocation": "NOASSERTION",
                "filesAnalyzed": false,
                "licenseConcluded": "NOASSERTION",
                "licenseDeclared": "NOASSERTION",
                "copyrightText": "NOASSERTION",
                "supplier": "NOASSERTION",
                "primaryPackagePurpose": "OPERATING_SYSTEM",
            });
            if !os.version.is_empty() {
                p["versionInfo"] = json!(os.version);
            }
            if !os.name.is_empty() {
                p["description"] = json!(os.name);
            }
            self.packages.push(p);
            self.contains(&id, &os_id);
        }
        for p in common::sorted_packages(r) {
            self.package(p, &id);
        }
        id
    }
}

/// SPDX `supplier`: `Organization: name (email)` from `Name <email>`, else `NOASSERTION`.
fn supplier(vendor: Option<&str>) -> String {
    let Some(v) = vendor.map(str::trim).filter(|v| !v.is_empty()) else {
        return "NOASSERTION".into();
    };
    let (name, email) = match (v.find('<'), v.rfind('>')) {
        (Some(a), Some(b)) if a < b => (v[..a].trim(), Some(v[a + 1..b].trim())),
        _ => (v, None),
    };
    // The actor grammar uses parentheses for the email: keep them out of the name.
    let name: String = name
        .chars()
        .map(|c| {
            if matches!(c, '(' | ')' | '\n' | '\r') {
                ' '
            } else {
                c
            }
        })
        .collect();
    let name = name.trim();
    if name.is_empty() {
        return "NOASSERTION".into();
    }
    match email.filter(|e| !e.is_empty() && !e.contains(['(', ')'])) {
        Some(e) => format!("Organization: {name} ({e})"),
        None => format!("Organization: {name}"),
    }
}

/// Builds the document.
pub(crate) fn document(out: &ScanOutput, created: u64) -> Value {
    let created_s = common::rfc3339(created);
    let mut doc = Doc {
        packages: Vec::new(),
        relationships: Vec::new(),
        extracted: BTreeMap::new(),
        ids: BTreeSet::new(),
        created: created_s.clone(),
    };
    let name = common::output_name(out);
    let described = match out {
        ScanOutput::Single(r) => doc.image(r, None),
        ScanOutput::Index(i) => {
            let id = doc.id("Index", &i.target, i.digest.as_deref().unwrap_or(""));
            let mut o = json!({
                "SPDXID": id,
                "name": i.target,
                "downloadLocation": "NOASSERTION",
                "filesAnalyzed": false,
                "licenseConcluded": "NOASSERTION",
                "licenseDeclared": "NOASSERTION",
                "copyrightText": "NOASSERTION",
                "supplier": "NOASSERTION",
                "primaryPackagePurpose": "CONTAINER",
            });
            if let Some(d) = &i.digest {
                o["versionInfo"] = json!(d);
            }
            o["annotations"] = doc.annotations(vec![(
                "strata:platforms".into(),
                i.platforms.len().to_string(),
            )]);
            doc.packages.push(o);
            for (label, r) in common::labelled(out) {
                let img = doc.image(r, label.as_deref());
                doc.contains(&id, &img);
            }
            id
        }
    };
    let ident = common::scan_identity(out, created);
    let ident: Vec<&str> = ident.iter().map(String::as_str).collect();
    let ns = format!(
        "https://spdx.org/spdxdocs/{}-{}-{}",
        common::TOOL,
        common::spdx_id_part(&name, 80),
        common::uuid(&ident)
    );
    let mut relationships = vec![json!({
        "spdxElementId": "SPDXRef-DOCUMENT",
        "relationshipType": "DESCRIBES",
        "relatedSpdxElement": described,
    })];
    relationships.append(&mut doc.relationships);
    let mut d = json!({
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": name,
        "documentNamespace": ns,
        "creationInfo": {
            "creators": [format!("Tool: {}-{}", common::TOOL, common::VERSION)],
            "created": created_s,
            "licenseListVersion": common::license_list_version().rsplit_once('.').map(|(a, _)| a).unwrap_or("3.29"),
        },
        "documentDescribes": [described],
        "packages": doc.packages,
        "relationships": relationships,
    });
    if !doc.extracted.is_empty() {
        d["hasExtractedLicensingInfos"] = Value::Array(
            doc.extracted
                .into_iter()
                .map(|(id, text)| json!({"licenseId": id, "extractedText": text, "name": text}))
                .collect(),
        );
    }
    d
}
