//! Signature schemes: which headers a sender writes, which bytes it signs, how it encodes the MAC.

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::error::{Error, ErrorCode, cat};
use crate::mac::{Algorithm, Encoding};

/// The built-in senders, plus `Custom`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Grafana alerting contact point (`X-Grafana-Alerting-Signature`, optional timestamp header).
    Grafana,
    /// GitHub (`X-Hub-Signature-256`, legacy `X-Hub-Signature`).
    Github,
    /// Stripe (`Stripe-Signature: t=…,v1=…`).
    Stripe,
    /// Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`).
    Standard,
    /// Svix: Standard Webhooks with `svix-` header names.
    Svix,
    /// Slack (`X-Slack-Signature: v0=…`, `X-Slack-Request-Timestamp`).
    Slack,
    /// Shopify (`X-Shopify-Hmac-Sha256`, base64).
    Shopify,
    /// dbt Cloud (`Authorization: <hex>`).
    Dbt,
    /// Dagu (`X-Dagu-Signature: sha256=…`, optional `X-Dagu-Profile`).
    Dagu,
    /// Any other sender: header, value prefix, message layout, algorithm and encoding are options.
    Custom,
}

impl Kind {
    /// Every kind, in the order a picker shows them.
    pub const ALL: [Kind; 10] = [
        Kind::Grafana,
        Kind::Github,
        Kind::Stripe,
        Kind::Standard,
        Kind::Svix,
        Kind::Slack,
        Kind::Shopify,
        Kind::Dbt,
        Kind::Dagu,
        Kind::Custom,
    ];

    /// The scheme id used in options and in the npm package (`"stripe"`, `"standard"`, …).
    pub const fn id(self) -> &'static str {
        match self {
            Kind::Grafana => "grafana",
            Kind::Github => "github",
            Kind::Stripe => "stripe",
            Kind::Standard => "standard",
            Kind::Svix => "svix",
            Kind::Slack => "slack",
            Kind::Shopify => "shopify",
            Kind::Dbt => "dbt",
            Kind::Dagu => "dagu",
            Kind::Custom => "custom",
        }
    }

    /// A human label (`"Standard Webhooks"`).
    pub const fn label(self) -> &'static str {
        match self {
            Kind::Grafana => "Grafana alerting",
            Kind::Github => "GitHub",
            Kind::Stripe => "Stripe",
            Kind::Standard => "Standard Webhooks",
            Kind::Svix => "Svix",
            Kind::Slack => "Slack",
            Kind::Shopify => "Shopify",
            Kind::Dbt => "dbt Cloud",
            Kind::Dagu => "Dagu",
            Kind::Custom => "Custom HMAC",
        }
    }

    /// Parses a scheme id, case-insensitively.
    ///
    /// # Errors
    /// [`ErrorCode::UnknownScheme`] when the id names no scheme.
    pub fn parse(id: &str) -> Result<Kind, Error> {
        Kind::ALL
            .into_iter()
            .find(|k| eq_ignore_case(k.id(), id))
            .ok_or_else(|| {
                Error::new(
                    ErrorCode::UnknownScheme,
                    cat(&[
                        "\"",
                        &truncate(id, 40),
                        "\" is not a scheme; use one of grafana, github, stripe, standard, svix, slack, shopify, dbt, dagu, custom",
                    ]),
                )
            })
    }
}

/// `a.eq_ignore_ascii_case(b)`, out of line: inlined into the unrolled search over the ten ids it
/// was most of `Kind::parse`.
#[inline(never)]
fn eq_ignore_case(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

/// Options that shape a scheme. Every field is optional; which ones apply depends on the scheme:
///
/// | option | applies to |
/// |---|---|
/// | `header` | grafana (default `X-Grafana-Alerting-Signature`), custom (required) |
/// | `timestamp_header` | grafana, custom |
/// | `id_header` | custom |
/// | `algorithm` | custom (`sha256`, `sha512`, `sha1`), github (`sha1` adds the legacy header) |
/// | `encoding` | custom (`hex`, `base64`) |
/// | `prefix` | custom (text before the encoded MAC, e.g. `sha256=`) |
/// | `message` | custom (layout from `{id}`, `{timestamp}`, `{body}`; default `{body}`) |
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// Signature header name.
    pub header: Option<String>,
    /// Timestamp header name.
    pub timestamp_header: Option<String>,
    /// Message-id header name.
    pub id_header: Option<String>,
    /// MAC hash: `sha256`, `sha512` or `sha1`.
    pub algorithm: Option<String>,
    /// MAC encoding: `hex` or `base64`.
    pub encoding: Option<String>,
    /// Text before the encoded MAC in the header value.
    pub prefix: Option<String>,
    /// Signed-content layout, e.g. `{timestamp}.{body}`.
    pub message: Option<String>,
}

