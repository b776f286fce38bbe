//! Nothing is lost: the state as JSON, saved to localStorage (secrets only when "remember
//! secrets" is ticked), carried in share links (never with secrets, base64url in the URL
//! fragment, which browsers do not send to servers), exported and imported.

use leptos::prelude::*;
use serde_json::{Map, Value, json};

use crate::state::{Design, SchemeState, Setup, Ui};

const STORAGE_KEY: &str = "hookwright.playground.v1";
const FRAGMENT: &str = "#s=";

/// Every signal that makes up the saved state, by name.
#[derive(Clone, Copy)]
pub struct Saved {
    pub design: Design,
    pub setup: Setup,
    pub scheme: SchemeState,
    pub ui: Ui,
}

impl Saved {
    fn fields(&self) -> Vec<(&'static str, RwSignal<String>, bool)> {
        let (d, s, k) = (self.design, self.setup, self.scheme);
        // (name, signal, is a secret)
        vec![
            ("sender", d.sender, false),
            ("event", d.event, false),
            ("template", d.template, false),
            ("data", d.data, false),
            // Env values are where API keys go ({{env.WEBHOOK_API_KEY}}): treated as secrets.
            ("env", d.env, true),
            ("vars", d.vars, false),
            ("method", s.method, false),
            ("url", s.url, false),
            ("allowlist", s.allowlist, false),
            ("auth_mode", s.auth_mode, false),
            ("auth_scheme", s.auth_scheme, false),
            ("basic_user", s.basic_user, false),
            ("credentials", s.credentials, true),
            ("extra_headers", s.extra_headers, false),
            ("content_type", s.content_type, false),
            ("max_alerts", s.max_alerts, false),
            ("scheme", k.scheme, false),
            ("header", k.header, false),
            ("timestamp_header", k.timestamp_header, false),
            ("id_header", k.id_header, false),
            ("algorithm", k.algorithm, false),
            ("encoding", k.encoding, false),
            ("prefix", k.prefix, false),
            ("message", k.message, false),
            ("secret", k.secret, true),
            ("timestamp", k.timestamp, false),
            ("id", k.id, false),
            ("profile", k.profile, false),
        ]
    }

    /// The state as JSON (tracked: call inside an effect or memo to follow changes).
    pub fn snapshot(&self, secrets: bool) -> Value {
        let mut m = Map::new();
        m.insert("version".into(), json!(1));
        for (name, signal, secret) in self.fields() {
            if secrets || !secret {
                m.insert(name.into(), Value::String(signal.get()));
            }
        }
        m.insert("is_sample".into(), Value::Bool(self.design.is_sample.get()));
        m.insert("pretty".into(), Value::Bool(self.ui.pretty.get()));
        if secrets {
            m.insert("remember".into(), Value::Bool(self.ui.remember.get()));
        }
        Value::Object(m)
    }

    /// Sets every field present in `v`.
    ///
    /// # Errors
    /// When `v` is not a version-1 state object.
    pub fn apply(&self, v: &Value) -> Result<(), String> {
        let m = v.as_object().ok_or("not a JSON object")?;
        if m.get("version").and_then(Value::as_u64) != Some(1) {
            return Err("not a hookwright playground configuration (version 1)".into());
        }
        for (name, signal, _) in self.fields() {
            if let Some(Value::String(s)) = m.get(name) {
                signal.set(s.clone());
            }
        }
        if let Some(Value::Bool(b)) = m.get("is_sample") {
            self.design.is_sample.set(*b);
        }
        if let Some(Value::Bool(b)) = m.get("pretty") {
            self.ui.pretty.set(*b);
        }
        if let Some(Value::Bool(b)) = m.get("remember") {
            self.ui.remember.set(*b);
        }
        Ok(())
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The state in a share link's fragment, if the page was opened from one.
pub fn from_fragment() -> Option<Value> {
    let hash = web_sys::window()?.location().hash().ok()?;
    let encoded = hash.strip_prefix(FRAGMENT)?;
    let bytes = base64url_decode(encoded.trim())?;
    serde_json::from_slice(&bytes).ok()
}

/// The state saved in this browser.
pub fn from_storage() -> Option<Value> {
    serde_json::from_str(&storage()?.get_item(STORAGE_KEY).ok()??).ok()
}

/// Saves on every change.
pub fn autosave(saved: Saved) {
    Effect::new(move |_| {
        let remember = saved.ui.remember.get();
        let text = saved.snapshot(remember).to_string();
        if let Some(s) = storage() {
            let _ = s.set_item(STORAGE_KEY, &text);
        }
    });
}

/// A link that opens the playground in this state, without secrets.
pub fn share_link(saved: Saved) -> Memo<String> {
    Memo::new(move |_| {
        let json = saved.snapshot(false).to_string();
        let base = web_sys::window()
            .and_then(|w| {
                let l = w.location();
                Some(format!("{}{}{}", l.origin().ok()?, l.pathname().ok()?, l.search().ok()?))
            })
            .unwrap_or_default();
        format!("{base}{FRAGMENT}{}", base64url(json.as_bytes()))
    })
}

/// Whether the page was opened with `?embed`.
pub fn embedded() -> bool {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .is_some_and(|s| s.trim_start_matches('?').split('&').any(|p| p == "embed" || p.starts_with("embed=")))
}

const URL_ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Unpadded base64url (RFC 4648 §5).
fn base64url(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(URL_ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

/// Decodes unpadded (or padded) base64url; `None` for any other character.
fn base64url_decode(s: &str) -> Option<Vec<u8>> {
    let s = s.trim_end_matches('=');
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in s.bytes() {
        let v = URL_ALPHABET.iter().position(|a| *a == c)? as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}
