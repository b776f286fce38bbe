//! Verifying a received request: find the headers, check the timestamp, compare the MAC.

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::error::{Error, ErrorCode, cat};
use crate::mac::{Algorithm, Encoding, Key, Secret, decode_standard_secret, undecodable};
use crate::scheme::{ALT_ID, ALT_TS, EXTRA, ID, Kind, SIG, SLOTS, Scheme, TS};

/// When "now" is and how far a timestamp may be from it, in unix seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// The current time, unix seconds. The core never reads a clock: pass it in.
    pub now: u64,
    /// How far (either direction) a signed timestamp may be from `now`, in seconds.
    pub tolerance: u64,
}

impl Policy {
    /// The default tolerance, five minutes, as Stripe and Standard Webhooks use.
    pub const DEFAULT_TOLERANCE: u64 = 300;

    /// A policy at `now` with the default tolerance.
    pub fn at(now: u64) -> Policy {
        Policy { now, tolerance: Self::DEFAULT_TOLERANCE }
    }
}

/// What a successful verification found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// The scheme id.
    pub scheme: &'static str,
    /// The signed timestamp, when the scheme has one.
    pub timestamp: Option<u64>,
    /// The message id, when the scheme has one.
    pub id: Option<String>,
    /// Which secret matched (index into the secrets given).
    pub secret_index: usize,
    /// Which signature of the header matched (index among the signatures of the expected version).
    pub signature_index: usize,
}

/// A request whose headers have been parsed and timestamp checked, ready for the MAC comparison.
/// Hosts with a faster native HMAC can compute `prefix + body + suffix` themselves and compare
/// against [`Prepared::candidates`] in constant time; [`Prepared::check`] does it in Rust.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// Signed bytes before the body.
    pub prefix: Vec<u8>,
    /// Signed bytes after the body.
    pub suffix: Vec<u8>,
    /// The algorithm the candidates were made with.
    pub algorithm: Algorithm,
    candidates: Vec<([u8; 64], usize)>,
    /// The signed timestamp.
    pub timestamp: Option<u64>,
    /// The message id.
    pub id: Option<String>,
    scheme: &'static str,
}

impl Prepared {
    /// The decoded signatures from the request, each exactly `algorithm.output_len()` bytes.
    pub fn candidates(&self) -> impl Iterator<Item = &[u8]> {
        self.candidates.iter().map(|(b, n)| &b[..*n])
    }

    /// What to report when secret `secret_index` matched signature `signature_index`.
    pub fn verified(&self, secret_index: usize, signature_index: usize) -> Verified {
        Verified { scheme: self.scheme, timestamp: self.timestamp, id: self.id.clone(), secret_index, signature_index }
    }

    /// Like [`Prepared::check`] for key `k` alone (a key for [`Prepared::algorithm`]), when the
    /// host computed the inner hash `H(key.ipad_block() + prefix + body + suffix)`: `None` when
    /// nothing matches.
    pub fn check_inner(&self, k: usize, key: &Key, inner: &[u8]) -> Option<Verified> {
        if key.algorithm() != self.algorithm {
            return None;
        }
        key.matches_inner(inner, self.candidates()).map(|s| self.verified(k, s))
    }

    /// Compares the MAC of `prefix + body + suffix` under each key with each candidate, in
    /// constant time.
    ///
    /// # Errors
    /// [`ErrorCode::SignatureMismatch`] when nothing matches.
    pub fn check(&self, body: &[u8], keys: &[Key]) -> Result<Verified, Error> {
        let parts: [&[u8]; 3] = [&self.prefix, body, &self.suffix];
        for (k, key) in keys.iter().enumerate() {
            let found = if key.algorithm() == self.algorithm {
                key.matches(&parts, self.candidates())
            } else {
                key.with_algorithm(self.algorithm)?.matches(&parts, self.candidates())
            };
            if let Some(s) = found {
                return Ok(self.verified(k, s));
            }
        }
        Err(mismatch(keys.len()))
    }
}

/// The error for "no signature matched"; never says what the expected signature is.
pub fn mismatch(secrets: usize) -> Error {
    Error::new(
        ErrorCode::SignatureMismatch,
        if secrets > 1 {
            "no signature in the request matches any of the secrets"
        } else {
            "no signature in the request matches the secret"
        },
    )
}

