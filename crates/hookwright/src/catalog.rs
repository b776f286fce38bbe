//! The senders' catalog: what each webhook sender sends, kept as data.
//!
//! One JSON file per sender lives in `crates/hookwright/catalog/` and is compiled in with
//! `include_str!`. Each describes the sender's signing scheme, default headers, template dialect,
//! events (with a realistic sample and a default template each), the tokens or fields a template
//! can use and on which events, target presets, and sender-specific facts such as decode tables
//! or header names the sender refuses.
//!
//! ```
//! use hookwright::catalog::{self, Availability};
//!
//! let dagster = catalog::sender("dagster").unwrap();
//! assert_eq!(dagster.token_availability("alert_summary", "job_failure"), Availability::Available);
//! assert_eq!(
//!     dagster.token_availability("alert_sumary", "job_failure"),
//!     Availability::Unknown { suggestion: Some("alert_summary".to_string()) }
//! );
//! ```
//!
//! # Adding a sender
//! Write `catalog/<id>.json` and list it in `FILES`. The keys, all checked on load:
//!
//! | key | meaning |
//! |---|---|
//! | `id`, `label`, `help` | identity and one or two sentences for the picker |
//! | `scheme` | a signature scheme id (`grafana`, `dbt`, …) or `null` when requests are not signed |
//! | `dialect` | `tokens`, `go`, `jinja` or `dagu` |
//! | `headers` | default request headers, as an object |
//! | `groups` | token groups: `id`, `label`, `events` (empty = every event) |
//! | `events` | `id`, `label`, optional `description`/`note`/`headers`, `sample`, optional `variants`, `template` |
//! | `tokens` | `name`, `group`, `description`, `example`, optional `events` (else the group's), `path`, `placeholder`, `note` |
//! | `presets` | `id`, `label`, `target`, `url`, `headers`, `template`, optional `note` |
//! | `sample_base` | optional object merged under every event sample (shared values) |
//! | `decode` | optional value tables: `field`, `label`, `values` of `value`/`meaning`/`color` |
//! | `restricted_headers` | optional header names the sender will not send as extra headers, with `note` |
//! | `facts` | optional free-form object of other facts |
//!
//! Templates may be a string or an array of lines.

use std::sync::OnceLock;

use serde_json::{Map, Value, json};

use crate::scheme::Kind;

/// `catalog/<file>` with [`minify`] applied at compile time.
macro_rules! minified {
    ($file:literal) => {{
        const TEXT: &str = include_str!(concat!("../catalog/", $file));
        const BYTES: [u8; minify(TEXT.as_bytes(), None)] = {
            let mut out = [0; minify(TEXT.as_bytes(), None)];
            minify(TEXT.as_bytes(), Some(&mut out));
            out
        };
        match std::str::from_utf8(&BYTES) {
            Ok(text) => text,
            Err(_) => panic!("minify keeps UTF-8 intact"),
        }
    }};
}
/// The catalog files, in picker order, without the whitespace between JSON tokens (a quarter of
/// their bytes, 26 KB of the wasm modules). The files themselves stay indented; the tests parse
/// them as written, so a broken file is reported at its own line.
const FILES: [(&str, &str); 10] = [
    ("grafana.json", minified!("grafana.json")),
    ("dagster.json", minified!("dagster.json")),
    ("dbt.json", minified!("dbt.json")),
    ("hertzbeat.json", minified!("hertzbeat.json")),
    ("dagu.json", minified!("dagu.json")),
    ("github.json", minified!("github.json")),
    ("stripe.json", minified!("stripe.json")),
    ("standard.json", minified!("standard.json")),
    ("slack.json", minified!("slack.json")),
    ("shopify.json", minified!("shopify.json")),
];

/// Drops JSON whitespace outside string literals, writing into `out` when given; returns the
/// length of the result. Everything else is copied byte for byte, so a valid document stays the
/// same document.
const fn minify(text: &[u8], mut out: Option<&mut [u8]>) -> usize {
    let (mut at, mut len) = (0, 0);
    let (mut in_string, mut escaped) = (false, false);
    while at < text.len() {
        let b = text[at];
        at += 1;
        if in_string {
            (in_string, escaped) = (escaped || b != b'"', !escaped && b == b'\\');
        } else if matches!(b, b' ' | b'\t' | b'\n' | b'\r') {
            continue;
        } else {
            in_string = b == b'"';
        }
        if let Some(out) = &mut out {
            out[len] = b;
        }
        len += 1;
    }
    len
}

