//! One error type for signing and verification, with a stable machine-readable code.

use alloc::borrow::Cow;
use alloc::string::String;
use core::fmt;

/// What went wrong, as a stable code that receivers can branch on.
///
/// The string form ([`ErrorCode::as_str`]) is part of the public contract of the npm package.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// A header the scheme needs is absent.
    MissingHeader,
    /// A header is present but cannot be parsed (bad encoding, wrong length, duplicated, …).
    MalformedHeader,
    /// A secret is empty or cannot be decoded.
    InvalidSecret,
    /// The timestamp is older than the tolerance allows.
    TimestampTooOld,
    /// The timestamp is further in the future than the tolerance allows.
    TimestampTooNew,
    /// No signature in the request matches any of the secrets.
    SignatureMismatch,
    /// The scheme id is not known.
    UnknownScheme,
    /// The options given for a scheme are inconsistent (e.g. a custom scheme without a header).
    InvalidOptions,
}

impl ErrorCode {
    /// Every code, in declaration order.
    pub const ALL: [ErrorCode; 8] = [
        ErrorCode::MissingHeader,
        ErrorCode::MalformedHeader,
        ErrorCode::InvalidSecret,
        ErrorCode::TimestampTooOld,
        ErrorCode::TimestampTooNew,
        ErrorCode::SignatureMismatch,
        ErrorCode::UnknownScheme,
        ErrorCode::InvalidOptions,
    ];

    /// The stable snake_case name, e.g. `signature_mismatch`.
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorCode::MissingHeader => "missing_header",
            ErrorCode::MalformedHeader => "malformed_header",
            ErrorCode::InvalidSecret => "invalid_secret",
            ErrorCode::TimestampTooOld => "timestamp_too_old",
            ErrorCode::TimestampTooNew => "timestamp_too_new",
            ErrorCode::SignatureMismatch => "signature_mismatch",
            ErrorCode::UnknownScheme => "unknown_scheme",
            ErrorCode::InvalidOptions => "invalid_options",
        }
    }

    /// A one-line explanation of the code, without any request data.
    pub const fn summary(self) -> &'static str {
        match self {
            ErrorCode::MissingHeader => "a required header is missing",
            ErrorCode::MalformedHeader => "a header could not be parsed",
            ErrorCode::InvalidSecret => "the secret is empty or cannot be decoded",
            ErrorCode::TimestampTooOld => "the timestamp is older than the tolerance allows",
            ErrorCode::TimestampTooNew => "the timestamp is too far in the future",
            ErrorCode::SignatureMismatch => "no signature matches the secret(s)",
            ErrorCode::UnknownScheme => "unknown signature scheme",
            ErrorCode::InvalidOptions => "invalid options for this scheme",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A signing or verification failure.
///
/// The detail names the header, option or value position involved; it never contains a secret
/// or the signature the secret would produce.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    code: ErrorCode,
    detail: Cow<'static, str>,
}

impl Error {
    /// An error with a code and a detail.
    pub fn new(code: ErrorCode, detail: impl Into<Cow<'static, str>>) -> Self {
        Error { code, detail: detail.into() }
    }

    /// The stable code.
    pub fn code(&self) -> ErrorCode {
        self.code
    }

    /// What exactly failed, e.g. `header "stripe-signature" has no t= element`.
    pub fn detail(&self) -> &str {
        &self.detail
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code.as_str(), self.detail)
    }
}

impl core::error::Error for Error {}

/// `"text" + name + "text"` without pulling in the formatting machinery (keeps the wasm small).
pub(crate) fn cat(parts: &[&str]) -> String {
    let mut s = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for p in parts {
        s.push_str(p);
    }
    s
}
