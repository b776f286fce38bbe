//! Shared state: the scheme and its options, used by both panels.

use hookwright::{Error, Kind, Options, Scheme};
use leptos::prelude::*;

/// The scheme picked and the options typed for it.
#[derive(Clone, Copy)]
pub struct SchemeState {
    pub scheme: RwSignal<String>,
    pub header: RwSignal<String>,
    pub timestamp_header: RwSignal<String>,
    pub id_header: RwSignal<String>,
    pub algorithm: RwSignal<String>,
    pub encoding: RwSignal<String>,
    pub prefix: RwSignal<String>,
    pub message: RwSignal<String>,
    pub secret: RwSignal<String>,
}

impl SchemeState {
    pub fn new() -> Self {
        SchemeState {
            scheme: RwSignal::new("github".into()),
            header: RwSignal::new(String::new()),
            timestamp_header: RwSignal::new(String::new()),
            id_header: RwSignal::new(String::new()),
            algorithm: RwSignal::new(String::new()),
            encoding: RwSignal::new(String::new()),
            prefix: RwSignal::new(String::new()),
            message: RwSignal::new(String::new()),
            secret: RwSignal::new(String::new()),
        }
    }

    pub fn kind(&self) -> Option<Kind> {
        Kind::parse(&self.scheme.get()).ok()
    }

    /// The resolved scheme; options that do not apply to the picked scheme are not passed.
    pub fn resolve(&self) -> Result<Scheme, Error> {
        let kind = Kind::parse(&self.scheme.get())?;
        let get = |s: RwSignal<String>, applies: bool| {
            let v = s.get();
            (applies && !v.trim().is_empty()).then(|| v.trim().to_string())
        };
        let grafana_or_custom = matches!(kind, Kind::Grafana | Kind::Custom);
        let custom = kind == Kind::Custom;
        let options = Options {
            header: get(self.header, grafana_or_custom),
            timestamp_header: get(self.timestamp_header, grafana_or_custom),
            id_header: get(self.id_header, custom),
            algorithm: get(self.algorithm, custom || kind == Kind::Github),
            encoding: get(self.encoding, custom),
            prefix: get(self.prefix, custom),
            message: get(self.message, custom),
        };
        Scheme::new(kind.id(), &options)
    }
}

/// A short note on what the sender signs, for the help line under the picker.
pub fn help(kind: Kind) -> &'static str {
    match kind {
        Kind::Grafana => {
            "Grafana alerting contact point: hex HMAC-SHA256 of the body in X-Grafana-Alerting-Signature; with a timestamp header, of \"{ts}:{body}\"."
        }
        Kind::Github => {
            "GitHub: X-Hub-Signature-256 = sha256=<hex HMAC-SHA256 of the body>. Algorithm sha1 adds the legacy X-Hub-Signature."
        }
        Kind::Stripe => {
            "Stripe: Stripe-Signature = t=<ts>,v1=<hex HMAC-SHA256 of \"{ts}.{body}\">; the whsec_ secret is used as it is."
        }
        Kind::Standard => {
            "Standard Webhooks: webhook-signature = v1,<base64 HMAC-SHA256 of \"{id}.{ts}.{body}\">, keyed with the base64 part of whsec_…."
        }
        Kind::Svix => "Svix: Standard Webhooks with svix-id, svix-timestamp and svix-signature headers.",
        Kind::Slack => {
            "Slack: X-Slack-Signature = v0=<hex HMAC-SHA256 of \"v0:{ts}:{body}\">, with X-Slack-Request-Timestamp."
        }
        Kind::Shopify => "Shopify: X-Shopify-Hmac-Sha256 = base64 HMAC-SHA256 of the body.",
        Kind::Dbt => "dbt Cloud: Authorization = hex HMAC-SHA256 of the body, no scheme word.",
        Kind::Dagu => {
            "Dagu: X-Dagu-Signature = sha256=<hex>; with an X-Dagu-Profile header the profile line is signed first."
        }
        Kind::Custom => "Custom: pick the header, prefix, hash, encoding and the layout of the signed message.",
    }
}

/// The current time in unix seconds (the core never reads a clock).
pub fn now() -> u64 {
    (js_sys::Date::now() / 1000.0) as u64
}
