//! The request a sender would send, built from its parts: method, URL, authentication, the
//! sender's headers, extra headers (refusing those the sender refuses), the content type, the body
//! and the signature headers; and the same request as raw HTTP text, a curl command and a
//! `fetch()` snippet.
//!
//! ```
//! use hookwright::request::{Auth, RequestSpec, build};
//!
//! let sender = [("Content-Type".to_string(), "application/json".to_string())];
//! let extra = [("X-Team".to_string(), "ops".to_string()), ("Host".to_string(), "evil.test".to_string())];
//! let req = build(&RequestSpec {
//!     url: "https://hooks.example.com/in?x=1",
//!     sender_headers: &sender,
//!     extra_headers: &extra,
//!     auth: Auth::Header { scheme: "", credentials: "t0ken" },
//!     body: "{}",
//!     ..RequestSpec::default()
//! })?;
//! assert_eq!(req.headers[2], ("Authorization".to_string(), "Bearer t0ken".to_string()));
//! assert_eq!(req.refused[0].name, "Host");
//! assert!(req.raw_http().starts_with("POST /in?x=1 HTTP/1.1\r\nHost: hooks.example.com\r\n"));
//! # Ok::<(), hookwright::Error>(())
//! ```

use crate::catalog::HeaderRule;
use crate::error::{Error, ErrorCode};
use crate::http;
use crate::mac::Key;
use crate::scheme::Scheme;
use crate::sign::SignInput;

/// How the request authenticates, besides any signature.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Auth<'a> {
    /// No `Authorization` header.
    #[default]
    None,
    /// `Authorization: <scheme> <credentials>`; an empty scheme means `Bearer`, as Grafana does.
    /// Empty credentials mean no header.
    Header {
        /// The scheme word (`Bearer`, `Token`, …).
        scheme: &'a str,
        /// The credentials after it.
        credentials: &'a str,
    },
    /// HTTP Basic: `Authorization: Basic base64(user:password)`.
    Basic {
        /// User name.
        user: &'a str,
        /// Password.
        password: &'a str,
    },
}

/// The signature to add: a scheme, its key and what is signed besides the body.
#[derive(Debug, Clone, Copy)]
pub struct Signing<'a> {
    /// The resolved scheme.
    pub scheme: &'a Scheme,
    /// The key made from the secret.
    pub key: &'a Key,
    /// Timestamp, message id, profile.
    pub input: SignInput<'a>,
}

/// Everything a request is made of.
#[derive(Debug, Clone, Copy)]
pub struct RequestSpec<'a> {
    /// HTTP method; empty means `POST`.
    pub method: &'a str,
    /// Absolute `http(s)://` URL.
    pub url: &'a str,
    /// The sender's default headers (from the catalog), in order.
    pub sender_headers: &'a [(String, String)],
    /// Headers the user adds; one with the name of a sender header replaces it.
    pub extra_headers: &'a [(String, String)],
    /// Header names the sender will not send as extra headers (besides `Host`, `Content-Length`
    /// and the signature headers, which no sender lets you set).
    pub restricted: &'a [HeaderRule],
    /// Overrides the `Content-Type` header when given.
    pub content_type: Option<&'a str>,
    /// Authentication.
    pub auth: Auth<'a>,
    /// The body, exactly as sent.
    pub body: &'a str,
    /// The signature to add, if the request is signed.
    pub signing: Option<Signing<'a>>,
}

impl Default for RequestSpec<'_> {
    fn default() -> Self {
        RequestSpec {
            method: "POST",
            url: "",
            sender_headers: &[],
            extra_headers: &[],
            restricted: &[],
            content_type: None,
            auth: Auth::None,
            body: "",
            signing: None,
        }
    }
}

/// An extra header that was left out, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    /// The header name as given.
    pub name: String,
    /// Why it is not sent.
    pub reason: String,
}

