//! The built-in classifiers: which file names each one looks at, the byte patterns that
//! carry a version, and the CPE/purl of the result. Written for Strata after studying
//! the shapes Syft's binary classifiers document (Apache-2.0). Checked against real
//! Debian bookworm binaries (`tests/it`, `testdata/`): the main pattern of every
//! classifier except `mysql-binary` (Debian ships MariaDB only). Not verified on real
//! bytes here: Oracle MySQL, and the fallbacks for old releases (Redis 2.x, Node 0.x-6.x,
//! `HA-Proxy version`).

use regex::bytes::Regex;

/// How a raw captured version is cleaned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Post {
    /// As captured.
    None,
    /// OpenJDK: `17.0.21.1+2-1-deb12u1-Debian` → `17.0.21.1+2` (the distribution suffix
    /// after the build number goes).
    JavaBuild,
}

/// One byte pattern: an anchor literal found with memmem, then the regex on a window
/// around each anchor (or over the bytes when there is no anchor).
#[derive(Debug)]
pub(crate) struct Matcher {
    pub(crate) anchor: Option<Vec<u8>>,
    pub(crate) re: Regex,
    /// Bytes before / after the anchor handed to the regex.
    pub(crate) before: usize,
    pub(crate) after: usize,
}

/// A version taken from the file name (`python3.11`) and substituted into a template.
#[derive(Debug)]
pub(crate) struct NameTemplate {
    /// Captures `v` from the file name.
    pub(crate) name: Regex,
    /// The pattern, with `{v}` replaced by the escaped name version.
    pub(crate) template: &'static str,
    /// Anchor template (`\x00{v}`).
    pub(crate) anchor: &'static str,
}

/// A classifier: file-name globs, matchers tried in order (the first match wins).
#[derive(Debug)]
pub struct Classifier {
    /// Stable id (`nginx-binary`).
    pub class: &'static str,
    /// Globs on the file name (not the path): `nginx`, `libssl.so*`. The engine matches
    /// `*/NAME` on whole paths, where `*` also crosses `/`: no glob here may match a
    /// directory prefix (`python3*` would select every file under `/usr/lib/python3/`).
    pub names: &'static [&'static str],
    /// Canonical package name.
    pub package: &'static str,
    /// CPE vendor and product.
    pub cpe: (&'static str, &'static str),
    pub(crate) name_template: Option<NameTemplate>,
    pub(crate) matchers: Vec<Matcher>,
    pub(crate) post: Post,
    /// At most this many leading bytes are searched.
    pub max_bytes: usize,
}

const MIB: usize = 1 << 20;

fn m(anchor: Option<&str>, re: &str) -> Matcher {
    Matcher {
        anchor: anchor.map(|a| a.as_bytes().to_vec()),
        re: Regex::new(&format!("(?-u){re}")).expect("built-in pattern compiles (tested)"),
        before: 96,
        after: 160,
    }
}

fn c(
    class: &'static str,
    names: &'static [&'static str],
    package: &'static str,
    cpe: (&'static str, &'static str),
    matchers: Vec<Matcher>,
) -> Classifier {
    Classifier {
        class,
        names,
        package,
        cpe,
        name_template: None,
        matchers,
        post: Post::None,
        max_bytes: 64 * MIB,
    }
}

