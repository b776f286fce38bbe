//! One entry point for every dialect: [`render`] takes a [`RenderRequest`] and gives the body
//! and its diagnostics.
//!
//! ```
//! use std::collections::BTreeMap;
//! use hookwright::template::{render, Dialect, Format, Limits, RenderRequest};
//!
//! let data = serde_json::json!({"alert_summary": "Job \"etl\" failed\nsee logs"});
//! let env = BTreeMap::new();
//! let vars = BTreeMap::new();
//! let result = render(&RenderRequest {
//!     template: r#"{"text": "{{alert_summary}}"}"#,
//!     dialect: Dialect::Tokens,
//!     data: &data,
//!     env: &env,
//!     vars: &vars,
//!     format: Format::Auto,
//!     sender: Some("dagster"),
//!     event: Some("job_failure"),
//!     limits: Limits::default(),
//! });
//! assert_eq!(result.output.as_deref(), Some(r#"{"text": "Job \"etl\" failed\nsee logs"}"#));
//! assert!(result.diagnostics.is_empty());
//! ```

use std::collections::BTreeMap;
use std::str::FromStr;

use serde_json::Value;

use super::jinja::{self, Part};
use super::json_safe::{self, Origin, OutputMap, Slot};
use super::{Diagnostic, Limits, Severity, dagu, go};
use crate::catalog::{self, Availability, Sender};

pub use crate::catalog::Dialect;

impl FromStr for Dialect {
    type Err = String;

    /// `"tokens"`, `"jinja"`, `"go"` or `"dagu"`.
    fn from_str(s: &str) -> Result<Dialect, String> {
        [Dialect::Tokens, Dialect::Jinja, Dialect::Go, Dialect::Dagu]
            .into_iter()
            .find(|d| d.as_str() == s)
            .ok_or_else(|| format!("unknown dialect {s:?}; expected tokens, jinja, go or dagu"))
    }
}

/// What the rendered body is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Format {
    /// JSON: inserted values are escaped to keep it valid, and the result is checked.
    Json,
    /// Plain text: values are inserted as they are.
    Text,
    /// JSON when the template, trimmed, starts with `{` or `[`; text otherwise.
    #[default]
    Auto,
}

impl Format {
    /// `"json"`, `"text"` or `"auto"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Text => "text",
            Format::Auto => "auto",
        }
    }

    /// Whether a body rendered from `template` is JSON.
    pub fn is_json(self, template: &str) -> bool {
        match self {
            Format::Json => true,
            Format::Text => false,
            Format::Auto => template.trim_start().starts_with(['{', '[']),
        }
    }
}

impl FromStr for Format {
    type Err = String;

    /// `"json"`, `"text"` or `"auto"`.
    fn from_str(s: &str) -> Result<Format, String> {
        [Format::Json, Format::Text, Format::Auto]
            .into_iter()
            .find(|f| f.as_str() == s)
            .ok_or_else(|| format!("unknown format {s:?}; expected json, text or auto"))
    }
}

/// Everything [`render`] needs.
#[derive(Debug, Clone, Copy)]
pub struct RenderRequest<'a> {
    /// The template text.
    pub template: &'a str,
    /// Its language.
    pub dialect: Dialect,
    /// The event data: token values (tokens), the context (jinja), dot (go), the payload (dagu).
    pub data: &'a Value,
    /// Environment variables: `{{env.NAME}}` in tokens and jinja.
    pub env: &'a BTreeMap<String, String>,
    /// Custom variables: `vars` in jinja, `.Vars` in go.
    pub vars: &'a BTreeMap<String, String>,
    /// JSON or text body.
    pub format: Format,
    /// A catalog sender id, to check tokens against (tokens dialect).
    pub sender: Option<&'a str>,
    /// The sender's event id, to check token availability (tokens dialect).
    pub event: Option<&'a str>,
    /// Bounds on rendering.
    pub limits: Limits,
}

/// The body and what was found on the way.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RenderResult {
    /// The rendered body; `None` when rendering failed (a syntax error, a runtime error, a
    /// limit). A body that renders but breaks a rule (an unknown token, invalid JSON) is kept so
    /// it can be shown next to the error.
    pub output: Option<String>,
    /// Errors and warnings, with positions in the template.
    pub diagnostics: Vec<Diagnostic>,
}

impl RenderResult {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.severity == Severity::Error)
    }
}