/// Which template language a sender's bodies or commands are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dialect {
    /// Dagster+ `{{token}}` placeholders (`{{env.NAME}}` for environment variables).
    Tokens,
    /// Go `text/template`, as in Grafana notification templates.
    Go,
    /// Jinja (minijinja), for generic request bodies.
    Jinja,
    /// Dagu step commands with `${WEBHOOK_PAYLOAD.path}` references.
    Dagu,
}

impl Dialect {
    /// `"tokens"`, `"go"`, `"jinja"` or `"dagu"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Dialect::Tokens => "tokens",
            Dialect::Go => "go",
            Dialect::Jinja => "jinja",
            Dialect::Dagu => "dagu",
        }
    }

    fn parse(s: &str) -> Option<Dialect> {
        [Dialect::Tokens, Dialect::Go, Dialect::Jinja, Dialect::Dagu].into_iter().find(|d| d.as_str() == s)
    }
}

/// One webhook sender.
#[derive(Debug, Clone, PartialEq)]
pub struct Sender {
    /// Stable id (`"dagster"`, `"grafana"`, …).
    pub id: String,
    /// Name for people.
    pub label: String,
    /// The signature scheme, or `None` when the sender does not sign requests.
    pub scheme: Option<Kind>,
    /// Template language of [`Event::template`] and [`Preset::template`].
    pub dialect: Dialect,
    /// One or two sentences about how the sender delivers and signs.
    pub help: String,
    /// Default request headers (the signature headers come from the scheme, not from here).
    pub headers: Vec<(String, String)>,
    /// Events, in picker order.
    pub events: Vec<Event>,
    /// Token groups, in display order.
    pub groups: Vec<Group>,
    /// Tokens or fields a template can use. A name may appear in several groups (Dagster+'s
    /// `failure_message`); its availability is the union.
    pub tokens: Vec<Token>,
    /// Ready-made templates for common targets (Jira, Slack, PagerDuty…).
    pub presets: Vec<Preset>,
    /// Tables that decode numeric codes in the payload (HertzBeat's priority and status).
    pub decode: Vec<DecodeTable>,
    /// Header names the sender will not send as extra headers.
    pub restricted_headers: Vec<HeaderRule>,
    /// Other facts, free-form (token formats, default template names, retry counts…).
    pub facts: Map<String, Value>,
}

/// A group of tokens offered on the same events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// Stable id (`"job"`, `"asset_state"`).
    pub id: String,
    /// Name for people.
    pub label: String,
    /// Events whose notifications carry the group; empty means every event.
    pub events: Vec<String>,
}

/// One kind of delivery a sender makes.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// The sender's own name for it where it has one (`job.run.completed`, `orders/create`).
    pub id: String,
    /// Name for people.
    pub label: String,
    /// What triggers it, when the label is not enough.
    pub description: Option<String>,
    /// A caveat about the sample (which parts are guessed).
    pub note: Option<String>,
    /// Headers this event adds to the sender's defaults (`X-GitHub-Event: push`).
    pub headers: Vec<(String, String)>,
    /// A realistic sample: the body as sent, or for Dagster+ the token values.
    pub sample: Value,
    /// Other samples of the same event (dbt's Success and Errored runs, a sensor tick).
    pub variants: Vec<Variant>,
    /// The default template in the sender's dialect.
    pub template: String,
}

/// An alternative sample of an event.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    /// Stable id within the event (`"errored"`).
    pub id: String,
    /// Name for people.
    pub label: String,
    /// A caveat about the sample.
    pub note: Option<String>,
    /// The sample.
    pub sample: Value,
}

/// A token or field a template can use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// The name as written in the dialect, without delimiters: `alert_summary`, `env.NAME`,
    /// `CommonLabels`, `data.job_name`, `WEBHOOK_PAYLOAD.branch`.
    pub name: String,
    /// The [`Group`] id.
    pub group: String,
    /// What it holds.
    pub description: String,
    /// An example value.
    pub example: String,
    /// Events that offer it; empty means every event.
    pub events: Vec<String>,
    /// Where the value sits in the sample event when that differs from the name (Grafana's
    /// `ExternalURL` is `externalURL`; alert fields are `alerts[].labels`).
    pub path: Option<String>,
    /// A placeholder segment in `name` that stands for any identifier (`NAME` in `env.NAME`).
    pub placeholder: Option<String>,
    /// A caveat (an undocumented value, a conflict between the sender's docs).
    pub note: Option<String>,
}