/// A built request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// HTTP method, upper case.
    pub method: String,
    /// The URL as given (trimmed).
    pub url: String,
    /// The headers the sender sets, in order, signature last (not `Host` or `Content-Length`,
    /// which the HTTP client adds; see [`Request::raw_http`]).
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: String,
    /// Extra headers left out.
    pub refused: Vec<Refused>,
}

/// The parts of an absolute URL that a request line and a `Host` header need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url {
    /// `http` or `https`, lower case.
    pub scheme: String,
    /// Host name (lower case) or IP literal, without the port.
    pub host: String,
    /// Port, when written.
    pub port: Option<u16>,
    /// Path and query, `/` when empty; the fragment is dropped.
    pub target: String,
}

/// Parses an absolute `http(s)://host[:port][/path][?query]` URL.
///
/// # Errors
/// [`ErrorCode::InvalidOptions`] when the URL is not an absolute http(s) URL with a host.
pub fn parse_url(url: &str) -> Result<Url, Error> {
    let bad = |why: &str| Error::new(ErrorCode::InvalidOptions, format!("URL: {why}"));
    let url = url.trim();
    let (scheme, rest) = url.split_once("://").ok_or_else(|| bad("must start with https:// or http://"))?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return Err(bad("must start with https:// or http://"));
    }
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, _)) if !h.ends_with(']') && h.contains(':') => (authority, None), // bare IPv6
        Some((h, p)) => (h, Some(p.parse::<u16>().map_err(|_| bad("the port is not a number"))?)),
        None => (authority, None),
    };
    if host.is_empty() || host.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad("has no valid host"));
    }
    let tail = tail.split('#').next().unwrap_or("");
    let target = if tail.starts_with('/') { tail.to_string() } else { format!("/{tail}") };
    if target.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad("the path contains spaces or control characters"));
    }
    Ok(Url { scheme, host: host.to_ascii_lowercase(), port, target })
}

/// Warnings about a URL for a playground: not https, or a host outside `allowlist`. Allowlist
/// entries are domains (`example.com` allows `example.com` and its subdomains; a leading `*.` is
/// ignored); an empty allowlist allows everything.
pub fn url_warnings(url: &str, allowlist: &[&str]) -> Vec<String> {
    let Ok(u) = parse_url(url) else { return Vec::new() };
    let mut out = Vec::new();
    if u.scheme != "https" {
        out.push("the URL is not https: most senders refuse plain http".to_string());
    }
    let allowed = |d: &str| {
        let d = d.trim().trim_start_matches("*.").trim_end_matches('.').to_ascii_lowercase();
        !d.is_empty() && (u.host == d || u.host.strip_suffix(d.as_str()).is_some_and(|p| p.ends_with('.')))
    };
    let listed: Vec<&str> = allowlist.iter().copied().filter(|d| !d.trim().is_empty()).collect();
    if !listed.is_empty() && !listed.iter().any(|d| allowed(d)) {
        out.push(format!("{} is not on the domain allowlist", u.host));
    }
    out
}

fn valid_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

fn set(headers: &mut Vec<(String, String)>, name: &str, value: &str) {
    match headers.iter_mut().find(|(n, _)| n.eq_ignore_ascii_case(name)) {
        Some(h) => h.1 = value.to_string(),
        None => headers.push((name.to_string(), value.to_string())),
    }
}

