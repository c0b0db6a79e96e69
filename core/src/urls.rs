//! [`UrlList`]: a finding's reference URLs in one shared allocation.

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The iterator of [`UrlList::iter`].
pub type Urls<'a> = std::iter::Flatten<std::option::IntoIter<std::str::Split<'a, char>>>;

/// A list of URLs held as one shared string, one URL per line.
///
/// The findings of one advisory share its references, and an advisory has a handful of
/// them (3.3 on average over the embedded database's hits): one allocation for the list
/// instead of one per URL plus the list keeps matching from spending its time in the
/// allocator, and cloning is one reference count.
///
/// A URL cannot hold a line break (RFC 3986 has no unescaped whitespace), so the
/// representation loses nothing for URLs: an item that holds `\n` or `\r` anyway gets it
/// percent-encoded (`%0A`, `%0D`), as a URL would carry it, and empty items are dropped.
/// Serialised, it is a plain list of strings.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct UrlList(Option<Arc<str>>);

impl UrlList {
    /// An empty list (no allocation).
    pub const fn new() -> Self {
        UrlList(None)
    }

    /// The URLs, in order.
    pub fn iter(&self) -> Urls<'_> {
        self.0.as_deref().map(|s| s.split('\n')).into_iter().flatten()
    }

    /// The first URL.
    pub fn first(&self) -> Option<&str> {
        self.iter().next()
    }

    /// How many URLs there are.
    pub fn len(&self) -> usize {
        self.0.as_deref().map_or(0, |s| 1 + memchr::memchr_iter(b'\n', s.as_bytes()).count())
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_none()
    }

    /// The URLs, one per line (empty when there are none).
    pub fn as_lines(&self) -> &str {
        self.0.as_deref().unwrap_or("")
    }
}

impl<S: AsRef<str>> FromIterator<S> for UrlList {
    fn from_iter<I: IntoIterator<Item = S>>(items: I) -> Self {
        let items: Vec<S> = items.into_iter().collect();
        UrlList::from(items.as_slice())
    }
}

impl<S: AsRef<str>> From<Vec<S>> for UrlList {
    fn from(items: Vec<S>) -> Self {
        UrlList::from(items.as_slice())
    }
}

impl<S: AsRef<str>> From<&[S]> for UrlList {
    fn from(items: &[S]) -> Self {
        UrlList::build(items, &mut String::new())
    }
}

impl UrlList {
    /// The list of `items`, with `buf` as the space to assemble the text in: a caller
    /// that builds many lists keeps one buffer, and each list is then one allocation.
    pub fn build<S: AsRef<str>>(items: &[S], buf: &mut String) -> Self {
        buf.clear();
        buf.reserve(items.iter().map(|s| s.as_ref().len() + 1).sum());
        for item in items {
            let item = item.as_ref();
            if item.is_empty() {
                continue;
            }
            if !buf.is_empty() {
                buf.push('\n');
            }
            if memchr::memchr2(b'\n', b'\r', item.as_bytes()).is_none() {
                buf.push_str(item);
                continue;
            }
            for c in item.chars() {
                match c {
                    '\n' => buf.push_str("%0A"),
                    '\r' => buf.push_str("%0D"),
                    c => buf.push(c),
                }
            }
        }
        UrlList((!buf.is_empty()).then(|| Arc::from(buf.as_str())))
    }
}

impl<'a> IntoIterator for &'a UrlList {
    type Item = &'a str;
    type IntoIter = Urls<'a>;

    fn into_iter(self) -> Urls<'a> {
        self.iter()
    }
}

impl fmt::Debug for UrlList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Serialize for UrlList {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for UrlList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Vec::<String>::deserialize(d).map(UrlList::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_urls_in_order_and_round_trips_as_a_json_list() {
        let urls = ["https://nvd.nist.gov/vuln/detail/CVE-2021-44228", "https://logging.apache.org/log4j/2.x/security.html"];
        let list: UrlList = urls.iter().collect();
        assert_eq!(list.iter().collect::<Vec<_>>(), urls);
        assert_eq!((list.len(), list.first()), (2, Some(urls[0])));
        let json = serde_json::to_string(&list).expect("serialises");
        assert_eq!(json, serde_json::to_string(&urls).expect("serialises"));
        assert_eq!(serde_json::from_str::<UrlList>(&json).expect("parses"), list);
        assert_eq!(format!("{list:?}"), format!("{urls:?}"));
    }

    #[test]
    fn empty_lists_and_items() {
        let none = UrlList::new();
        assert!(none.is_empty() && none.first().is_none());
        assert_eq!((none.len(), none.iter().count(), none.as_lines()), (0, 0, ""));
        assert_eq!(serde_json::to_string(&none).expect("serialises"), "[]");
        // Empty items are no references.
        let list = UrlList::from(vec!["", "https://a.example/", ""]);
        assert_eq!(list.iter().collect::<Vec<_>>(), ["https://a.example/"]);
        assert_eq!(UrlList::from(vec![""; 3]), none);
        assert_eq!(serde_json::from_str::<UrlList>("[]").expect("parses"), none);
        assert!(serde_json::from_str::<UrlList>("\"https://a.example/\"").is_err());
    }

    #[test]
    fn line_breaks_inside_an_item_are_percent_encoded() {
        let list = UrlList::from(vec!["https://a.example/x\ny", "https://b.example/\r\n", "https://c.example/"]);
        assert_eq!(list.len(), 3);
        assert_eq!(
            list.iter().collect::<Vec<_>>(),
            ["https://a.example/x%0Ay", "https://b.example/%0D%0A", "https://c.example/"]
        );
        // Multi-byte text around an encoded break is kept.
        assert_eq!(UrlList::from(vec!["https://例え.jp/\nä"]).first(), Some("https://例え.jp/%0Aä"));
    }

    #[test]
    fn a_reused_buffer_leaves_nothing_behind() {
        let mut buf = String::from("stale text");
        let a = UrlList::build(&["https://a.example/", "https://b.example/"], &mut buf);
        let b = UrlList::build(&["https://c.example/"], &mut buf);
        let none = UrlList::build::<&str>(&[], &mut buf);
        assert_eq!(a.iter().collect::<Vec<_>>(), ["https://a.example/", "https://b.example/"]);
        assert_eq!(b.iter().collect::<Vec<_>>(), ["https://c.example/"]);
        assert!(none.is_empty());
        assert_eq!(a, UrlList::from(vec!["https://a.example/", "https://b.example/"]));
    }
}
