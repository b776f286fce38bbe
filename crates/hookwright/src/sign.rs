//! Signing: the headers a sender would add to a request.

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::error::{Error, ErrorCode, cat};
use crate::mac::{Algorithm, Key};
use crate::scheme::{EXTRA, ID, Kind, SIG, Scheme, TS};
use crate::verify::decimal;

/// What is signed besides the body.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SignInput<'a> {
    /// Unix seconds; required by schemes that sign a timestamp.
    pub timestamp: Option<u64>,
    /// Message id; required by Standard Webhooks / Svix and custom layouts with `{id}`.
    pub id: Option<&'a str>,
    /// Dagu profile: sent as `X-Dagu-Profile` and signed.
    pub profile: Option<&'a str>,
}

fn header_value(value: &str, what: &str) -> Result<(), Error> {
    if value.is_empty() || value.chars().any(|c| c.is_control()) {
        return Err(Error::new(
            ErrorCode::InvalidOptions,
            cat(&[what, " must be non-empty and free of control characters"]),
        ));
    }
    Ok(())
}

impl Scheme {
    /// Signs `body` and returns the headers to add, in the order the sender writes them, with the
    /// sender's spelling of each name.
    ///
    /// ```
    /// use hookwright::{Options, Scheme, SignInput, Secret};
    /// let stripe = Scheme::new("stripe", &Options::default())?;
    /// let key = stripe.key(&Secret::Text("whsec_test"))?;
    /// let headers = stripe.sign(&key, b"{}", SignInput { timestamp: Some(1700000000), ..Default::default() })?;
    /// assert_eq!(headers[0].0, "Stripe-Signature");
    /// assert!(headers[0].1.starts_with("t=1700000000,v1="));
    /// # Ok::<(), hookwright::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`ErrorCode::InvalidOptions`] when the scheme needs a timestamp or id that `input` lacks,
    /// or an id/profile is not a valid header value.
    pub fn sign(&self, key: &Key, body: &[u8], input: SignInput<'_>) -> Result<Vec<(String, String)>, Error> {
        let mut out = Vec::with_capacity(4);
        self.sign_each(key, body, input, &mut |name, value| out.push((name.to_string(), value.to_string())))?;
        Ok(out)
    }

    /// [`Scheme::sign`], handing each header (name, value) to `emit` in order instead of
    /// collecting them. Nothing is emitted when it fails.
    ///
    /// # Errors
    /// As [`Scheme::sign`].
    pub fn sign_each(
        &self,
        key: &Key,
        body: &[u8],
        input: SignInput<'_>,
        emit: &mut dyn FnMut(&str, &str),
    ) -> Result<(), Error> {
        let ts = match (self.uses_timestamp(), input.timestamp) {
            (true, None) => {
                return Err(Error::new(
                    ErrorCode::InvalidOptions,
                    cat(&["scheme ", self.id(), " signs a timestamp: give one"]),
                ));
            }
            (_, t) => t.map(decimal),
        };
        let id = match (self.uses_id(), input.id) {
            (true, None) => {
                return Err(Error::new(
                    ErrorCode::InvalidOptions,
                    cat(&["scheme ", self.id(), " signs a message id: give one"]),
                ));
            }
            (true, Some(id)) => {
                header_value(id, "the message id")?;
                Some(id)
            }
            (false, _) => None,
        };
        let profile = match (self.kind, input.profile) {
            (Kind::Dagu, Some(p)) => {
                header_value(p, "the Dagu profile")?;
                Some(p)
            }
            _ => None,
        };
        let ts = ts.as_deref();
        let (prefix, suffix) = self.frame(ts.unwrap_or(""), id.unwrap_or(""), profile);
        let parts: [&[u8]; 3] = [&prefix, body, &suffix];
        let mac = self.encoding.encode(&key.mac(&parts));
        let value = match self.kind {
            Kind::Stripe => cat(&["t=", ts.unwrap_or(""), ",v1=", &mac]),
            Kind::Standard | Kind::Svix => cat(&["v1,", &mac]),
            _ => cat(&[&self.prefix, &mac]),
        };
        let legacy = match self.legacy_sha1 {
            true => Some(cat(&["sha1=", &crate::mac::hex(&key.with_algorithm(Algorithm::Sha1)?.mac(&parts))])),
            false => None,
        };

        if let Some(id) = id {
            emit(&self.names[ID], id);
        }
        if let (Some(ts), false) = (ts, self.kind == Kind::Stripe || self.names[TS].is_empty()) {
            emit(&self.names[TS], ts);
        }
        if let Some(p) = profile {
            emit(&self.names[EXTRA], p);
        }
        emit(&self.names[SIG], &value);
        if let Some(sha1) = legacy {
            emit(&self.names[EXTRA], &sha1);
        }
        Ok(())
    }
}
