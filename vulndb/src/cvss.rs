//! CVSS base scores computed from vector strings (v2 and v3.x), a small pure implementation
//! of the FIRST specifications. CVSS v4 vectors are kept but not scored here.

/// Computes the base score of a CVSS v3.0/v3.1 or v2 vector; `None` for v4, unknown or
/// malformed vectors.
pub fn base_score(vector: &str) -> Option<f64> {
    let v = vector.trim();
    if v.starts_with("CVSS:3.") {
        v3_base(v)
    } else if v.starts_with("CVSS:") {
        None
    } else {
        v2_base(v)
    }
}

fn metrics(v: &str) -> impl Iterator<Item = (&str, &str)> {
    v.split('/').filter_map(|part| part.split_once(':'))
}

fn roundup(x: f64) -> f64 {
    let int_input = (x * 100_000.0).round() as i64;
    if int_input % 10_000 == 0 {
        int_input as f64 / 100_000.0
    } else {
        ((int_input / 10_000) + 1) as f64 / 10.0
    }
}

fn v3_base(v: &str) -> Option<f64> {
    let (mut av, mut ac, mut pr, mut ui, mut s, mut c, mut i, mut a) =
        (None, None, None, None, None, None, None, None);
    for (k, val) in metrics(v) {
        match k {
            "AV" => av = Some(val),
            "AC" => ac = Some(val),
            "PR" => pr = Some(val),
            "UI" => ui = Some(val),
            "S" => s = Some(val),
            "C" => c = Some(val),
            "I" => i = Some(val),
            "A" => a = Some(val),
            _ => {}
        }
    }
    let changed = match s? {
        "U" => false,
        "C" => true,
        _ => return None,
    };
    let av = match av? {
        "N" => 0.85,
        "A" => 0.62,
        "L" => 0.55,
        "P" => 0.2,
        _ => return None,
    };
    let ac = match ac? {
        "L" => 0.77,
        "H" => 0.44,
        _ => return None,
    };
    let pr = match (pr?, changed) {
        ("N", _) => 0.85,
        ("L", false) => 0.62,
        ("L", true) => 0.68,
        ("H", false) => 0.27,
        ("H", true) => 0.5,
        _ => return None,
    };
    let ui = match ui? {
        "N" => 0.85,
        "R" => 0.62,
        _ => return None,
    };
    let cia = |x: Option<&str>| match x? {
        "H" => Some(0.56),
        "L" => Some(0.22),
        "N" => Some(0.0),
        _ => None,
    };
    let (c, i, a) = (cia(c)?, cia(i)?, cia(a)?);
    let iss = 1.0 - (1.0 - c) * (1.0 - i) * (1.0 - a);
    let impact = if changed {
        7.52 * (iss - 0.029) - 3.25 * (iss - 0.02f64).powi(15)
    } else {
        6.42 * iss
    };
    let expl = 8.22 * av * ac * pr * ui;
    if impact <= 0.0 {
        return Some(0.0);
    }
    Some(if changed {
        roundup(f64::min(1.08 * (impact + expl), 10.0))
    } else {
        roundup(f64::min(impact + expl, 10.0))
    })
}

fn v2_base(v: &str) -> Option<f64> {
    let v = v.strip_prefix('(').unwrap_or(v).trim_end_matches(')');
    let (mut av, mut ac, mut au, mut c, mut i, mut a) = (None, None, None, None, None, None);
    for (k, val) in metrics(v) {
        match k {
            "AV" => av = Some(val),
            "AC" => ac = Some(val),
            "Au" => au = Some(val),
            "C" => c = Some(val),
            "I" => i = Some(val),
            "A" => a = Some(val),
            _ => {}
        }
    }
    let av = match av? {
        "L" => 0.395,
        "A" => 0.646,
        "N" => 1.0,
        _ => return None,
    };
    let ac = match ac? {
        "H" => 0.35,
        "M" => 0.61,
        "L" => 0.71,
        _ => return None,
    };
    let au = match au? {
        "M" => 0.45,
        "S" => 0.56,
        "N" => 0.704,
        _ => return None,
    };
    let cia = |x: Option<&str>| match x? {
        "N" => Some(0.0),
        "P" => Some(0.275),
        "C" => Some(0.660),
        _ => None,
    };
    let (c, i, a) = (cia(c)?, cia(i)?, cia(a)?);
    let impact = 10.41 * (1.0 - (1.0 - c) * (1.0 - i) * (1.0 - a));
    let expl = 20.0 * av * ac * au;
    let f = if impact == 0.0 { 0.0 } else { 1.176 };
    let score: f64 = (0.6 * impact + 0.4 * expl - 1.5) * f;
    Some((score * 10.0).round() / 10.0)
}

#[cfg(test)]
mod tests {
    use super::base_score;

    #[test]
    fn v3_scores_match_nvd() {
        // NVD scores of well-known CVEs.
        // CVE-2021-44228 (log4shell): 10.0
        assert_eq!(base_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"), Some(10.0));
        // CVE-2014-0160 (heartbleed) v3: 7.5
        assert_eq!(base_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"), Some(7.5));
        // 9.8 critical
        assert_eq!(base_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"), Some(9.8));
        // merge-options advisory 410 (nodejs-security-wg): cvss_score 2 for this vector
        assert_eq!(base_score("CVSS:3.0/AV:N/AC:H/PR:H/UI:R/S:U/C:N/I:N/A:L"), Some(2.0));
        // 6.1 reflected XSS
        assert_eq!(base_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N"), Some(6.1));
        assert_eq!(base_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N"), Some(0.0));
        assert_eq!(base_score("CVSS:3.1/AV:X/AC:L"), None);
        assert_eq!(base_score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"), None);
    }

    #[test]
    fn v2_scores_match_nvd() {
        // CVE-2014-0160 v2: 5.0
        assert_eq!(base_score("AV:N/AC:L/Au:N/C:P/I:N/A:N"), Some(5.0));
        assert_eq!(base_score("AV:N/AC:L/Au:N/C:C/I:C/A:C"), Some(10.0));
        assert_eq!(base_score("AV:N/AC:M/Au:N/C:P/I:P/A:P"), Some(6.8));
    }
}