/// Renders a template in any dialect.
///
/// - `tokens`: Dagster+ placeholders (`{{alert_summary}}`, `{{ env.NAME }}`). Each token is
///   checked against the sender's catalog: `unknown_token` (with a suggestion),
///   `token_not_available` on this event, `env_missing` (warning; renders empty) and
///   `undefined_value` (warning) for a valid token without a value in `data`. Anything other
///   than a token name inside `{{ }}`, and any `{% %}` tag, is a `syntax_error`.
/// - `jinja`: minijinja with `data`'s keys as context plus `env` and `vars`.
/// - `go`: Go `text/template` with `data` as dot and `vars` as `.Vars`.
/// - `dagu`: `${WEBHOOK_PAYLOAD…}` references expanded against `data`.
///
/// For a JSON body (see [`Format`]) the tokens and jinja dialects insert values JSON-safely: a
/// value inside a string literal of the template becomes escaped string content, a value
/// outside any string becomes a JSON value (`"n": {{ n }}` gives `"n": 3`); a value already
/// marked safe (`tojson`, `safe`) is inserted as it is. Every dialect's JSON output is then
/// parsed, and an `invalid_json_output` error points at the template position that produced
/// the offending byte.
///
/// Rendering is bounded by `limits` (steps, call depth, output bytes): going over any is a
/// `limit_exceeded` error. It never panics.
pub fn render(req: &RenderRequest) -> RenderResult {
    let json = req.format.is_json(req.template);
    let mut result = RenderResult::default();
    let map = match req.dialect {
        Dialect::Tokens => render_tokens(req, json, &mut result),
        Dialect::Jinja => render_jinja(req, json, &mut result),
        Dialect::Go => render_go(req, &mut result),
        Dialect::Dagu => render_dagu(req, &mut result),
    };
    if json
        && let (Some(output), Some(map)) = (&result.output, map)
        && let Some(d) = json_safe::check_json(output, req.template, &map)
    {
        result.diagnostics.push(d);
    }
    result.diagnostics.sort_by_key(|d| (d.start, d.end));
    result
}

/// The context of the tokens and jinja dialects: `data`'s keys, then `extra` (which win).
fn context(data: &Value, extra: Vec<(String, minijinja::Value)>) -> Option<minijinja::Value> {
    let mut entries = Vec::new();
    if let Value::Object(map) = data {
        for (k, v) in map {
            entries.push((k.clone(), jinja::value_of(v)?));
        }
    }
    entries.extend(extra);
    Some(jinja::object(entries))
}

fn too_deep(req: &RenderRequest) -> Diagnostic {
    Diagnostic::at(Severity::Error, "limit_exceeded", "the data is nested too deeply", req.template, 0, 0)
}

fn render_jinja(req: &RenderRequest, json: bool, result: &mut RenderResult) -> Option<OutputMap> {
    let extra =
        vec![("env".to_string(), jinja::string_map(req.env)), ("vars".to_string(), jinja::string_map(req.vars))];
    let Some(root) = context(req.data, extra) else {
        result.diagnostics.push(too_deep(req));
        return None;
    };
    let rendered = jinja::render(req.template, root, json, &req.limits);
    result.diagnostics.extend(rendered.diagnostics);
    for ((start, end), slot) in rendered.undefined {
        let expr =
            req.template[start..end].trim_start_matches(['{', '-', '+']).trim_end_matches(['}', '-', '+']).trim();
        let renders = if slot == Slot::Value { "null" } else { "empty" };
        result.diagnostics.push(Diagnostic::at(
            Severity::Warning,
            "undefined_value",
            format!("`{expr}` is undefined; it renders {renders}"),
            req.template,
            start,
            end,
        ));
    }
    result.output = rendered.output;
    Some(rendered.map)
}

/// Whether `name` is a token name: identifiers joined by dots.
fn is_token_name(name: &str) -> bool {
    !name.is_empty()
        && name.split('.').all(|seg| !seg.is_empty() && seg.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        && name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
}

/// The value at dotted `path` in `data`.
fn lookup<'a>(data: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(data, |v, seg| v.get(seg))
}

fn sender_label(sender: &Sender) -> &str {
    &sender.label
}