/// Builds the request: the sender's headers, then the extra headers (replacing a sender header
/// of the same name, or refused), the content type override, `Authorization`, and the signature
/// headers last.
///
/// # Errors
/// [`ErrorCode::InvalidOptions`] for a URL [`parse_url`] rejects, a method that is not a token,
/// or a content type or credentials with control characters; any error of [`Scheme::sign`].
pub fn build(spec: &RequestSpec<'_>) -> Result<Request, Error> {
    let method = match spec.method.trim() {
        "" => "POST".to_string(),
        m if valid_name(m) => m.to_ascii_uppercase(),
        _ => return Err(Error::new(ErrorCode::InvalidOptions, "method: not an HTTP method")),
    };
    parse_url(spec.url)?;
    let control = |s: &str, what: &str| {
        if s.chars().any(char::is_control) {
            Err(Error::new(ErrorCode::InvalidOptions, format!("{what} contains control characters")))
        } else {
            Ok(())
        }
    };
    let signature = match &spec.signing {
        Some(s) => s.scheme.sign(s.key, spec.body.as_bytes(), s.input)?,
        None => Vec::new(),
    };
    let signature_names: Vec<&str> = match &spec.signing {
        Some(s) => s.scheme.header_names().iter().map(String::as_str).filter(|n| !n.is_empty()).collect(),
        None => Vec::new(),
    };

    let mut headers: Vec<(String, String)> = spec.sender_headers.to_vec();
    let mut refused = Vec::new();
    for (name, value) in spec.extra_headers {
        let name = name.trim();
        let reason = if !valid_name(name) {
            Some("not a valid header name".to_string())
        } else if value.chars().any(char::is_control) {
            Some("the value contains control characters".to_string())
        } else if let Some(rule) = spec.restricted.iter().find(|r| r.name.eq_ignore_ascii_case(name)) {
            Some(format!("the sender refuses it{}", rule.note.as_deref().map(|n| format!(": {n}")).unwrap_or_default()))
        } else if name.eq_ignore_ascii_case("host") || name.eq_ignore_ascii_case("content-length") {
            Some("set by the HTTP client".to_string())
        } else if signature_names.iter().any(|n| n.eq_ignore_ascii_case(name)) {
            Some("written by signing".to_string())
        } else {
            None
        };
        match reason {
            Some(reason) => refused.push(Refused { name: name.to_string(), reason }),
            None => set(&mut headers, name, value.trim()),
        }
    }
    if let Some(ct) = spec.content_type.map(str::trim).filter(|c| !c.is_empty()) {
        control(ct, "the content type")?;
        set(&mut headers, "Content-Type", ct);
    }
    match spec.auth {
        Auth::None => {}
        Auth::Header { scheme, credentials } => {
            let credentials = credentials.trim();
            if !credentials.is_empty() {
                control(credentials, "the credentials")?;
                control(scheme, "the authentication scheme")?;
                let scheme = match scheme.trim() {
                    "" => "Bearer",
                    s => s,
                };
                set(&mut headers, "Authorization", &format!("{scheme} {credentials}"));
            }
        }
        Auth::Basic { user, password } => {
            let pair = format!("{user}:{password}");
            control(&pair, "the user or password")?;
            let encoded = crate::b64::encode(pair.as_bytes());
            set(&mut headers, "Authorization", &format!("Basic {encoded}"));
        }
    }
    for (n, v) in signature {
        set(&mut headers, &n, &v);
    }
    Ok(Request { method, url: spec.url.trim().to_string(), headers, body: spec.body.to_string(), refused })
}

impl Request {
    /// `Name: value` per line, as the sender sets them.
    pub fn header_block(&self) -> String {
        self.headers.iter().map(|(n, v)| format!("{n}: {v}")).collect::<Vec<_>>().join("\n")
    }

    /// The request as it goes over the wire in HTTP/1.1: request line, `Host`, the headers,
    /// `Content-Length` (when there is a body or the method sends one), a blank line, the body.
    /// Lines end with CRLF.
    pub fn raw_http(&self) -> String {
        let (host, target) = match parse_url(&self.url) {
            Ok(u) => (u.port.map_or(u.host.clone(), |p| format!("{}:{p}", u.host)), u.target),
            Err(_) => (String::new(), "/".to_string()),
        };
        let mut s = format!("{} {target} HTTP/1.1\r\nHost: {host}\r\n", self.method);
        for (n, v) in &self.headers {
            s.push_str(&format!("{n}: {v}\r\n"));
        }
        if !self.body.is_empty() || !matches!(self.method.as_str(), "GET" | "HEAD") {
            s.push_str(&format!("Content-Length: {}\r\n", self.body.len()));
        }
        s.push_str("\r\n");
        s.push_str(&self.body);
        s
    }