impl Token {
    /// Whether `reference` (a normalized token name, see [`Sender::token_availability`]) is this
    /// token or a field inside it.
    pub fn matches(&self, reference: &str) -> bool {
        if let Some(placeholder) = &self.placeholder
            && let Some(prefix) = self.name.strip_suffix(placeholder.as_str())
        {
            return reference
                .strip_prefix(prefix)
                .is_some_and(|rest| !rest.is_empty() && rest.chars().all(|c| c.is_alphanumeric() || c == '_'));
        }
        reference == self.name || reference.strip_prefix(self.name.as_str()).is_some_and(|rest| rest.starts_with('.'))
    }

    /// Whether the token is offered on `event`.
    pub fn offered_on(&self, event: &str) -> bool {
        self.events.is_empty() || self.events.iter().any(|e| e == event)
    }
}

/// A ready-made template for a target service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preset {
    /// Stable id (`"pagerduty"`).
    pub id: String,
    /// Name for people.
    pub label: String,
    /// The receiving service (`"jira"`, `"discord"`, `"slack"`, `"teams"`, `"pagerduty"`).
    pub target: String,
    /// The endpoint, with `{…}` parts to fill in.
    pub url: String,
    /// Headers to configure alongside the body.
    pub headers: Vec<(String, String)>,
    /// The body template, in the sender's dialect.
    pub template: String,
    /// A caveat or setup hint.
    pub note: Option<String>,
}

/// Meanings of a numeric code in the payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeTable {
    /// The payload field (`"priority"`).
    pub field: String,
    /// Name for people.
    pub label: String,
    /// The codes.
    pub values: Vec<Decoded>,
}

/// One code of a [`DecodeTable`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The code as sent.
    pub value: i64,
    /// What it means.
    pub meaning: String,
    /// The colour the sender shows it in, if any.
    pub color: Option<String>,
}

/// A header the sender will not send as an extra header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderRule {
    /// Header name.
    pub name: String,
    /// Why, or how sure the catalog is.
    pub note: Option<String>,
}

/// Whether a token can be used on an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Availability {
    /// The event offers it.
    Available,
    /// The sender has it, but only on these other events.
    OtherEvents(Vec<String>),
    /// The sender has no such token.
    Unknown {
        /// The closest token name (edit distance ≤ 2, or a token that starts with what was typed).
        suggestion: Option<String>,
    },
}

impl Sender {
    /// The event with this id.
    pub fn event(&self, id: &str) -> Option<&Event> {
        self.events.iter().find(|e| e.id == id)
    }