fn render_tokens(req: &RenderRequest, json: bool, result: &mut RenderResult) -> Option<OutputMap> {
    let src = req.template;
    let parts = match jinja::scan(src) {
        Ok(parts) => parts,
        Err((at, message)) => {
            result.diagnostics.push(Diagnostic::at(Severity::Error, "syntax_error", message, src, at, src.len()));
            return None;
        }
    };
    let sender = req.sender.and_then(catalog::sender);
    if let Some(id) = req.sender
        && sender.is_none()
    {
        result.diagnostics.push(Diagnostic::at(
            Severity::Warning,
            "unknown_sender",
            format!("the catalog has no sender {id:?}; tokens are checked against the data only"),
            src,
            0,
            0,
        ));
    }
    let event = match (sender, req.event) {
        (Some(s), Some(e)) if s.event(e).is_none() => {
            let known: Vec<&str> = s.events.iter().map(|e| e.id.as_str()).collect();
            result.diagnostics.push(Diagnostic::at(
                Severity::Warning,
                "unknown_event",
                format!("{} has no event {e:?}; its events are {}", sender_label(s), known.join(", ")),
                src,
                0,
                0,
            ));
            None
        }
        (_, e) => e,
    };
    let slots = jinja::slots(src, &parts, json);
    let mut slot = slots.iter().copied();
    let mut syntax_ok = true;
    for part in &parts {
        let (start, end, message) = match *part {
            Part::Tag { start, end } | Part::Raw { start, end, .. } => {
                (start, end, "the tokens dialect has only `{{token}}` placeholders; `{% … %}` tags are not evaluated")
            }
            Part::Expr { start, end, inner_start, inner_end } => {
                let name = src[inner_start..inner_end].trim();
                let empty = if slot.next() == Some(Slot::Value) { "null" } else { "empty" };
                if is_token_name(name) {
                    check_token(req, (sender, event), name, (start, end), empty, result);
                    continue;
                }
                (start, end, "a token is a name such as `{{alert_summary}}` or `{{env.NAME}}`, not an expression")
            }
            Part::Text { .. } | Part::Comment { .. } => continue,
        };
        syntax_ok = false;
        result.diagnostics.push(Diagnostic::at(Severity::Error, "syntax_error", message, src, start, end));
    }
    if !syntax_ok {
        return None;
    }
    let Some(root) = context(req.data, vec![("env".to_string(), jinja::string_map(req.env))]) else {
        result.diagnostics.push(too_deep(req));
        return None;
    };
    let rendered = jinja::render(src, root, json, &req.limits);
    // Undefined tokens were reported above, with what the catalog knows about them.
    result.diagnostics.extend(rendered.diagnostics);
    result.output = rendered.output;
    Some(rendered.map)
}

/// Checks one token against the environment, the catalog and the data.
/// `empty` is how a missing value renders here: `"empty"` or `"null"`.
fn check_token(
    req: &RenderRequest,
    (sender, event): (Option<&Sender>, Option<&str>),
    name: &str,
    (start, end): (usize, usize),
    empty: &str,
    result: &mut RenderResult,
) {
    let mut push = |severity, code, message: String| {
        result.diagnostics.push(Diagnostic::at(severity, code, message, req.template, start, end));
    };
    if let Some(var) = name.strip_prefix("env.") {
        if !req.env.contains_key(var) {
            push(
                Severity::Warning,
                "env_missing",
                format!("environment variable {var:?} is not set; {{{{{name}}}}} renders {empty}"),
            );
        }
        return;
    }
    if let Some(sender) = sender {
        match sender.token_availability(name, event.unwrap_or_default()) {
            Availability::Available => {}
            Availability::Unknown { suggestion } => {
                let hint = suggestion.map(|s| format!("; did you mean {s:?}?")).unwrap_or_default();
                push(Severity::Error, "unknown_token", format!("unknown token {name:?}{hint}"));
                return;
            }
            Availability::OtherEvents(events) => {
                if let Some(event) = event {
                    let offered = if events.is_empty() { "no event".to_string() } else { events.join(", ") };
                    push(
                        Severity::Error,
                        "token_not_available",
                        format!("token {name:?} is not available on {event}; it is offered on {offered}"),
                    );
                    return;
                }
            }
        }
    }
    if lookup(req.data, name).is_none() {
        push(
            Severity::Warning,
            "undefined_value",
            format!("token {name:?} has no value in the data; it renders {empty}"),
        );
    }
}

fn render_go(req: &RenderRequest, result: &mut RenderResult) -> Option<OutputMap> {
    let data = match req.data {
        Value::Object(map) => {
            let mut map = map.clone();
            let vars = req.vars.iter().map(|(k, v)| (k.clone(), Value::String(v.clone()))).collect();
            map.insert("Vars".to_string(), Value::Object(vars));
            Value::Object(map)
        }
        other => other.clone(),
    };
    let (output, diagnostics) = go::render(req.template, &data, &req.limits);
    result.diagnostics.extend(diagnostics);
    let map = output.as_deref().map(|out| align(req.template, &go_literals(req.template), out));
    result.output = output;
    map
}