/// One piece of the signed content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Piece {
    Lit(String),
    Id,
    Timestamp,
    Body,
}

/// Header slots a scheme reads, in a fixed order (see [`Scheme::header_names`]).
pub(crate) const SIG: usize = 0;
pub(crate) const TS: usize = 1;
pub(crate) const ID: usize = 2;
/// GitHub's legacy SHA-1 header, Dagu's profile header, or the alternate signature header of
/// Standard Webhooks / Svix.
pub(crate) const EXTRA: usize = 3;
pub(crate) const ALT_TS: usize = 4;
pub(crate) const ALT_ID: usize = 5;
/// Number of header slots.
pub const SLOTS: usize = 6;

/// A resolved scheme: everything needed to sign or verify, computed once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scheme {
    pub(crate) kind: Kind,
    pub(crate) algorithm: Algorithm,
    pub(crate) encoding: Encoding,
    /// Header names as written when signing (canonical case), one per slot; empty when unused.
    pub(crate) names: [String; SLOTS],
    /// The same names in lowercase, for lookup.
    pub(crate) lower: [String; SLOTS],
    pub(crate) prefix: String,
    pub(crate) message: Vec<Piece>,
    pub(crate) legacy_sha1: bool,
}

fn truncate(s: &str, max: usize) -> String {
    for (n, (i, _)) in s.char_indices().enumerate() {
        if n == max {
            return cat(&[s.get(..i).unwrap_or(s), "…"]);
        }
    }
    s.to_string()
}

/// A header name as an owned string, as given or lowercased. Out of line: inlined into the
/// (unrolled) maps over the slots it was a large part of the verifier's wasm.
#[inline(never)]
fn owned(name: &str, lowercase: bool) -> String {
    if lowercase { name.to_ascii_lowercase() } else { name.to_string() }
}

fn reject(kind: Kind, option: &str) -> Error {
    Error::new(ErrorCode::InvalidOptions, cat(&["option ", option, " does not apply to scheme ", kind.id()]))
}

fn valid_header_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

fn header_option<'o>(value: Option<&'o str>, option: &str) -> Result<Option<&'o str>, Error> {
    match value {
        Some(v) if !valid_header_name(v) => Err(Error::new(
            ErrorCode::InvalidOptions,
            cat(&["option ", option, ": \"", &truncate(v, 40), "\" is not a valid header name"]),
        )),
        v => Ok(v),
    }
}

/// Parses a custom message layout into pieces.
fn parse_message(layout: &str) -> Result<Vec<Piece>, Error> {
    // Placeholder names as they follow a '{'.
    const PLACEHOLDERS: [(&str, Piece); 3] =
        [("body}", Piece::Body), ("timestamp}", Piece::Timestamp), ("id}", Piece::Id)];
    let mut pieces = Vec::new();
    let mut bodies = 0;
    let mut rest = layout;
    loop {
        let (lit, after) = match rest.split_once('{') {
            Some((lit, after)) => (lit, Some(after)),
            None => (rest, None),
        };
        if !lit.is_empty() {
            pieces.push(Piece::Lit(lit.to_string()));
        }
        // Every '{' must open a placeholder.
        let Some(after) = after else { break };
        let found = PLACEHOLDERS.iter().find_map(|(name, piece)| after.strip_prefix(name).map(|tail| (piece, tail)));
        let Some((piece, tail)) = found else {
            let part = after.split_once('{').map_or(after, |(part, _)| part);
            return Err(Error::new(
                ErrorCode::InvalidOptions,
                cat(&[
                    "option message: unknown placeholder at \"{",
                    &truncate(part, 20),
                    "\"; use {id}, {timestamp} or {body}",
                ]),
            ));
        };
        if *piece == Piece::Body {
            bodies += 1;
        }
        pieces.push(piece.clone());
        rest = tail;
    }
    if bodies != 1 {
        return Err(Error::new(ErrorCode::InvalidOptions, "option message must contain {body} exactly once"));
    }
    Ok(pieces)
}