/// Decimal form of a u64 without the formatting machinery.
pub(crate) fn decimal(mut n: u64) -> String {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    // ASCII digits: always valid UTF-8.
    String::from(core::str::from_utf8(&buf[i..]).unwrap_or_default())
}

/// Parses a unix timestamp in whole seconds.
pub(crate) fn parse_timestamp(s: &str, header: &str) -> Result<u64, Error> {
    if s.is_empty() || s.len() > 15 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::new(
            ErrorCode::MalformedHeader,
            cat(&["header ", header, " is not a unix timestamp in whole seconds"]),
        ));
    }
    Ok(s.bytes().fold(0u64, |n, b| n * 10 + u64::from(b - b'0')))
}

fn check_time(ts: u64, policy: Policy) -> Result<(), Error> {
    if policy.now > ts && policy.now - ts > policy.tolerance {
        return Err(Error::new(
            ErrorCode::TimestampTooOld,
            cat(&[
                "the timestamp is ",
                &decimal(policy.now - ts),
                " s before now; the tolerance is ",
                &decimal(policy.tolerance),
                " s",
            ]),
        ));
    }
    if ts > policy.now && ts - policy.now > policy.tolerance {
        return Err(Error::new(
            ErrorCode::TimestampTooNew,
            cat(&[
                "the timestamp is ",
                &decimal(ts - policy.now),
                " s after now; the tolerance is ",
                &decimal(policy.tolerance),
                " s",
            ]),
        ));
    }
    Ok(())
}

fn missing(name: &str) -> Error {
    Error::new(ErrorCode::MissingHeader, cat(&["header ", name, " is missing"]))
}

impl Scheme {
    /// Decodes one secret into a key for this scheme. Text secrets of Standard Webhooks / Svix are
    /// `whsec_` + base64 and are decoded; every other secret is used as given.
    ///
    /// # Errors
    /// [`ErrorCode::InvalidSecret`] when the secret is empty or not decodable.
    pub fn key(&self, secret: &Secret<'_>) -> Result<Key, Error> {
        let bytes = match (self.kind, secret) {
            (Kind::Standard | Kind::Svix, Secret::Text(t)) => decode_standard_secret(t)?,
            (_, Secret::Text(t)) => t.as_bytes().to_vec(),
            (_, Secret::Bytes(b)) => b.to_vec(),
        };
        Key::new(self.algorithm, bytes)
    }

