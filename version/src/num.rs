//! Arbitrary-precision comparison of ASCII digit strings, without parsing.

use std::cmp::Ordering;

/// Compares two runs of ASCII digits by numeric value (leading zeros are
/// ignored, any length is fine).
pub(crate) fn cmp_digits(a: &[u8], b: &[u8]) -> Ordering {
    let a = strip_zeros(a);
    let b = strip_zeros(b);
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// Compares a digit run with a small integer.
pub(crate) fn cmp_digits_u64(a: &[u8], b: u64) -> Ordering {
    let mut buf = [0u8; 20];
    let mut n = b;
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    cmp_digits(a, &buf[i..])
}

/// True if the digit run is zero (or empty).
pub(crate) fn is_zero(a: &[u8]) -> bool {
    a.iter().all(|&c| c == b'0')
}

fn strip_zeros(a: &[u8]) -> &[u8] {
    let n = a.iter().take_while(|&&c| c == b'0').count();
    &a[n..]
}

/// Adds one to a decimal digit string.
pub(crate) fn increment(a: &str) -> String {
    let mut digits: Vec<u8> = strip_zeros(a.as_bytes()).to_vec();
    if digits.is_empty() {
        return "1".to_owned();
    }
    let mut i = digits.len();
    loop {
        if i == 0 {
            digits.insert(0, b'1');
            break;
        }
        i -= 1;
        if digits[i] == b'9' {
            digits[i] = b'0';
        } else {
            digits[i] += 1;
            break;
        }
    }
    String::from_utf8(digits).expect("ASCII digits are UTF-8")
}

/// The digit string without leading zeros ("0" for zero).
pub(crate) fn canonical(a: &str) -> &str {
    let s = a.trim_start_matches('0');
    if s.is_empty() { "0" } else { s }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits() {
        assert_eq!(cmp_digits(b"0010", b"10"), Ordering::Equal);
        assert_eq!(cmp_digits(b"9", b"10"), Ordering::Less);
        assert_eq!(cmp_digits(b"", b"0"), Ordering::Equal);
        assert_eq!(
            cmp_digits_u64(b"18446744073709551616", u64::MAX),
            Ordering::Greater
        );
        assert_eq!(increment("199"), "200");
        assert_eq!(increment("0"), "1");
        assert_eq!(increment("999"), "1000");
        assert_eq!(canonical("007"), "7");
        assert_eq!(canonical("000"), "0");
    }
}
