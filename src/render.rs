//! The one place the playground renders a template. Until the core's `template::render` entry
//! point lands, this calls `template::go::render` for Go, `template::dagu::expand` for Dagu, and
//! does a small `{{name}}` / `{{env.X}}` substitution for tokens and Jinja (`| tojson`,
//! `| urlencode`), with the same output/diagnostics shape.

use std::collections::BTreeMap;

use hookwright::catalog::{Availability, Dialect, Sender};
use hookwright::template::{Diagnostic, Limits, Severity, dagu, go};
use serde_json::Value;

/// What to render (shaped like the core's coming `RenderRequest`).
pub struct RenderRequest<'a> {
    pub template: &'a str,
    pub dialect: Dialect,
    pub data: &'a Value,
    pub env: &'a BTreeMap<String, String>,
    pub vars: &'a BTreeMap<String, String>,
    pub sender: Option<&'a Sender>,
    pub event: Option<&'a str>,
    pub limits: Limits,
}

/// The output (when rendering succeeded) and every diagnostic.
#[derive(Clone, PartialEq, Debug, Default)]
pub struct RenderResult {
    pub output: Option<String>,
    pub diagnostics: Vec<Diagnostic>,
}

pub fn render(req: &RenderRequest) -> RenderResult {
    let (output, mut diagnostics) = match req.dialect {
        Dialect::Go => {
            let data = match req.sender.map(|s| s.id.as_str()) {
                Some("grafana") => grafana_data(req.data, req.vars),
                _ => req.data.clone(),
            };
            go::render(req.template, &data, &req.limits)
        }
        Dialect::Dagu => {
            let (out, d) = dagu::expand_with(req.template, req.data, &req.limits);
            (Some(out), d)
        }
        Dialect::Tokens | Dialect::Jinja => substitute(req),
    };
    if let (Some(sender), Some(event)) = (req.sender, req.event) {
        diagnostics.extend(availability(req.template, req.dialect, sender, event));
    }
    diagnostics.sort_by_key(|d| (d.start, d.severity != Severity::Error));
    RenderResult { output, diagnostics }
}

/// Grafana's template data from a webhook payload: the Go field names (`.Status`,
/// `.CommonLabels`, `.Alerts[].Labels`) as the catalog's tokens map them, and `.Vars`.
fn grafana_data(payload: &Value, vars: &BTreeMap<String, String>) -> Value {
    let Some(sender) = hookwright::catalog::sender("grafana") else { return payload.clone() };
    let mut out = serde_json::Map::new();
    let mut alert_fields = Vec::new();
    for t in &sender.tokens {
        match t.path.as_deref() {
            Some(p) if p.starts_with("alerts[].") => {
                alert_fields.push((t.name.clone(), p["alerts[].".len()..].to_string()))
            }
            Some(p) => {
                if let Some(v) = payload.get(p) {
                    out.insert(t.name.clone(), v.clone());
                }
            }
            None => {}
        }
    }
    if let Some(Value::Array(alerts)) = payload.get("alerts") {
        let mapped = alerts
            .iter()
            .map(|a| {
                let mut m = serde_json::Map::new();
                if let Some(s) = a.get("status") {
                    m.insert("Status".into(), s.clone());
                }
                for (name, field) in &alert_fields {
                    if let Some(v) = a.get(field) {
                        m.insert(name.clone(), v.clone());
                    }
                }
                Value::Object(m)
            })
            .collect();
        out.insert("Alerts".into(), Value::Array(mapped));
    }
    out.insert("Vars".into(), Value::Object(vars.iter().map(|(k, v)| (k.clone(), Value::String(v.clone()))).collect()));
    Value::Object(out)
}

/// A dotted path (`data.job_name`, `commits.0.id`) in `data`.
fn lookup<'v>(data: &'v Value, path: &str) -> Option<&'v Value> {
    path.split('.').try_fold(data, |v, seg| match v {
        Value::Object(m) => m.get(seg),
        Value::Array(a) => seg.parse::<usize>().ok().and_then(|i| a.get(i)),
        _ => None,
    })
}