    /// Decodes several secrets (rotation).
    ///
    /// # Errors
    /// [`ErrorCode::InvalidSecret`] when there is none, or one is empty or not decodable.
    pub fn keys(&self, secrets: &[Secret<'_>]) -> Result<Vec<Key>, Error> {
        if secrets.is_empty() {
            return Err(Error::new(ErrorCode::InvalidSecret, "no secret given"));
        }
        secrets.iter().map(|s| self.key(s)).collect()
    }

    /// Finds this scheme's headers in a list of `(name, value)` pairs, names compared
    /// case-insensitively.
    ///
    /// # Errors
    /// [`ErrorCode::MalformedHeader`] when a header the scheme reads appears twice with different
    /// values.
    pub fn lookup<'h>(&self, headers: &[(&str, &'h str)]) -> Result<[Option<&'h str>; SLOTS], Error> {
        let mut values = [None; SLOTS];
        for (slot, name) in self.lower.iter().enumerate() {
            if name.is_empty() {
                continue;
            }
            for (n, v) in headers {
                if n.eq_ignore_ascii_case(name) {
                    match values[slot] {
                        Some(prev) if prev != *v => {
                            return Err(Error::new(
                                ErrorCode::MalformedHeader,
                                cat(&["header ", &self.names[slot], " appears more than once"]),
                            ));
                        }
                        _ => values[slot] = Some(*v),
                    }
                }
            }
        }
        Ok(values)
    }

    /// Parses the header values (ordered as [`Scheme::header_names`]) and checks the timestamp.
    /// A value holding a line feed stands for a header received more than once.
    ///
    /// # Errors
    /// [`ErrorCode::MissingHeader`], [`ErrorCode::MalformedHeader`],
    /// [`ErrorCode::TimestampTooOld`], [`ErrorCode::TimestampTooNew`],
    /// [`ErrorCode::SignatureMismatch`] (no signature of the expected version).
    pub fn prepare(&self, values: &[Option<&str>; SLOTS], policy: Policy) -> Result<Prepared, Error> {
        for (slot, v) in values.iter().enumerate() {
            if v.is_some_and(|v| v.bytes().any(|b| b == b'\n')) {
                return Err(Error::new(
                    ErrorCode::MalformedHeader,
                    cat(&["header ", &self.names[slot], " appears more than once"]),
                ));
            }
        }
        let mut algorithm = self.algorithm;
        // Which slots to read: Standard/Svix fall back to the other family's names; GitHub falls
        // back to the legacy SHA-1 header only when asked to.
        let (sig_slot, ts_slot, id_slot) = match self.kind {
            Kind::Standard | Kind::Svix if values[SIG].is_none() && values[EXTRA].is_some() => (EXTRA, ALT_TS, ALT_ID),
            Kind::Github if values[SIG].is_none() && self.legacy_sha1 && values[EXTRA].is_some() => {
                algorithm = Algorithm::Sha1;
                (EXTRA, TS, ID)
            }
            _ => (SIG, TS, ID),
        };
        let sig_name = &self.names[sig_slot];
        let sig = values[sig_slot].ok_or_else(|| missing(sig_name))?;
        let want = algorithm.output_len();
        let mut candidates = Vec::with_capacity(1);
        let mut push = |s: &str, encoding: Encoding| -> Result<(), Error> {
            let mut buf = [0u8; 64];
            match encoding.decode(s, &mut buf) {
                Some(n) if n == want => {
                    candidates.push((buf, n));
                    Ok(())
                }
                _ => Err(undecodable(sig_name, encoding, algorithm)),
            }
        };

        let mut ts_text: Option<&str> = None;
        match self.kind {
            Kind::Stripe => {
                for item in sig.split(',') {
                    let (k, v) = item.trim().split_once('=').ok_or_else(|| {
                        Error::new(
                            ErrorCode::MalformedHeader,
                            cat(&["header ", sig_name, " is not a list of key=value elements"]),
                        )
                    })?;
                    match k {
                        "t" if ts_text.is_some() => {
                            return Err(Error::new(
                                ErrorCode::MalformedHeader,
                                cat(&["header ", sig_name, " has more than one t= element"]),
                            ));
                        }
                        "t" => ts_text = Some(v),
                        "v1" => push(v, Encoding::Hex)?,
                        _ => {} // v0 and future schemes are ignored, as Stripe's libraries do.
                    }
                }
                if ts_text.is_none() {
                    return Err(Error::new(
                        ErrorCode::MalformedHeader,
                        cat(&["header ", sig_name, " has no t= timestamp"]),
                    ));
                }
            }
            Kind::Standard | Kind::Svix => {
                for item in sig.split_ascii_whitespace() {
                    let (version, s) = item.split_once(',').ok_or_else(|| {
                        Error::new(
                            ErrorCode::MalformedHeader,
                            cat(&["header ", sig_name, " is not a space-separated list of version,signature"]),
                        )
                    })?;
                    if version == "v1" {
                        push(s, Encoding::Base64)?;
                    }
                }
            }
            _ => {
                // The legacy GitHub header is "sha1=<hex>"; every other prefix comes from the scheme.
                let prefix =
                    if algorithm == Algorithm::Sha1 && self.kind == Kind::Github { "sha1=" } else { &self.prefix };
                let encoded = sig.strip_prefix(prefix).ok_or_else(|| {
                    Error::new(
                        ErrorCode::MalformedHeader,
                        cat(&["header ", sig_name, " does not start with \"", prefix, "\""]),
                    )
                })?;
                push(encoded, self.encoding)?;
            }
        }

        if self.kind != Kind::Stripe && self.uses_timestamp() {
            ts_text = Some(values[ts_slot].ok_or_else(|| missing(&self.names[ts_slot]))?);
        }
        let id = if self.uses_id() {
            let id = values[id_slot].ok_or_else(|| missing(&self.names[id_slot]))?;
            if id.is_empty() {
                return Err(Error::new(
                    ErrorCode::MalformedHeader,
                    cat(&["header ", &self.names[id_slot], " is empty"]),
                ));
            }
            Some(id)
        } else {
            None
        };
        let timestamp = match ts_text {
            Some(t) => {
                let name = if self.kind == Kind::Stripe { sig_name } else { &self.names[ts_slot] };
                let ts = parse_timestamp(t, name)?;
                check_time(ts, policy)?;
                Some(ts)
            }
            None => None,
        };
        if candidates.is_empty() {
            return Err(Error::new(ErrorCode::SignatureMismatch, cat(&["header ", sig_name, " has no v1 signature"])));
        }
        let profile = if self.kind == Kind::Dagu { values[EXTRA] } else { None };
        let (prefix, suffix) = self.frame(ts_text.unwrap_or(""), id.unwrap_or(""), profile);
        Ok(Prepared {
            prefix,
            suffix,
            algorithm,
            candidates,
            timestamp,
            id: id.map(str::to_string),
            scheme: self.kind.id(),
        })
    }

    /// Verifies a request given header values ordered as [`Scheme::header_names`].
    ///
    /// # Errors
    /// Any [`ErrorCode`] of verification; see [`Scheme::prepare`] and [`Prepared::check`].
    pub fn verify_values(
        &self,
        values: &[Option<&str>; SLOTS],
        body: &[u8],
        keys: &[Key],
        policy: Policy,
    ) -> Result<Verified, Error> {
        if keys.is_empty() {
            return Err(Error::new(ErrorCode::InvalidSecret, "no secret given"));
        }
        self.prepare(values, policy)?.check(body, keys)
    }

    /// Verifies a request: `headers` as `(name, value)` pairs in any letter case, `body` the raw
    /// bytes as received.
    ///
    /// ```
    /// use hookwright::{Options, Policy, Scheme, Secret};
    /// let github = Scheme::new("github", &Options::default())?;
    /// let keys = github.keys(&[Secret::Text("It's a Secret to Everybody")])?;
    /// let headers = [("x-hub-signature-256",
    ///     "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")];
    /// let ok = github.verify(&headers, b"Hello, World!", &keys, Policy::at(0))?;
    /// assert_eq!(ok.scheme, "github");
    /// # Ok::<(), hookwright::Error>(())
    /// ```
    ///
    /// # Errors
    /// Any [`ErrorCode`] of verification.
    pub fn verify(
        &self,
        headers: &[(&str, &str)],
        body: &[u8],
        keys: &[Key],
        policy: Policy,
    ) -> Result<Verified, Error> {
        let values = self.lookup(headers)?;
        self.verify_values(&values, body, keys, policy)
    }
}

