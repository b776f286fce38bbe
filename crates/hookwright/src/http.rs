//! Plain HTTP text helpers shared by the playground: header blocks as people paste them, and the
//! curl command for a request.

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::error::{Error, ErrorCode, cat};

/// Parses a block of `Name: value` lines (as copied from a request log or devtools). Blank lines
/// and a leading request line (`POST /path HTTP/1.1`) are skipped; values are trimmed.
///
/// # Errors
/// [`ErrorCode::MalformedHeader`] naming the 1-based line that has no `:` or an invalid name.
pub fn parse_header_block(text: &str) -> Result<Vec<(String, String)>, Error> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || (i == 0 && line.contains(" HTTP/")) {
            continue;
        }
        let line_no = crate::verify::decimal(i as u64 + 1);
        let Some((name, value)) = line.split_once(':') else {
            return Err(Error::new(
                ErrorCode::MalformedHeader,
                cat(&["line ", &line_no, ": expected \"Name: value\""]),
            ));
        };
        let name = name.trim();
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)) {
            return Err(Error::new(
                ErrorCode::MalformedHeader,
                cat(&["line ", &line_no, ": \"", name, "\" is not a header name"]),
            ));
        }
        out.push((name.to_string(), value.trim().to_string()));
    }
    Ok(out)
}

/// Quotes `s` for a POSIX shell (single quotes; a `'` becomes `'\''`).
pub fn shell_quote(s: &str) -> String {
    cat(&["'", &s.replace('\'', r"'\''"), "'"])
}

/// A curl command that sends exactly `body` with `headers`.
pub fn curl(method: &str, url: &str, headers: &[(String, String)], body: &str) -> String {
    let mut s = cat(&["curl -X ", method, " ", &shell_quote(url)]);
    for (n, v) in headers {
        s.push_str(" \\\n  -H ");
        s.push_str(&shell_quote(&cat(&[n, ": ", v])));
    }
    s.push_str(" \\\n  --data-binary ");
    s.push_str(&shell_quote(body));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_blocks() {
        let h = parse_header_block(
            "POST /hook HTTP/1.1\nX-Hub-Signature-256: sha256=ab:cd\n\n  content-type :  application/json \n",
        )
        .unwrap();
        assert_eq!(
            h,
            vec![
                ("X-Hub-Signature-256".to_string(), "sha256=ab:cd".to_string()),
                ("content-type".to_string(), "application/json".to_string()),
            ]
        );
        let e = parse_header_block("A: 1\nno colon here").unwrap_err();
        assert_eq!((e.code(), e.detail()), (ErrorCode::MalformedHeader, "line 2: expected \"Name: value\""));
        assert!(parse_header_block("Bad Name: x").unwrap_err().detail().starts_with("line 1"));
    }

    #[test]
    fn curl_quotes_everything() {
        let c = curl("POST", "https://x.test/a?b=1&c", &[("X-A".into(), "it's".into())], "{\"q\":\"'$(rm)\"}");
        assert_eq!(
            c,
            "curl -X POST 'https://x.test/a?b=1&c' \\\n  -H 'X-A: it'\\''s' \\\n  --data-binary '{\"q\":\"'\\''$(rm)\"}'"
        );
    }
}
