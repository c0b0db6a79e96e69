//! A small, bounded element tree over `quick-xml`, shared by the CVRF and OVAL importers.
//!
//! The feeds are a few megabytes at most, so a tree is simpler than streaming state machines.
//! Bounds: input size, element count and depth are capped; `<!DOCTYPE>` and entity
//! declarations are ignored (never expanded): only the five predefined entities and numeric
//! character references are decoded, anything else is kept verbatim.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::Error;

/// Largest XML document accepted.
pub(crate) const MAX_XML_BYTES: usize = 256 << 20;
/// Most elements kept from one document.
const MAX_ELEMENTS: usize = 4_000_000;
/// Deepest nesting accepted.
const MAX_DEPTH: usize = 128;

/// One element: local name (namespace prefix stripped), attributes, text and children.
#[derive(Debug, Default)]
pub(crate) struct Element {
    pub(crate) name: String,
    pub(crate) attrs: Vec<(String, String)>,
    pub(crate) text: String,
    pub(crate) children: Vec<Element>,
}

impl Element {
    /// The value of attribute `name` (local name, prefix ignored).
    pub(crate) fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The first child named `name`.
    pub(crate) fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// All children named `name`.
    pub(crate) fn children_named<'a>(
        &'a self,
        name: &'a str,
    ) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// Trimmed text of the first child named `name`, or "".
    pub(crate) fn child_text(&self, name: &str) -> &str {
        self.child(name).map(|c| c.text.trim()).unwrap_or("")
    }

    /// Follows a path of child names.
    pub(crate) fn path(&self, names: &[&str]) -> Option<&Element> {
        let mut cur = self;
        for n in names {
            cur = cur.child(n)?;
        }
        Some(cur)
    }
}

fn local(name: &[u8]) -> String {
    let n = match name.iter().rposition(|&b| b == b':') {
        Some(i) => &name[i + 1..],
        None => name,
    };
    String::from_utf8_lossy(n).into_owned()
}

fn decode_text(raw: &[u8]) -> String {
    let s = String::from_utf8_lossy(raw);
    match quick_xml::escape::unescape(&s) {
        Ok(u) => u.into_owned(),
        // Unknown entity (e.g. one declared in a DOCTYPE): keep the text verbatim, never expand.
        Err(_) => s.into_owned(),
    }
}

fn start_element(e: &BytesStart<'_>) -> Element {
    let mut el = Element {
        name: local(e.name().as_ref()),
        ..Element::default()
    };
    for a in e.attributes().with_checks(false).flatten() {
        el.attrs
            .push((local(a.key.as_ref()), decode_text(&a.value)));
    }
    el
}

/// Parses `bytes` into the root element.
pub(crate) fn parse(bytes: &[u8]) -> Result<Element, Error> {
    parse_skipping(bytes, &[])
}

/// Parses `bytes` into the root element, leaving out (not storing, not counting) every
/// element whose local name is in `skip`, with its subtree.
pub(crate) fn parse_skipping(bytes: &[u8], skip: &[&str]) -> Result<Element, Error> {
    if bytes.len() > MAX_XML_BYTES {
        return Err(Error::TooLarge {
            limit: MAX_XML_BYTES,
        });
    }
    let mut reader = Reader::from_reader(bytes);
    reader.config_mut().check_end_names = false;
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let mut count = 0usize;
    let mut skipping = 0usize;
    let mut buf = Vec::new();
    loop {
        let ev = reader
            .read_event_into(&mut buf)
            .map_err(|e| Error::Xml(e.to_string()))?;
        if skipping > 0 {
            match ev {
                Event::Start(_) => skipping += 1,
                Event::End(_) => skipping -= 1,
                Event::Eof => break,
                _ => {}
            }
            buf.clear();
            continue;
        }
        match ev {
            Event::Start(e)
                if !skip.is_empty() && skip.contains(&local(e.local_name().as_ref()).as_str()) =>
            {
                skipping = 1;
            }
            Event::Empty(e)
                if !skip.is_empty() && skip.contains(&local(e.local_name().as_ref()).as_str()) => {}
            Event::Start(e) => {
                count += 1;
                if count > MAX_ELEMENTS || stack.len() >= MAX_DEPTH {
                    return Err(Error::Malformed(
                        "xml document too large or too deep".into(),
                    ));
                }
                stack.push(start_element(&e));
            }
            Event::Empty(e) => {
                count += 1;
                if count > MAX_ELEMENTS {
                    return Err(Error::Malformed("xml document too large".into()));
                }
                let el = start_element(&e);
                match stack.last_mut() {
                    Some(p) => p.children.push(el),
                    None => {
                        if root.is_none() {
                            root = Some(el);
                        }
                    }
                }
            }
            Event::End(_) => {
                if let Some(el) = stack.pop() {
                    match stack.last_mut() {
                        Some(p) => p.children.push(el),
                        None => {
                            if root.is_none() {
                                root = Some(el);
                            }
                        }
                    }
                }
            }
            Event::Text(t) => {
                if let Some(p) = stack.last_mut() {
                    p.text.push_str(&decode_text(&t));
                }
            }
            Event::GeneralRef(r) => {
                if let Some(p) = stack.last_mut() {
                    let name = String::from_utf8_lossy(&r);
                    p.text
                        .push_str(&decode_text(format!("&{name};").as_bytes()));
                }
            }
            Event::CData(t) => {
                if let Some(p) = stack.last_mut() {
                    p.text.push_str(&String::from_utf8_lossy(&t));
                }
            }
            Event::Eof => break,
            // DOCTYPE, comments, processing instructions, declarations: ignored.
            _ => {}
        }
        buf.clear();
    }
    // Truncated document: close what is open so partial data is still usable.
    while let Some(el) = stack.pop() {
        match stack.last_mut() {
            Some(p) => p.children.push(el),
            None => {
                if root.is_none() {
                    root = Some(el);
                }
            }
        }
    }
    root.ok_or_else(|| Error::Malformed("no xml root element".into()))
}