/// The signature a secret would have produced for a received request, beside the one received.
/// See [`Scheme::expected_signature`].
#[derive(Clone, PartialEq, Eq)]
pub struct Expected {
    /// The signature header's name, as the scheme spells it.
    pub header: String,
    /// The value received in that header.
    pub received: String,
    /// The value the secret produces for this body, timestamp, id and profile.
    pub expected: String,
}

impl core::fmt::Debug for Expected {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Expected")
            .field("header", &self.header)
            .field("received", &self.received)
            .finish_non_exhaustive()
    }
}

impl Scheme {
    /// For debugging tools only: the signature header value `key` produces for `body`, signed with
    /// the timestamp, message id and profile read from the received `headers`, beside the value
    /// received. It does not check the timestamp's age. A receiver must never send this back to
    /// whoever sent the request ([`Scheme::verify`] never reveals it).
    ///
    /// ```
    /// use hookwright::{Options, Scheme, Secret};
    /// let github = Scheme::new("github", &Options::default())?;
    /// let key = github.key(&Secret::Text("It's a Secret to Everybody"))?;
    /// let e = github.expected_signature(&[("X-Hub-Signature-256", "sha256=00")], b"Hello, World!", &key)?;
    /// assert_eq!(e.expected, "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
    /// assert_eq!(e.received, "sha256=00");
    /// # Ok::<(), hookwright::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`ErrorCode::MissingHeader`] when the signature header or a signed timestamp or id header is
    /// missing; [`ErrorCode::MalformedHeader`] for an unreadable timestamp or a repeated header.
    pub fn expected_signature(&self, headers: &[(&str, &str)], body: &[u8], key: &Key) -> Result<Expected, Error> {
        let values = self.lookup(headers)?;
        let (sig_slot, ts_slot, id_slot) = match self.kind {
            Kind::Standard | Kind::Svix if values[SIG].is_none() && values[EXTRA].is_some() => (EXTRA, ALT_TS, ALT_ID),
            _ => (SIG, TS, ID),
        };
        let received = values[sig_slot].ok_or_else(|| missing(&self.names[sig_slot]))?;
        let ts_text = match self.kind {
            Kind::Stripe => received.split(',').find_map(|item| item.trim().strip_prefix("t=")),
            _ if self.uses_timestamp() => Some(values[ts_slot].ok_or_else(|| missing(&self.names[ts_slot]))?),
            _ => None,
        };
        let timestamp = match ts_text {
            Some(t) => Some(parse_timestamp(
                t.trim(),
                &self.names[if self.kind == Kind::Stripe { sig_slot } else { ts_slot }],
            )?),
            None if self.kind == Kind::Stripe => {
                return Err(Error::new(
                    ErrorCode::MalformedHeader,
                    cat(&["header ", &self.names[sig_slot], " has no t= timestamp"]),
                ));
            }
            None => None,
        };
        let id =
            if self.uses_id() { Some(values[id_slot].ok_or_else(|| missing(&self.names[id_slot]))?) } else { None };
        let profile = if self.kind == Kind::Dagu { values[EXTRA] } else { None };
        let signed = self.sign(key, body, crate::SignInput { timestamp, id, profile })?;
        let expected = signed.into_iter().find(|(n, _)| *n == self.names[SIG]).map(|(_, v)| v).unwrap_or_default();
        Ok(Expected { header: self.names[sig_slot].clone(), received: received.to_string(), expected })
    }
}