    /// Tokens offered on `event`, in catalog order (a name offered by two groups appears twice).
    pub fn tokens_for<'a>(&'a self, event: &'a str) -> impl Iterator<Item = &'a Token> + 'a {
        self.tokens.iter().filter(move |t| t.offered_on(event))
    }

    /// Whether `token` can be used on `event`.
    ///
    /// `token` is a name as written inside the dialect's delimiters; surrounding spaces and a
    /// leading `$` or `.` are ignored (Go's `.Status`), and a field inside a token counts as the
    /// token (`CommonLabels.alertname`, `env.ANY_NAME`) unless the catalog lists that token's
    /// fields, in which case it must be one of them. When several tokens match, the most
    /// specific one decides (`data.run_finished_at` over `data`); tokens of the same name in
    /// several groups count together.
    pub fn token_availability(&self, token: &str, event: &str) -> Availability {
        let wanted = normalize(token);
        let mut matching: Vec<&Token> = self.tokens.iter().filter(|t| t.matches(wanted)).collect();
        // The most specific token decides: `data.run_finished_at` rather than the whole `data`.
        let Some(longest) = matching.iter().map(|t| t.name.len()).max() else {
            return Availability::Unknown { suggestion: self.suggest(wanted) };
        };
        matching.retain(|t| t.name.len() == longest);
        // A field inside a token whose fields the catalog lists must be one of them (`data.job_nme`
        // is a typo, not a field of dbt's `data`); fields of unlisted objects pass.
        let inside = |t: &Token| t.placeholder.is_none() && t.name != wanted;
        if matching.iter().all(|t| inside(t)) && matching.iter().any(|t| self.lists_fields_of(&t.name)) {
            return Availability::Unknown { suggestion: self.suggest(wanted) };
        }
        if matching.iter().any(|t| t.offered_on(event)) {
            return Availability::Available;
        }
        let events = self
            .events
            .iter()
            .map(|e| e.id.clone())
            .filter(|id| matching.iter().any(|t| t.events.contains(id)))
            .collect();
        Availability::OtherEvents(events)
    }

    /// Whether some token names a field inside `name` (`data.job_name` inside `data`).
    fn lists_fields_of(&self, name: &str) -> bool {
        self.tokens.iter().any(|t| t.name.strip_prefix(name).is_some_and(|rest| rest.starts_with('.')))
    }

    /// The meaning of `value` in the decode table of `field`.
    pub fn decode(&self, field: &str, value: i64) -> Option<&Decoded> {
        self.decode.iter().find(|t| t.field == field)?.values.iter().find(|d| d.value == value)
    }

    /// A free-form fact by key.
    pub fn fact(&self, key: &str) -> Option<&Value> {
        self.facts.get(key)
    }

    fn suggest(&self, wanted: &str) -> Option<String> {
        const MAX: usize = 200;
        if wanted.is_empty() || wanted.len() > MAX {
            return None;
        }
        let wanted_lower = wanted.to_lowercase();
        let mut best: Option<(usize, String)> = None;
        let mut consider = |score: usize, name: String| {
            if best.as_ref().is_none_or(|(s, _)| score < *s) {
                best = Some((score, name));
            }
        };
        for token in &self.tokens {
            let name_lower = token.name.to_lowercase();
            let d = distance(&wanted_lower, &name_lower);
            if d <= 2 {
                consider(d, token.name.clone());
            } else if wanted.chars().count() >= 3 && name_lower.starts_with(&wanted_lower) {
                consider(3, token.name.clone());
            }
            // A typo in the root of a longer path: `CommonLabel.alertname`.
            if token.placeholder.is_none()
                && let Some((root, rest)) = wanted.split_once('.')
            {
                let d = distance(&root.to_lowercase(), &name_lower);
                if (1..=2).contains(&d) {
                    consider(d, format!("{}.{rest}", token.name));
                }
            }
        }
        best.map(|(_, name)| name)
    }

    /// The sender as JSON, in the shape of one entry of [`catalog_json`].
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "label": self.label,
            "scheme": self.scheme.map(Kind::id),
            "dialect": self.dialect.as_str(),
            "help": self.help,
            "headers": headers_json(&self.headers),
            "events": self.events.iter().map(|e| json!({
                "id": e.id,
                "label": e.label,
                "description": e.description,
                "note": e.note,
                "headers": headers_json(&e.headers),
                "sample": e.sample,
                "variants": e.variants.iter().map(|v| json!({
                    "id": v.id, "label": v.label, "note": v.note, "sample": v.sample,
                })).collect::<Vec<_>>(),
                "template": e.template,
            })).collect::<Vec<_>>(),
            "groups": self.groups.iter().map(|g| json!({
                "id": g.id, "label": g.label, "events": g.events,
            })).collect::<Vec<_>>(),
            "tokens": self.tokens.iter().map(|t| json!({
                "name": t.name,
                "group": t.group,
                "description": t.description,
                "example": t.example,
                "events": t.events,
                "path": t.path,
                "placeholder": t.placeholder,
                "note": t.note,
            })).collect::<Vec<_>>(),
            "presets": self.presets.iter().map(|p| json!({
                "id": p.id,
                "label": p.label,
                "target": p.target,
                "url": p.url,
                "headers": headers_json(&p.headers),
                "template": p.template,
                "note": p.note,
            })).collect::<Vec<_>>(),
            "decode": self.decode.iter().map(|t| json!({
                "field": t.field,
                "label": t.label,
                "values": t.values.iter().map(|d| json!({
                    "value": d.value, "meaning": d.meaning, "color": d.color,
                })).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "restricted_headers": self.restricted_headers.iter().map(|h| json!({
                "name": h.name, "note": h.note,
            })).collect::<Vec<_>>(),
            "facts": self.facts,
        })
    }
}

fn headers_json(headers: &[(String, String)]) -> Value {
    Value::Object(headers.iter().map(|(k, v)| (k.clone(), Value::String(v.clone()))).collect())
}