/// What a built-in kind sends, before options: header names per slot (SIG, TS, ID, EXTRA, ALT_TS,
/// ALT_ID; empty when unused), the text before the encoded MAC, the signed layout, and whether the
/// MAC is base64 (else hex).
#[derive(Clone, Copy)]
struct Builtin {
    names: [&'static str; SLOTS],
    prefix: &'static str,
    layout: &'static str,
    base64: bool,
}

const fn builtin(names: [&'static str; SLOTS], prefix: &'static str, layout: &'static str, base64: bool) -> Builtin {
    Builtin { names, prefix, layout, base64 }
}

/// Indexed by `Kind as usize` (declaration order). Grafana, GitHub and Custom are adjusted by options.
const BUILTINS: [Builtin; 10] = [
    builtin(["X-Grafana-Alerting-Signature", "", "", "", "", ""], "", "{body}", false),
    builtin(["X-Hub-Signature-256", "", "", "", "", ""], "sha256=", "{body}", false),
    builtin(["Stripe-Signature", "", "", "", "", ""], "", "{timestamp}.{body}", false),
    builtin(
        ["webhook-signature", "webhook-timestamp", "webhook-id", "svix-signature", "svix-timestamp", "svix-id"],
        "",
        "{id}.{timestamp}.{body}",
        true,
    ),
    builtin(
        ["svix-signature", "svix-timestamp", "svix-id", "webhook-signature", "webhook-timestamp", "webhook-id"],
        "",
        "{id}.{timestamp}.{body}",
        true,
    ),
    builtin(["X-Slack-Signature", "X-Slack-Request-Timestamp", "", "", "", ""], "v0=", "v0:{timestamp}:{body}", false),
    builtin(["X-Shopify-Hmac-Sha256", "", "", "", "", ""], "", "{body}", true),
    builtin(["Authorization", "", "", "", "", ""], "", "{body}", false),
    builtin(["X-Dagu-Signature", "", "", "X-Dagu-Profile", "", ""], "sha256=", "{body}", false),
    builtin(["", "", "", "", "", ""], "", "{body}", false),
];

impl Scheme {
    /// Resolves a scheme id and its options.
    ///
    /// # Errors
    /// [`ErrorCode::UnknownScheme`] for an unknown id; [`ErrorCode::InvalidOptions`] when an option
    /// does not apply to the scheme, is not valid, or a required one is missing.
    pub fn new(id: &str, options: &Options) -> Result<Scheme, Error> {
        let kind = Kind::parse(id)?;
        const NAMES: [&str; 7] =
            ["header", "timestampHeader", "idHeader", "algorithm", "encoding", "prefix", "message"];
        // Bit i: option NAMES[i] applies.
        let allowed: u8 = match kind {
            Kind::Grafana => 0b11,
            Kind::Github => 0b1000,
            Kind::Custom => 0b111_1111,
            _ => 0,
        };
        let given = [
            &options.header,
            &options.timestamp_header,
            &options.id_header,
            &options.algorithm,
            &options.encoding,
            &options.prefix,
            &options.message,
        ];
        for (i, (option, name)) in given.iter().zip(NAMES).enumerate() {
            if option.is_some() && allowed & (1 << i) == 0 {
                return Err(reject(kind, name));
            }
        }
        let header = header_option(options.header.as_deref(), "header")?;
        let ts_header = header_option(options.timestamp_header.as_deref(), "timestampHeader")?;
        let id_header = header_option(options.id_header.as_deref(), "idHeader")?;
        let mut algorithm = match &options.algorithm {
            Some(a) => Algorithm::parse(a)?,
            None => Algorithm::Sha256,
        };
        let mut encoding = match &options.encoding {
            Some(e) => Encoding::parse(e)?,
            None => Encoding::Hex,
        };
        let mut legacy_sha1 = false;

        let Builtin { mut names, mut prefix, mut layout, base64 } = BUILTINS[kind as usize];
        if base64 {
            encoding = Encoding::Base64;
        }
        match kind {
            Kind::Grafana => {
                if let Some(h) = header {
                    names[SIG] = h;
                }
                if let Some(ts) = ts_header {
                    names[TS] = ts;
                    layout = "{timestamp}:{body}";
                }
            }
            Kind::Github => match algorithm {
                Algorithm::Sha256 => {}
                // SHA-256 stays the primary signature; SHA-1 is added (sign) and accepted (verify,
                // only when no SHA-256 header is present) on request.
                Algorithm::Sha1 => {
                    legacy_sha1 = true;
                    algorithm = Algorithm::Sha256;
                    names[EXTRA] = "X-Hub-Signature";
                }
                Algorithm::Sha512 => {
                    return Err(Error::new(
                        ErrorCode::InvalidOptions,
                        "option algorithm: github signs with sha256, or sha1 for the legacy header",
                    ));
                }
            },
            Kind::Custom => {
                names[SIG] = header.ok_or_else(|| {
                    Error::new(ErrorCode::InvalidOptions, "option header is required for scheme custom")
                })?;
                names[TS] = ts_header.unwrap_or("");
                names[ID] = id_header.unwrap_or("");
                prefix = options.prefix.as_deref().unwrap_or("");
                layout = options.message.as_deref().unwrap_or("{body}");
            }
            _ => {}
        }
        let scheme = Scheme {
            kind,
            algorithm,
            encoding,
            names: names.map(|n| owned(n, false)),
            lower: names.map(|n| owned(n, true)),
            prefix: prefix.to_string(),
            message: parse_message(layout)?,
            legacy_sha1,
        };
        // A custom layout's placeholders need their headers (Stripe's timestamp is inside its
        // signature header).
        for (used, slot, option) in
            [(scheme.uses_timestamp(), TS, "timestampHeader"), (scheme.uses_id(), ID, "idHeader")]
        {
            if kind == Kind::Custom && used && names[slot].is_empty() {
                return Err(Error::new(
                    ErrorCode::InvalidOptions,
                    cat(&["option message uses a placeholder whose header is not set; set option ", option]),
                ));
            }
        }
        Ok(scheme)
    }

    /// The scheme's kind.
    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// The scheme id (`"stripe"`).
    pub fn id(&self) -> &'static str {
        self.kind.id()
    }

    /// The MAC hash.
    pub fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    /// The lowercase names of the headers this scheme reads, one per slot, `""` for an unused
    /// slot. [`Scheme::verify_values`] takes the header values in this order.
    pub fn header_names(&self) -> &[String; SLOTS] {
        &self.lower
    }

    /// Whether the signed content includes a timestamp.
    pub fn uses_timestamp(&self) -> bool {
        self.message.contains(&Piece::Timestamp)
    }

    /// Whether the signed content includes a message id.
    pub fn uses_id(&self) -> bool {
        self.message.contains(&Piece::Id)
    }

    /// Writes the signed content before and after the body.
    pub(crate) fn frame(&self, timestamp: &str, id: &str, profile: Option<&str>) -> (Vec<u8>, Vec<u8>) {
        let mut prefix = Vec::new();
        let mut suffix = Vec::new();
        if let (Kind::Dagu, Some(p)) = (self.kind, profile) {
            prefix.extend_from_slice(b"x-dagu-profile:");
            prefix.extend_from_slice(p.as_bytes());
            prefix.push(b'\n');
        }
        let mut out = &mut prefix;
        for piece in &self.message {
            match piece {
                Piece::Lit(s) => out.extend_from_slice(s.as_bytes()),
                Piece::Id => out.extend_from_slice(id.as_bytes()),
                Piece::Timestamp => out.extend_from_slice(timestamp.as_bytes()),
                Piece::Body => out = &mut suffix,
            }
        }
        (prefix, suffix)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_parses_its_own_id_in_any_case() {
        for k in Kind::ALL {
            assert_eq!(Kind::parse(k.id()).unwrap(), k);
            assert_eq!(Kind::parse(&k.id().to_uppercase()).unwrap(), k);
        }
        assert_eq!(Kind::parse("nope").unwrap_err().code(), ErrorCode::UnknownScheme);
    }

    /// `BUILTINS` is indexed by `Kind as usize`: each kind gets its own sender's header.
    #[test]
    fn builtin_table_follows_kind_order() {
        let signature_headers = [
            ("grafana", "X-Grafana-Alerting-Signature"),
            ("github", "X-Hub-Signature-256"),
            ("stripe", "Stripe-Signature"),
            ("standard", "webhook-signature"),
            ("svix", "svix-signature"),
            ("slack", "X-Slack-Signature"),
            ("shopify", "X-Shopify-Hmac-Sha256"),
            ("dbt", "Authorization"),
            ("dagu", "X-Dagu-Signature"),
        ];
        for (id, header) in signature_headers {
            assert_eq!(Scheme::new(id, &Options::default()).unwrap().names[SIG], header, "{id}");
        }
    }

    #[test]
    fn options_that_do_not_apply_are_refused() {
        let o = Options { header: Some("X-Sig".into()), ..Default::default() };
        let e = Scheme::new("stripe", &o).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidOptions);
        assert!(e.detail().contains("header"), "{e}");
    }

    #[test]
    fn custom_layouts() {
        let o = |m: &str| Options {
            header: Some("X-Sig".into()),
            timestamp_header: Some("X-Ts".into()),
            message: Some(m.into()),
            ..Default::default()
        };
        let s = Scheme::new("custom", &o("{timestamp}.{body}!")).unwrap();
        assert_eq!(s.frame("12", "", None), (b"12.".to_vec(), b"!".to_vec()));
        for bad in ["{body}{body}", "no body", "{bogus}{body}"] {
            assert_eq!(Scheme::new("custom", &o(bad)).unwrap_err().code(), ErrorCode::InvalidOptions);
        }
        let needs_id = Options { header: Some("X".into()), message: Some("{id}{body}".into()), ..Default::default() };
        assert_eq!(Scheme::new("custom", &needs_id).unwrap_err().code(), ErrorCode::InvalidOptions);
        let bad_name = Options { header: Some("X Sig".into()), ..Default::default() };
        assert_eq!(Scheme::new("custom", &bad_name).unwrap_err().code(), ErrorCode::InvalidOptions);
    }
}