    /// A curl command that sends exactly this request.
    pub fn curl(&self) -> String {
        http::curl(&self.method, &self.url, &self.headers, &self.body)
    }

    /// A JavaScript `fetch()` call that sends exactly this request.
    pub fn fetch(&self) -> String {
        let js = |s: &str| serde_json::Value::String(s.to_string()).to_string();
        let mut s = format!("await fetch({}, {{\n  method: {},\n  headers: {{\n", js(&self.url), js(&self.method));
        for (n, v) in &self.headers {
            s.push_str(&format!("    {}: {},\n", js(n), js(v)));
        }
        s.push_str("  },\n");
        if !matches!(self.method.as_str(), "GET" | "HEAD") {
            s.push_str(&format!("  body: {},\n", js(&self.body)));
        }
        s.push_str("});");
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mac::Secret;
    use crate::scheme::Options;

    fn h(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect()
    }

    #[test]
    fn urls() {
        let u = parse_url(" https://User:pw@Hooks.Example.com:8443/a/b?c=1#frag ").unwrap();
        assert_eq!(
            (u.scheme.as_str(), u.host.as_str(), u.port, u.target.as_str()),
            ("https", "hooks.example.com", Some(8443), "/a/b?c=1")
        );
        assert_eq!(parse_url("http://x.test?q").unwrap().target, "/?q");
        assert_eq!(parse_url("https://[::1]:80/").unwrap().host, "[::1]");
        for bad in
            ["", "example.com/x", "ftp://x.test/", "https:///path", "https://x.test:99999/", "https://x.test/a b"]
        {
            assert!(parse_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn allowlist() {
        let list = ["example.com", "*.hooks.slack.com"];
        assert!(url_warnings("https://example.com/x", &list).is_empty());
        assert!(url_warnings("https://a.b.example.com/x", &list).is_empty());
        assert!(url_warnings("https://x.hooks.slack.com/", &list).is_empty());
        assert_eq!(url_warnings("https://notexample.com/", &list), ["notexample.com is not on the domain allowlist"]);
        assert_eq!(
            url_warnings("http://example.com/", &list),
            ["the URL is not https: most senders refuse plain http"]
        );
        assert!(url_warnings("https://anything.test/", &[]).is_empty());
        assert!(url_warnings("https://anything.test/", &[" "]).is_empty());
    }

    #[test]
    fn headers_auth_refusals_and_signature() {
        let grafana = crate::catalog::sender("grafana").unwrap();
        let scheme = Scheme::new("grafana", &Options::default()).unwrap();
        let key = scheme.key(&Secret::Text("s3cret")).unwrap();
        let sender = h(&[("Content-Type", "application/json")]);
        let extra = h(&[
            ("X-Env", "prod"),
            ("authorization", "Bearer sneaky"),
            ("Host", "evil.test"),
            ("Bad Name", "x"),
            ("X-Grafana-Alerting-Signature", "forged"),
        ]);
        let req = build(&RequestSpec {
            method: "post",
            url: "https://example.com/hook",
            sender_headers: &sender,
            extra_headers: &extra,
            restricted: &grafana.restricted_headers,
            content_type: Some("application/json; charset=utf-8"),
            auth: Auth::Header { scheme: "", credentials: "tok" },
            body: "{\"a\":1}",
            signing: Some(Signing { scheme: &scheme, key: &key, input: SignInput::default() }),
        })
        .unwrap();
        let expected_sig = scheme.sign(&key, b"{\"a\":1}", SignInput::default()).unwrap();
        assert_eq!(req.method, "POST");
        assert_eq!(
            req.headers,
            h(&[
                ("Content-Type", "application/json; charset=utf-8"),
                ("X-Env", "prod"),
                ("Authorization", "Bearer tok"),
                ("X-Grafana-Alerting-Signature", &expected_sig[0].1),
            ])
        );
        let refused: Vec<&str> = req.refused.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(refused, ["authorization", "Host", "Bad Name", "X-Grafana-Alerting-Signature"]);
        assert!(req.refused[0].reason.starts_with("the sender refuses it: Use the Authentication"));
        assert_eq!(req.refused[2].reason, "not a valid header name");
    }

    #[test]
    fn other_senders_refuse_only_what_no_client_lets_you_set() {
        let github = Scheme::new("github", &Options::default()).unwrap();
        let key = github.key(&Secret::Text("It's a Secret to Everybody")).unwrap();
        let extra = h(&[("Content-Length", "3"), ("X-Hub-Signature-256", "x"), ("Authorization", "Token abc")]);
        let req = build(&RequestSpec {
            url: "https://example.com/",
            extra_headers: &extra,
            body: "Hello, World!",
            signing: Some(Signing { scheme: &github, key: &key, input: SignInput::default() }),
            ..RequestSpec::default()
        })
        .unwrap();
        assert_eq!(
            req.headers,
            h(&[
                ("Authorization", "Token abc"),
                ("X-Hub-Signature-256", "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"),
            ])
        );
        assert_eq!(req.refused.len(), 2);
        assert_eq!(req.refused[0].reason, "set by the HTTP client");
        assert_eq!(req.refused[1].reason, "written by signing");
    }

    #[test]
    fn basic_auth_and_errors() {
        let req = build(&RequestSpec {
            url: "https://example.com/",
            auth: Auth::Basic { user: "Aladdin", password: "open sesame" },
            ..RequestSpec::default()
        })
        .unwrap();
        assert_eq!(req.headers, h(&[("Authorization", "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==")]));
        // Empty credentials: no header at all.
        let req = build(&RequestSpec {
            url: "https://example.com/",
            auth: Auth::Header { scheme: "Token", credentials: " " },
            ..RequestSpec::default()
        })
        .unwrap();
        assert!(req.headers.is_empty());
        assert!(build(&RequestSpec { url: "example.com", ..RequestSpec::default() }).is_err());
        assert!(build(&RequestSpec { url: "https://x.test/", method: "PO ST", ..RequestSpec::default() }).is_err());
        let stripe = Scheme::new("stripe", &Options::default()).unwrap();
        let key = stripe.key(&Secret::Text("whsec_x")).unwrap();
        let e = build(&RequestSpec {
            url: "https://x.test/",
            signing: Some(Signing { scheme: &stripe, key: &key, input: SignInput::default() }),
            ..RequestSpec::default()
        })
        .unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidOptions);
    }

    #[test]
    fn renderings() {
        let req = Request {
            method: "POST".into(),
            url: "https://example.com:8443/in?x=1#f".into(),
            headers: h(&[("Content-Type", "application/json"), ("X-Q", "it's \"q\"")]),
            body: "{\"a\":\"é\"}".into(),
            refused: Vec::new(),
        };
        assert_eq!(
            req.raw_http(),
            "POST /in?x=1 HTTP/1.1\r\nHost: example.com:8443\r\nContent-Type: application/json\r\nX-Q: it's \"q\"\r\nContent-Length: 10\r\n\r\n{\"a\":\"é\"}"
        );
        assert_eq!(req.header_block(), "Content-Type: application/json\nX-Q: it's \"q\"");
        assert_eq!(
            req.curl(),
            "curl -X POST 'https://example.com:8443/in?x=1#f' \\\n  -H 'Content-Type: application/json' \\\n  -H 'X-Q: it'\\''s \"q\"' \\\n  --data-binary '{\"a\":\"é\"}'"
        );
        assert_eq!(
            req.fetch(),
            "await fetch(\"https://example.com:8443/in?x=1#f\", {\n  method: \"POST\",\n  headers: {\n    \"Content-Type\": \"application/json\",\n    \"X-Q\": \"it's \\\"q\\\"\",\n  },\n  body: \"{\\\"a\\\":\\\"é\\\"}\",\n});"
        );
        let get = Request { method: "GET".into(), body: String::new(), ..req };
        assert!(!get.raw_http().contains("Content-Length"));
        assert!(!get.fetch().contains("body:"));
    }
}