fn render_dagu(req: &RenderRequest, result: &mut RenderResult) -> Option<OutputMap> {
    let (output, diagnostics) = dagu::expand_with(req.template, req.data, &req.limits);
    let failed = diagnostics.iter().any(|d| d.severity == Severity::Error);
    result.diagnostics.extend(diagnostics);
    if failed {
        return None;
    }
    let mut literals = Vec::new();
    let mut at = 0;
    for r in dagu::references(req.template) {
        literals.push((at, r.start));
        at = r.end;
    }
    literals.push((at, req.template.len()));
    let map = align(req.template, &literals, &output);
    result.output = Some(output);
    Some(map)
}

/// The literal text runs of a Go template (outside `{{ }}` actions), trimmed as `{{-`/`-}}` trim
/// them in the output.
fn go_literals(src: &str) -> Vec<(usize, usize)> {
    let bytes = src.as_bytes();
    let mut out = Vec::new();
    let mut at = 0;
    let mut trim_next = false;
    while at <= bytes.len() {
        let open = src[at..].find("{{").map_or(src.len(), |i| at + i);
        let mut start = at;
        let mut end = open;
        if trim_next {
            start += src[start..end].len() - src[start..end].trim_start().len();
        }
        let trims_before = src[open..].starts_with("{{- ");
        if trims_before {
            end = start + src[start..end].trim_end().len();
        }
        out.push((start, end.max(start)));
        if open >= src.len() {
            break;
        }
        // Find the action's end, skipping Go strings, raw strings, runes and comments.
        let mut i = open + 2;
        let mut close = None;
        while i < bytes.len() {
            match bytes[i] {
                b'"' | b'\'' => {
                    let q = bytes[i];
                    i += 1;
                    while i < bytes.len() && bytes[i] != q {
                        i += if bytes[i] == b'\\' { 2 } else { 1 };
                    }
                }
                b'`' => i += src[i + 1..].find('`').map_or(bytes.len(), |j| j + 1),
                b'/' if src[i..].starts_with("/*") => i += src[i..].find("*/").map_or(bytes.len(), |j| j + 1),
                b'}' if src[i..].starts_with("}}") => {
                    close = Some(i);
                    break;
                }
                _ => {}
            }
            i += 1;
        }
        let Some(close) = close else { break };
        trim_next = src[..close].ends_with(" -");
        at = close + 2;
    }
    out
}

/// An output map for an engine that reports no positions: each literal run of the template is
/// looked for in the output, in order; output between two found runs is attributed to the
/// template text between them (the actions). Approximate when loops repeat text.
fn align(src: &str, literals: &[(usize, usize)], output: &str) -> OutputMap {
    let mut map = OutputMap::default();
    let mut out_at = 0;
    let mut gap_start = 0;
    for &(start, end) in literals {
        let text = &src[start..end];
        if text.is_empty() {
            continue;
        }
        let Some(found) = output[out_at..].find(text).map(|i| out_at + i) else { continue };
        if found > out_at {
            map.push(out_at, Origin::Expr(gap_start, start.max(gap_start)));
        }
        map.push(found, Origin::Literal(start));
        out_at = found + text.len();
        gap_start = end;
    }
    if out_at < output.len() {
        map.push(out_at, Origin::Expr(gap_start, src.len().max(gap_start)));
    }
    map
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_names() {
        assert_eq!("tokens".parse::<Dialect>(), Ok(Dialect::Tokens));
        assert_eq!("dagu".parse::<Dialect>(), Ok(Dialect::Dagu));
        assert!("cobol".parse::<Dialect>().is_err());
        assert_eq!("auto".parse::<Format>(), Ok(Format::Auto));
        assert!(Format::Auto.is_json("  \n[1]"));
        assert!(!Format::Auto.is_json("hi {"));
    }

    #[test]
    fn token_names() {
        assert!(is_token_name("env.WEBHOOK_API_KEY"));
        assert!(is_token_name("alert_summary"));
        assert!(!is_token_name("a | upper"));
        assert!(!is_token_name("1a"));
        assert!(!is_token_name("a..b"));
    }

    #[test]
    fn go_literal_runs() {
        let src = "a {{- .X -}} b{{ \"}}\" }}c";
        let runs: Vec<&str> = go_literals(src).iter().map(|&(s, e)| &src[s..e]).collect();
        assert_eq!(runs, ["a", "b", "c"]);
    }
}