#[cfg(test)]
mod expected_tests {
    use crate::{Options, Policy, Scheme, Secret, SignInput};

    /// For every built-in scheme: signing, then asking what the secret would produce for the
    /// received headers, gives back exactly the signature that was sent; a tampered body gives a
    /// different one while the received value is reported as it came.
    #[test]
    fn expected_equals_what_signing_sent() {
        for id in ["grafana", "github", "stripe", "standard", "svix", "slack", "shopify", "dbt", "dagu"] {
            let scheme = Scheme::new(id, &Options::default()).unwrap();
            let secret =
                if matches!(id, "standard" | "svix") { "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" } else { "s3cret" };
            let key = scheme.key(&Secret::Text(secret)).unwrap();
            let input = SignInput { timestamp: Some(1_700_000_000), id: Some("msg_1"), profile: Some("prod") };
            let sent = scheme.sign(&key, b"{\"a\":1}", input).unwrap();
            let pairs: Vec<(&str, &str)> = sent.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
            let sig = &scheme.header_names()[0];
            let (sig, sent_sig) = sent.iter().find(|(n, _)| n.eq_ignore_ascii_case(sig)).unwrap();
            let e = scheme.expected_signature(&pairs, b"{\"a\":1}", &key).unwrap();
            assert_eq!((&e.header, &e.received, &e.expected), (sig, sent_sig, sent_sig), "{id}");
            scheme.verify(&pairs, b"{\"a\":1}", std::slice::from_ref(&key), Policy::at(1_700_000_000)).unwrap();
            let tampered = scheme.expected_signature(&pairs, b"{\"a\":2}", &key).unwrap();
            assert_eq!(&tampered.received, sent_sig, "{id}");
            assert_ne!(&tampered.expected, sent_sig, "{id}");
            assert!(!format!("{tampered:?}").contains(&tampered.expected), "{id}: Debug hides the expected value");
        }
    }

    #[test]
    fn missing_and_malformed_headers_are_named() {
        let slack = Scheme::new("slack", &Options::default()).unwrap();
        let key = slack.key(&Secret::Text("s")).unwrap();
        let e = slack.expected_signature(&[("X-Slack-Signature", "v0=00")], b"", &key).unwrap_err();
        assert_eq!(e.detail(), "header X-Slack-Request-Timestamp is missing");
        let e = slack
            .expected_signature(&[("X-Slack-Signature", "v0=00"), ("X-Slack-Request-Timestamp", "soon")], b"", &key)
            .unwrap_err();
        assert_eq!(e.code(), crate::ErrorCode::MalformedHeader);
        let stripe = Scheme::new("stripe", &Options::default()).unwrap();
        let e = stripe.expected_signature(&[("Stripe-Signature", "v1=00")], b"", &key).unwrap_err();
        assert_eq!(e.code(), crate::ErrorCode::MalformedHeader);
        // Svix names are read by the standard scheme too.
        let std = Scheme::new("standard", &Options::default()).unwrap();
        let k = std.key(&Secret::Text("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")).unwrap();
        let e = std
            .expected_signature(&[("svix-id", "m"), ("svix-timestamp", "1"), ("svix-signature", "v1,AA==")], b"x", &k)
            .unwrap();
        assert_eq!(e.header, "svix-signature");
        assert!(e.expected.starts_with("v1,"));
    }
}