/// Strips what surrounds a token name in the dialects: spaces, a leading `$` and `.`.
fn normalize(token: &str) -> &str {
    let t = token.trim();
    let t = t.strip_prefix('$').unwrap_or(t);
    t.strip_prefix('.').unwrap_or(t)
}

/// Optimal-string-alignment edit distance (a swap of two neighbours costs 1).
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev2 = vec![0usize; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0usize; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(prev2[j - 2] + 1);
            }
            cur[j] = v;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

struct Loaded {
    senders: Vec<Sender>,
    errors: Vec<String>,
    json: OnceLock<String>,
}

fn loaded() -> &'static Loaded {
    static LOADED: OnceLock<Loaded> = OnceLock::new();
    LOADED.get_or_init(|| {
        let mut senders = Vec::new();
        let mut errors = Vec::new();
        for (file, text) in FILES {
            match parse_sender(text) {
                Ok(sender) => senders.push(sender),
                Err(e) => errors.push(format!("catalog/{file}: {e}")),
            }
        }
        Loaded { senders, errors, json: OnceLock::new() }
    })
}

/// Every sender of the catalog, parsed once. A file that fails to load is left out and reported
/// by [`catalog_errors`].
pub fn senders() -> &'static [Sender] {
    &loaded().senders
}

/// The sender with this id.
pub fn sender(id: &str) -> Option<&'static Sender> {
    senders().iter().find(|s| s.id == id)
}

/// Problems found while loading the catalog files (empty for a healthy build).
pub fn catalog_errors() -> &'static [String] {
    &loaded().errors
}

/// The whole catalog as one JSON document: `{"senders": [...]}`, each entry as
/// [`Sender::to_json`] gives it. Built once.
pub fn catalog_json() -> String {
    loaded()
        .json
        .get_or_init(|| {
            let senders: Vec<Value> = senders().iter().map(Sender::to_json).collect();
            serde_json::to_string(&json!({ "senders": senders })).unwrap_or_default()
        })
        .clone()
}

// ---- loading ---------------------------------------------------------------------------------

type Obj = Map<String, Value>;

fn object<'a>(value: &'a Value, at: &str) -> Result<&'a Obj, String> {
    value.as_object().ok_or_else(|| format!("{at} must be an object"))
}

fn string(obj: &Obj, key: &str, at: &str) -> Result<String, String> {
    match obj.get(key) {
        Some(Value::String(s)) => Ok(s.clone()),
        Some(_) => Err(format!("{at}.{key} must be a string")),
        None => Err(format!("{at}.{key} is missing")),
    }
}

fn optional_string(obj: &Obj, key: &str, at: &str) -> Result<Option<String>, String> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(format!("{at}.{key} must be a string")),
    }
}

fn array<'a>(obj: &'a Obj, key: &str, at: &str) -> Result<&'a [Value], String> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::Array(items)) => Ok(items),
        Some(_) => Err(format!("{at}.{key} must be an array")),
    }
}

fn strings(obj: &Obj, key: &str, at: &str) -> Result<Vec<String>, String> {
    array(obj, key, at)?
        .iter()
        .map(|v| v.as_str().map(str::to_string).ok_or_else(|| format!("{at}.{key} must hold strings")))
        .collect()
}

fn headers(obj: &Obj, key: &str, at: &str) -> Result<Vec<(String, String)>, String> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Object(map)) => map
            .iter()
            .map(|(k, v)| match v {
                Value::String(v) => Ok((k.clone(), v.clone())),
                _ => Err(format!("{at}.{key}.{k} must be a string")),
            })
            .collect(),
        Some(_) => Err(format!("{at}.{key} must be an object of strings")),
    }
}

/// A template: a string, or an array of lines joined with `\n`.
fn template(obj: &Obj, key: &str, at: &str) -> Result<String, String> {
    match obj.get(key) {
        Some(Value::String(s)) => Ok(s.clone()),
        Some(Value::Array(_)) => Ok(strings(obj, key, at)?.join("\n")),
        _ => Err(format!("{at}.{key} must be a string or an array of lines")),
    }
}

/// `sample` laid over `base` (top-level keys of `sample` win).
fn merged(base: Option<&Obj>, sample: &Value) -> Value {
    match (base, sample) {
        (Some(base), Value::Object(own)) => {
            let mut out = base.clone();
            for (k, v) in own {
                out.insert(k.clone(), v.clone());
            }
            Value::Object(out)
        }
        _ => sample.clone(),
    }
}