/// Every built-in classifier, in priority order (the first classifier whose file name
/// matches and that finds a version wins for a file).
pub fn builtin() -> Vec<Classifier> {
    let mut v = vec![
        // [NUL]nginx version: nginx/1.22.1\n (also openresty/1.21.4.1: the nginx core version)
        c(
            "nginx-binary",
            &["nginx"],
            "nginx",
            ("f5", "nginx"),
            vec![m(
                Some("nginx version: "),
                r"nginx version: [^/\x00\n]{1,32}/(?P<version>\d+\.\d+\.\d+)",
            )],
        ),
        // Apache/2.4.71 (Debian)
        c(
            "httpd-binary",
            &["httpd", "apache2"],
            "httpd",
            ("apache", "http_server"),
            vec![m(
                Some("Apache/"),
                r"\x00Apache/(?P<version>\d+\.\d+\.\d+)[\x00 ]",
            )],
        ),
        // [NUL]10.11.19-MariaDB[NUL]
        c(
            "mariadb-binary",
            &["mariadbd", "mysqld", "mariadb", "mysql"],
            "mariadb",
            ("mariadb", "mariadb"),
            vec![m(
                Some("-MariaDB"),
                r"\x00(?P<version>\d+\.\d+\.\d+)-MariaDB",
            )],
        ),
        // /mysql-8.0.37/... (build paths) or [NUL]8.0.37[NUL]...mysql
        c(
            "mysql-binary",
            &["mysqld", "mysql"],
            "mysql",
            ("oracle", "mysql"),
            vec![m(Some("/mysql-"), r"/mysql-(?P<version>\d+\.\d+\.\d+)/")],
        ),
        // [NUL]PostgreSQL 15.20 (Debian 15.20-0+deb12u1) on x86_64-pc-linux-gnu
        c(
            "postgresql-binary",
            &["postgres"],
            "postgresql",
            ("postgresql", "postgresql"),
            vec![m(
                Some("PostgreSQL "),
                r"[\x00?]PostgreSQL (?P<version>\d+(?:\.\d+){0,2}(?:alpha\d|beta\d|rc\d)?)[ \x00]",
            )],
        ),
        // The build id string: version, optional host (`buildkitsandbox-`, 12 hex digits and
        // a dash), then 19 digits of nanoseconds: `7.0.151790282056000000000`.
        c(
            "redis-binary",
            &["redis-server", "redis-check-rdb"],
            "redis",
            ("redis", "redis"),
            vec![
                m(
                    None,
                    r"[^\d.](?P<version>\d{1,2}\.\d{1,2}\.\d{1,2})(?:buildkitsandbox-|[0-9a-f]{12}-)?\d{19}\x00",
                ),
                m(
                    Some("Redis version "),
                    r"Redis version (?P<version>\d+\.\d+\.\d+)",
                ),
            ],
        ),
        // memcached 1.6.18
        c(
            "memcached-binary",
            &["memcached"],
            "memcached",
            ("memcached", "memcached"),
            vec![m(
                Some("memcached "),
                r"\x00memcached (?P<version>\d+\.\d+\.\d+)[\x00\n]",
            )],
        ),
        // [NUL]OpenSSL 3.0.22 25 Aug 2026
        c(
            "openssl-binary",
            &["openssl", "libcrypto.so*", "libssl.so*"],
            "openssl",
            ("openssl", "openssl"),
            vec![m(
                Some("\x00OpenSSL "),
                r"\x00OpenSSL (?P<version>\d+\.\d+\.\d+[a-z]{0,2}(?:-alpha\d+|-beta\d+)?) ",
            )],
        ),
        // node.js/v18.20.4 (libnode or a static node); [NUL]v4.9.1[NUL] for old releases
        c(
            "nodejs-binary",
            &["node", "nodejs", "libnode.so*"],
            "node",
            ("nodejs", "node.js"),
            vec![
                m(Some("node.js/v"), r"node\.js/v(?P<version>\d+\.\d+\.\d+)"),
                m(
                    Some("\x00v"),
                    r"\x00(?:node )?v(?P<version>(?:0|4|5|6)\.\d+\.\d+)\x00",
                ),
            ],
        ),
        // [NUL]openjdk[NUL]java[NUL]0.0[NUL]17.0.21.1+2-1-deb12u1-Debian[NUL] (launcher);
        // OpenJDK 64-Bit Server VM (17.0.21.1+2-...) (libjvm)
        Classifier {
            post: Post::JavaBuild,
            ..c(
                "java-binary-openjdk",
                &["java", "libjvm.so"],
                "java",
                ("oracle", "openjdk"),
                vec![
                    m(
                        Some("\x00openjdk\x00java\x00"),
                        r"\x00openjdk\x00java\x00[0-9.]{1,8}\x00(?P<version>\d+[0-9.]*(?:[+_][0-9A-Za-z.+_-]{1,48})?)\x00",
                    ),
                    m(
                        Some("OpenJDK 64-Bit "),
                        r"OpenJDK 64-Bit (?:Server|Client|Zero) VM \((?P<version>\d+[0-9.]*(?:[+_][0-9A-Za-z.+_-]{1,48})?)\)",
                    ),
                ],
            )
        },
        // BusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1+b1)
        c(
            "busybox-binary",
            &["busybox"],
            "busybox",
            ("busybox", "busybox"),
            vec![m(Some("BusyBox v"), r"BusyBox v(?P<version>\d+\.\d+\.\d+)")],
        ),
        // curl/7.88.1 (the tool's user agent), libcurl/7.88.1 (the library)
        c(
            "curl-binary",
            &[
                "curl",
                "libcurl.so*",
                "libcurl-gnutls.so*",
                "libcurl-nss.so*",
            ],
            "curl",
            ("haxx", "curl"),
            vec![m(
                Some("curl/"),
                r"\x00(?:lib)?curl/(?P<version>\d+\.\d+\.\d+)",
            )],
        ),
        //  version 2.6.12-1+deb12u4, released 2026/10/17
        c(
            "haproxy-binary",
            &["haproxy"],
            "haproxy",
            ("haproxy", "haproxy"),
            vec![
                m(
                    Some(", released 20"),
                    r"version (?P<version>\d+\.\d+(?:\.|-dev|-rc)\d+)(?:-[0-9A-Za-z.+~]{1,32})?, released 20",
                ),
                m(
                    Some("HA-Proxy version "),
                    r"HA-Proxy version (?P<version>\d+\.\d+(?:\.|-dev)\d+)",
                ),
            ],
        ),
        // X-Powered-By: PHP/8.2.36
        c(
            "php-binary",
            &[
                "php",
                "php[0-9]",
                "php[0-9].[0-9]",
                "php-fpm",
                "php-fpm[0-9].[0-9]",
                "php-cgi",
                "php-cgi[0-9].[0-9]",
                "libphp*.so",
            ],
            "php",
            ("php", "php"),
            vec![m(
                Some("X-Powered-By: PHP/"),
                r"X-Powered-By: PHP/(?P<version>\d+\.\d+\.\d+)",
            )],
        ),
        // ruby 3.1.7p261 (2025-03-26 revision 0a3704f218)
        c(
            "ruby-binary",
            &["ruby", "ruby[0-9].[0-9]", "libruby*.so*"],
            "ruby",
            ("ruby-lang", "ruby"),
            vec![m(
                Some("ruby "),
                r"\x00ruby (?P<version>\d+\.\d+\.\d+)(?:p\d+|preview\d*|rc\d*|dev)? \(\d{4}-\d\d-\d\d",
            )],
        ),
        // @(#)Bash version 5.2.15(1) release GNU
        c(
            "bash-binary",
            &["bash"],
            "bash",
            ("gnu", "bash"),
            vec![m(
                Some("@(#)Bash version "),
                r"@\(#\)Bash version (?P<version>\d+\.\d+\.\d+)\(\d+\) [a-z0-9]+ GNU",
            )],
        ),
        // Library directories compiled in: /usr/local/share/perl/5.36.0, /usr/local/lib/perl5/5.38.0
        c(
            "perl-binary",
            &["perl", "perl5.[0-9]*", "libperl.so*"],
            "perl",
            ("perl", "perl"),
            vec![m(Some("/perl"), r"/perl5?/(?P<version>5\.\d+\.\d+)[/\x00]")],
        ),
    ];
    // [NUL]3.11.2[NUL]: the version from the file name (python3.11, libpython3.11.so.1.0)
    // picks the pattern, as a bare version string is too common to search blindly.
    v.push(Classifier {
        name_template: Some(NameTemplate {
            name: Regex::new(r"^(?:lib)?python(?P<v>\d+\.\d+)").expect("compiles"),
            template: r"\x00(?P<version>{v}\.\d+(?:(?:a|b|rc)\d+)?)[+\x00]",
            anchor: "\x00{v}.",
        }),
        ..c(
            "python-binary",
            &[
                "python[0-9]",
                "python[0-9].[0-9]",
                "python[0-9].[0-9][0-9]",
                "libpython[0-9].[0-9]*.so*",
            ],
            "python",
            ("python", "python"),
            vec![],
        )
    });
    v
}
