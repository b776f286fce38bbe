//! Shared state: small `Copy` structs of signals, provided as context. Everything shown is derived
//! from these (see `derive.rs`); nothing here is computed.

use hookwright::catalog::{self, Sender};
use hookwright::{Error, Kind, Options, Scheme};
use leptos::prelude::*;

/// The webhook being designed: who sends it, on which event, the template and its inputs.
#[derive(Clone, Copy)]
pub struct Design {
    /// Catalog sender id, or `"custom"`.
    pub sender: RwSignal<String>,
    pub event: RwSignal<String>,
    pub template: RwSignal<String>,
    /// The event data, JSON text as typed.
    pub data: RwSignal<String>,
    /// `NAME=value` per line.
    pub env: RwSignal<String>,
    /// `name=value` per line (Grafana's custom payload `.Vars`).
    pub vars: RwSignal<String>,
    pub is_sample: RwSignal<bool>,
}

/// How the request is sent.
#[derive(Clone, Copy)]
pub struct Setup {
    pub method: RwSignal<String>,
    pub url: RwSignal<String>,
    /// Domains, comma- or line-separated.
    pub allowlist: RwSignal<String>,
    /// `none`, `header` or `basic`.
    pub auth_mode: RwSignal<String>,
    pub auth_scheme: RwSignal<String>,
    /// Secret: the credentials or the basic-auth password.
    pub credentials: RwSignal<String>,
    pub basic_user: RwSignal<String>,
    /// `Name: value` per line.
    pub extra_headers: RwSignal<String>,
    pub content_type: RwSignal<String>,
    /// Grafana's Max Alerts (empty or 0 = no limit).
    pub max_alerts: RwSignal<String>,
}

/// The scheme picked and the options typed for it, plus what is signed besides the body.
#[derive(Clone, Copy)]
pub struct SchemeState {
    /// Scheme id, or `""` for an unsigned request.
    pub scheme: RwSignal<String>,
    pub header: RwSignal<String>,
    pub timestamp_header: RwSignal<String>,
    pub id_header: RwSignal<String>,
    pub algorithm: RwSignal<String>,
    pub encoding: RwSignal<String>,
    pub prefix: RwSignal<String>,
    pub message: RwSignal<String>,
    pub secret: RwSignal<String>,
    /// Unix seconds, or empty for now.
    pub timestamp: RwSignal<String>,
    pub id: RwSignal<String>,
    pub profile: RwSignal<String>,
}

/// Page-level choices.
#[derive(Clone, Copy)]
pub struct Ui {
    pub tab: RwSignal<Tab>,
    /// Secrets are saved in this browser only when ticked; never in share links.
    pub remember: RwSignal<bool>,
    pub pretty: RwSignal<bool>,
    /// A short message ("Copied curl") shown for a moment.
    pub toast: RwSignal<String>,
    pub embed: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Design,
    Verify,
}

impl Design {
    pub fn new() -> Self {
        Design {
            sender: RwSignal::new(String::new()),
            event: RwSignal::new(String::new()),
            template: RwSignal::new(String::new()),
            data: RwSignal::new(String::new()),
            env: RwSignal::new(String::new()),
            vars: RwSignal::new(String::new()),
            is_sample: RwSignal::new(false),
        }
    }

    /// The catalog entry of the picked sender (`None` for custom).
    pub fn sender_entry(&self) -> Option<&'static Sender> {
        catalog::sender(&self.sender.get())
    }
}

impl Setup {
    pub fn new() -> Self {
        Setup {
            method: RwSignal::new("POST".into()),
            url: RwSignal::new("https://example.com/webhook".into()),
            allowlist: RwSignal::new("example.com".into()),
            auth_mode: RwSignal::new("none".into()),
            auth_scheme: RwSignal::new(String::new()),
            credentials: RwSignal::new(String::new()),
            basic_user: RwSignal::new(String::new()),
            extra_headers: RwSignal::new(String::new()),
            content_type: RwSignal::new(String::new()),
            max_alerts: RwSignal::new(String::new()),
        }
    }
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
            timestamp: RwSignal::new(String::new()),
            id: RwSignal::new("msg_hookwright_1".into()),
            profile: RwSignal::new(String::new()),
        }
    }

    pub fn kind(&self) -> Option<Kind> {
        Kind::parse(&self.scheme.get()).ok()
    }

    /// The resolved scheme, `Ok(None)` when unsigned; options that do not apply are not passed.
    pub fn resolve(&self) -> Result<Option<Scheme>, Error> {
        let id = self.scheme.get();
        if id.trim().is_empty() {
            return Ok(None);
        }
        let kind = Kind::parse(&id)?;
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
        Scheme::new(kind.id(), &options).map(Some)
    }
}

/// A short note on what the scheme signs, for the help line under the picker.
pub fn help(kind: Option<Kind>) -> &'static str {
    let Some(kind) = kind else {
        return "Not signed: the request carries no signature (authenticate with a header instead).";
    };
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