fn plain(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn urlencode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `{{ name }}` substitution for the tokens dialect and a small Jinja subset.
fn substitute(req: &RenderRequest) -> (Option<String>, Vec<Diagnostic>) {
    let src = req.template;
    let jinja = req.dialect == Dialect::Jinja;
    let mut out = String::with_capacity(src.len());
    let mut diags = Vec::new();
    let mut at = 0;
    let warn = |code, msg: String, s, e| Diagnostic::at(Severity::Warning, code, msg, src, s, e);
    loop {
        let next = ["{{", "{%", "{#"]
            .iter()
            .filter(|o| jinja || **o == "{{")
            .filter_map(|o| src[at..].find(o).map(|i| (at + i, *o)))
            .min();
        let Some((start, open)) = next else {
            out.push_str(&src[at..]);
            break;
        };
        out.push_str(&src[at..start]);
        let close = match open {
            "{%" => "%}",
            "{#" => "#}",
            _ => "}}",
        };
        let Some(len) = src[start + 2..].find(close) else {
            diags.push(Diagnostic::at(
                Severity::Error,
                "syntax_error",
                format!("`{open}` is never closed with `{close}`"),
                src,
                start,
                src.len(),
            ));
            return (None, diags);
        };
        let end = start + 2 + len + 2;
        let inner = src[start + 2..end - 2].trim();
        at = end;
        match open {
            "{#" => continue,
            "{%" => {
                diags.push(warn(
                    "unsupported",
                    "statements ({% … %}) need the full Jinja renderer; left out of this preview".into(),
                    start,
                    end,
                ));
                continue;
            }
            _ => {}
        }
        let mut parts = inner.split('|').map(str::trim);
        let name = parts.next().unwrap_or("");
        let value = if let Some(var) = name.strip_prefix("env.") {
            match req.env.get(var) {
                Some(v) => Value::String(v.clone()),
                None => {
                    diags.push(warn("env_missing", format!("no value for env.{var}: add it under Env"), start, end));
                    Value::String(String::new())
                }
            }
        } else if name.is_empty() {
            diags.push(Diagnostic::at(Severity::Error, "syntax_error", "empty `{{ }}`", src, start, end));
            return (None, diags);
        } else {
            match lookup(req.data, name) {
                Some(v) => v.clone(),
                None => {
                    diags.push(warn("undefined_value", format!("{name} has no value in the event data"), start, end));
                    Value::Null
                }
            }
        };
        let mut text = plain(&value);
        let mut json = false;
        for filter in parts {
            match filter {
                "tojson" => {
                    text = value.to_string();
                    json = true;
                }
                "urlencode" => text = urlencode(&text),
                "upper" => text = text.to_uppercase(),
                "lower" => text = text.to_lowercase(),
                "trim" => text = text.trim().to_string(),
                other => diags.push(warn(
                    "unsupported",
                    format!("filter `{other}` needs the full Jinja renderer; ignored in this preview"),
                    start,
                    end,
                )),
            }
        }
        if !json && value.is_null() && jinja {
            text.clear();
        }
        out.push_str(&text);
    }
    (Some(out), diags)
}

/// Warnings for tokens the sender does not have, or offers only on other events.
fn availability(src: &str, dialect: Dialect, sender: &Sender, event: &str) -> Vec<Diagnostic> {
    let mut refs: Vec<(usize, usize, String)> = Vec::new();
    match dialect {
        Dialect::Dagu => {
            for r in dagu::references(src) {
                refs.push((r.start, r.end, r.token()));
            }
        }
        Dialect::Tokens | Dialect::Jinja => {
            let mut at = 0;
            while let Some(i) = src[at..].find("{{") {
                let start = at + i;
                let Some(len) = src[start + 2..].find("}}") else { break };
                let end = start + 2 + len + 2;
                let name = src[start + 2..end - 2].split('|').next().unwrap_or("").trim();
                if !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '.') {
                    refs.push((start, end, name.to_string()));
                }
                at = end;
            }
        }
        Dialect::Go => return Vec::new(),
    }
    let mut out = Vec::new();
    for (start, end, name) in refs {
        let msg = match sender.token_availability(&name, event) {
            Availability::Available => continue,
            Availability::OtherEvents(events) => {
                ("token_not_available", format!("{name} is not sent on this event; only on {}", events.join(", ")))
            }
            Availability::Unknown { suggestion } => (
                "unknown_token",
                match suggestion {
                    Some(s) => format!("{} has no token {name}; did you mean {s}?", sender.label),
                    None => format!("{} has no token {name}", sender.label),
                },
            ),
        };
        out.push(Diagnostic::at(Severity::Warning, msg.0, msg.1, src, start, end));
    }
    out
}

/// Parses `NAME=value` lines (blank lines and `#` comments skipped).
pub fn key_values(text: &str) -> BTreeMap<String, String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once('=').map(|(k, v)| (k.trim().to_string(), v.trim().to_string())))
        .filter(|(k, _)| !k.is_empty())
        .collect()
}