fn parse_sender(text: &str) -> Result<Sender, String> {
    let root: Value = serde_json::from_str(text).map_err(|e| format!("invalid JSON: {e}"))?;
    let root = object(&root, "sender")?;
    let id = string(root, "id", "sender")?;
    let at = id.as_str();
    let scheme = match root.get("scheme") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(Kind::parse(s).map_err(|e| format!("{at}.scheme: {e}"))?),
        Some(_) => return Err(format!("{at}.scheme must be a string or null")),
    };
    let dialect_name = string(root, "dialect", at)?;
    let dialect =
        Dialect::parse(&dialect_name).ok_or_else(|| format!("{at}.dialect: unknown dialect {dialect_name}"))?;
    let base = match root.get("sample_base") {
        None => None,
        Some(v) => Some(object(v, &format!("{at}.sample_base"))?),
    };

    let mut events = Vec::new();
    for (i, v) in array(root, "events", at)?.iter().enumerate() {
        let here = format!("{at}.events[{i}]");
        let e = object(v, &here)?;
        let mut variants = Vec::new();
        for (j, v) in array(e, "variants", &here)?.iter().enumerate() {
            let vat = format!("{here}.variants[{j}]");
            let o = object(v, &vat)?;
            variants.push(Variant {
                id: string(o, "id", &vat)?,
                label: string(o, "label", &vat)?,
                note: optional_string(o, "note", &vat)?,
                sample: merged(base, o.get("sample").ok_or_else(|| format!("{vat}.sample is missing"))?),
            });
        }
        let event = Event {
            id: string(e, "id", &here)?,
            label: string(e, "label", &here)?,
            description: optional_string(e, "description", &here)?,
            note: optional_string(e, "note", &here)?,
            headers: headers(e, "headers", &here)?,
            sample: merged(base, e.get("sample").ok_or_else(|| format!("{here}.sample is missing"))?),
            variants,
            template: template(e, "template", &here)?,
        };
        if events.iter().any(|x: &Event| x.id == event.id) {
            return Err(format!("{here}: duplicate event id {}", event.id));
        }
        events.push(event);
    }
    let known = |list: &[String], here: &str| -> Result<(), String> {
        match list.iter().find(|e| !events.iter().any(|x| &x.id == *e)) {
            Some(e) => Err(format!("{here} names unknown event {e}")),
            None => Ok(()),
        }
    };

    let mut groups = Vec::new();
    for (i, v) in array(root, "groups", at)?.iter().enumerate() {
        let here = format!("{at}.groups[{i}]");
        let g = object(v, &here)?;
        let group = Group {
            id: string(g, "id", &here)?,
            label: string(g, "label", &here)?,
            events: strings(g, "events", &here)?,
        };
        known(&group.events, &here)?;
        groups.push(group);
    }

    let mut tokens = Vec::new();
    for (i, v) in array(root, "tokens", at)?.iter().enumerate() {
        let here = format!("{at}.tokens[{i}]");
        let t = object(v, &here)?;
        let group = string(t, "group", &here)?;
        let group_events =
            &groups.iter().find(|g| g.id == group).ok_or_else(|| format!("{here}: unknown group {group}"))?.events;
        let events = match t.get("events") {
            Some(_) => strings(t, "events", &here)?,
            None => group_events.clone(),
        };
        known(&events, &here)?;
        let placeholder = optional_string(t, "placeholder", &here)?;
        let name = string(t, "name", &here)?;
        if let Some(p) = &placeholder
            && !name.ends_with(p.as_str())
        {
            return Err(format!("{here}: placeholder {p} must end the name {name}"));
        }
        tokens.push(Token {
            name,
            group,
            description: string(t, "description", &here)?,
            example: string(t, "example", &here)?,
            events,
            path: optional_string(t, "path", &here)?,
            placeholder,
            note: optional_string(t, "note", &here)?,
        });
    }

    let mut presets = Vec::new();
    for (i, v) in array(root, "presets", at)?.iter().enumerate() {
        let here = format!("{at}.presets[{i}]");
        let p = object(v, &here)?;
        presets.push(Preset {
            id: string(p, "id", &here)?,
            label: string(p, "label", &here)?,
            target: string(p, "target", &here)?,
            url: string(p, "url", &here)?,
            headers: headers(p, "headers", &here)?,
            template: template(p, "template", &here)?,
            note: optional_string(p, "note", &here)?,
        });
    }

    let mut decode = Vec::new();
    for (i, v) in array(root, "decode", at)?.iter().enumerate() {
        let here = format!("{at}.decode[{i}]");
        let d = object(v, &here)?;
        let mut values = Vec::new();
        for (j, v) in array(d, "values", &here)?.iter().enumerate() {
            let vat = format!("{here}.values[{j}]");
            let o = object(v, &vat)?;
            values.push(Decoded {
                value: o
                    .get("value")
                    .and_then(Value::as_i64)
                    .ok_or_else(|| format!("{vat}.value must be an integer"))?,
                meaning: string(o, "meaning", &vat)?,
                color: optional_string(o, "color", &vat)?,
            });
        }
        decode.push(DecodeTable { field: string(d, "field", &here)?, label: string(d, "label", &here)?, values });
    }

    let mut restricted_headers = Vec::new();
    for (i, v) in array(root, "restricted_headers", at)?.iter().enumerate() {
        let here = format!("{at}.restricted_headers[{i}]");
        let h = object(v, &here)?;
        restricted_headers
            .push(HeaderRule { name: string(h, "name", &here)?, note: optional_string(h, "note", &here)? });
    }

    let facts = match root.get("facts") {
        None | Some(Value::Null) => Map::new(),
        Some(v) => object(v, &format!("{at}.facts"))?.clone(),
    };

    Ok(Sender {
        label: string(root, "label", at)?,
        help: string(root, "help", at)?,
        headers: headers(root, "headers", at)?,
        scheme,
        dialect,
        events,
        groups,
        tokens,
        presets,
        decode,
        restricted_headers,
        facts,
        id,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance() {
        assert_eq!(distance("alert_sumary", "alert_summary"), 1);
        assert_eq!(distance("ab", "ba"), 1);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("kitten", "sitting"), 3);
    }

    #[test]
    fn normalizing() {
        assert_eq!(normalize(" .Status "), "Status");
        assert_eq!(normalize("$.Vars.x"), "Vars.x");
    }

    /// Each catalog file as written parses to the same document as its minified form.
    #[test]
    fn minified_files_are_the_same_documents() {
        for ((file, text), (_, minified)) in ORIGINAL_FILES.into_iter().zip(FILES) {
            let original: Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("catalog/{file}: {e}"));
            assert_eq!(serde_json::from_str::<Value>(minified).ok(), Some(original), "catalog/{file}");
            assert!(minified.len() < text.len() && !minified.contains("\n"), "catalog/{file}");
        }
        let mut out = [0; 64];
        let len = minify(br#" { "a b" : [ 1 , "\\\" \\" ] } "#, Some(&mut out));
        assert_eq!(&out[..len], br#"{"a b":[1,"\\\" \\"]}"#);
    }

    const ORIGINAL_FILES: [(&str, &str); 10] = [
        ("grafana.json", include_str!("../catalog/grafana.json")),
        ("dagster.json", include_str!("../catalog/dagster.json")),
        ("dbt.json", include_str!("../catalog/dbt.json")),
        ("hertzbeat.json", include_str!("../catalog/hertzbeat.json")),
        ("dagu.json", include_str!("../catalog/dagu.json")),
        ("github.json", include_str!("../catalog/github.json")),
        ("stripe.json", include_str!("../catalog/stripe.json")),
        ("standard.json", include_str!("../catalog/standard.json")),
        ("slack.json", include_str!("../catalog/slack.json")),
        ("shopify.json", include_str!("../catalog/shopify.json")),
    ];

    #[test]
    fn bad_files_are_reported_not_panicked() {
        for bad in [
            "",
            "[]",
            r#"{"id": 1}"#,
            r#"{"id": "x", "dialect": "cobol"}"#,
            r#"{"id": "x", "dialect": "go", "scheme": "nope", "label": "", "help": ""}"#,
            r#"{"id": "x", "dialect": "go", "label": "", "help": "", "events": [{"id": "a", "label": "", "sample": {}, "template": 3}]}"#,
            r#"{"id": "x", "dialect": "go", "label": "", "help": "", "tokens": [{"name": "a", "group": "g"}]}"#,
        ] {
            assert!(parse_sender(bad).is_err(), "{bad}");
        }
    }
}
