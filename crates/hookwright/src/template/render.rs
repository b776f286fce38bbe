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

/// A value found at one of [`Compiled::paths`] in the data.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Found<'a> {
    /// Nothing there (a missing key, or a step through something that is not an object).
    Missing,
    /// A string.
    Str(&'a str),
    /// Any value.
    Value(&'a Value),
}

/// A compiled template as literal text with holes between, for a host that assembles bodies
/// itself (the npm package does, in JS): `texts[0]`, the value of `holes[0]`, `texts[1]`, …,
/// the last text. See [`Compiled::plan`] for when that gives what [`Compiled::render_found`]
/// gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// One more than there are holes.
    pub texts: Vec<String>,
    /// The holes, in order.
    pub holes: Vec<Hole>,
    /// Bodies longer than this many bytes (UTF-8) are rendered by the core instead.
    pub output_limit: usize,
}

/// One hole of a [`Plan`]: the string at `paths()[path]`, written as `quote` says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hole {
    /// Index in [`Compiled::paths`].
    pub path: usize,
    /// How the string is written.
    pub quote: Quote,
}

/// How a [`Hole`] writes its string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quote {
    /// As JSON string content: `"` and `\` get a backslash, `\n` `\r` `\t` `\b` `\f` their
    /// short escapes, other control characters `\u00xx` (lowercase hex); nothing else is escaped.
    /// (JSON.stringify's escaping of a well-formed string, without the quotes.)
    Content,
    /// As a JSON string: the same, in quotes.
    String,
    /// As it is.
    Raw,
}

/// Data holding `found[i]` at `paths[i]` and nothing else.
fn sparse_data(paths: &[String], found: &[Found]) -> Value {
    let mut data = Value::Object(serde_json::Map::new());
    for (path, f) in paths.iter().zip(found) {
        let value = match f {
            Found::Missing => continue,
            Found::Str(s) => Value::String((*s).to_string()),
            Found::Value(v) => (*v).clone(),
        };
        let mut at = &mut data;
        let mut segs = path.split('.').peekable();
        while let Some(seg) = segs.next() {
            let Value::Object(map) = at else { break };
            if segs.peek().is_none() {
                map.insert(seg.to_string(), value);
                break;
            }
            at = map.entry(seg.to_string()).or_insert_with(|| Value::Object(serde_json::Map::new()));
        }
    }
    data
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
    compile(&req.compile_request()).render(req.data)
}

/// Everything [`compile`] needs: a [`RenderRequest`] without the data.
#[derive(Debug, Clone, Copy)]
pub struct CompileRequest<'a> {
    /// The template text.
    pub template: &'a str,
    /// Its language.
    pub dialect: Dialect,
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

impl<'a> RenderRequest<'a> {
    /// The request without its data.
    pub fn compile_request(&self) -> CompileRequest<'a> {
        CompileRequest {
            template: self.template,
            dialect: self.dialect,
            env: self.env,
            vars: self.vars,
            format: self.format,
            sender: self.sender,
            event: self.event,
            limits: self.limits,
        }
    }
}

/// A template prepared once by [`compile`], to render with many data.
///
/// Diagnostics that depend only on the template (syntax errors, `unknown_token`,
/// `token_not_available`, `env_missing`, `unknown_sender`, `unknown_event`) are found at
/// compile time and returned with every render. [`Compiled::render`] gives exactly what
/// [`render`] gives for the same request.
pub struct Compiled {
    template: String,
    json: bool,
    limits: Limits,
    /// Found at compile time, in the order rendering reports them.
    diagnostics: Vec<Diagnostic>,
    engine: Engine,
}

enum Engine {
    /// Compilation failed: rendering gives no output.
    Failed,
    Tokens(Tokens),
    Jinja {
        compiled: jinja::Compiled,
        env: minijinja::Value,
        vars: minijinja::Value,
    },
    Go {
        template: go::Template,
        vars: serde_json::Map<String, Value>,
    },
    Dagu,
}

/// A compiled tokens template.
struct Tokens {
    compiled: jinja::Compiled,
    env: minijinja::Value,
    env_map: BTreeMap<String, String>,
    /// Tokens whose only remaining check is whether `data` has a value: (name, span, empty).
    lookups: Vec<(String, (usize, usize), &'static str)>,
    /// The template as pieces when it can be rendered without the engine (see [`fast_pieces`]).
    fast: Option<Vec<Piece>>,
    /// The distinct data paths the pieces read (tokens other than `env.NAME`), in order.
    paths: Vec<String>,
    /// Whether every body the pieces render is valid JSON whatever the data (see
    /// [`valid_by_construction`]): the output check can be skipped.
    valid: bool,
}

/// A piece of a tokens template rendered without the engine.
enum Piece {
    Text(usize, usize),
    /// A token: its dotted name, its slot and its span; `check` is how a missing value renders
    /// (`"empty"` or `"null"`) when a missing value is an `undefined_value` warning.
    Token {
        name: (usize, usize),
        /// Index in [`Tokens::paths`]; unused for `env.NAME`.
        path: usize,
        slot: Slot,
        span: (usize, usize),
        check: Option<&'static str>,
    },
}

impl std::fmt::Debug for Compiled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Compiled").field("template", &self.template).finish_non_exhaustive()
    }
}

/// Compiles a template: parses it and checks what does not depend on the data. See [`render`]
/// for the dialects and diagnostics.
pub fn compile(req: &CompileRequest) -> Compiled {
    let json = req.format.is_json(req.template);
    let mut compiled = Compiled {
        template: req.template.to_string(),
        json,
        limits: req.limits,
        diagnostics: Vec::new(),
        engine: Engine::Failed,
    };
    compiled.engine = match req.dialect {
        Dialect::Tokens => compile_tokens(req, json, &mut compiled.diagnostics),
        Dialect::Jinja => match jinja::compile(req.template, json, &req.limits) {
            Ok(c) => Engine::Jinja { compiled: c, env: jinja::string_map(req.env), vars: jinja::string_map(req.vars) },
            Err(d) => {
                compiled.diagnostics.push(d);
                Engine::Failed
            }
        },
        Dialect::Go => match go::Template::parse(req.template) {
            Ok(t) => Engine::Go {
                template: t,
                vars: req.vars.iter().map(|(k, v)| (k.clone(), Value::String(v.clone()))).collect(),
            },
            Err(d) => {
                compiled.diagnostics.extend(d);
                Engine::Failed
            }
        },
        Dialect::Dagu => Engine::Dagu,
    };
    if matches!(req.dialect, Dialect::Jinja | Dialect::Dagu)
        && let (Some(sender), Some(event)) = (req.sender.and_then(catalog::sender), req.event)
    {
        compiled.diagnostics.extend(catalog_warnings(req.template, req.dialect, sender, event));
    }
    compiled
}

/// Warnings for the names a jinja or Dagu template reads that the sender does not send, or sends
/// only on other events (tokens templates get errors for these: see `compile_tokens`). Jinja's
/// own names (`loop`, `vars`, `env`) and expressions other than a plain dotted name are skipped.
fn catalog_warnings(src: &str, dialect: Dialect, sender: &Sender, event: &str) -> Vec<Diagnostic> {
    let mut refs: Vec<(usize, usize, String)> = Vec::new();
    match dialect {
        Dialect::Dagu => {
            for r in dagu::references(src) {
                refs.push((r.start, r.end, r.token()));
            }
        }
        Dialect::Jinja => {
            let mut at = 0;
            while let Some(start) = src.get(at..).and_then(|rest| rest.find("{{")).map(|i| at + i) {
                let Some(end) = src.get(start + 2..).and_then(|rest| rest.find("}}")).map(|i| start + 2 + i + 2) else {
                    break;
                };
                let inner = src.get(start + 2..end - 2).unwrap_or("");
                let name = inner.split('|').next().unwrap_or("").trim().trim_matches('-').trim();
                let root = name.split('.').next().unwrap_or("");
                if !name.is_empty()
                    && name.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '.')
                    && !matches!(root, "loop" | "vars" | "env")
                {
                    refs.push((start, end, name.to_string()));
                }
                at = end;
            }
        }
        Dialect::Tokens | Dialect::Go => {}
    }
    let mut out = Vec::new();
    for (start, end, name) in refs {
        let (code, message) = match sender.token_availability(&name, event) {
            Availability::Available => continue,
            Availability::OtherEvents(events) => {
                ("token_not_available", format!("{name} is not sent on this event; only on {}", events.join(", ")))
            }
            Availability::Unknown { suggestion: Some(s) } => {
                ("unknown_token", format!("{} has no token {name}; did you mean {s}?", sender.label))
            }
            Availability::Unknown { suggestion: None } => {
                ("unknown_token", format!("{} has no token {name}", sender.label))
            }
        };
        out.push(Diagnostic::at(Severity::Warning, code, message, src, start, end));
    }
    out
}

impl Compiled {
    /// The template text.
    pub fn template(&self) -> &str {
        &self.template
    }

    /// Diagnostics found at compile time; every render returns them too.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// Renders with `data` (token values, the jinja context, Go's dot, Dagu's payload).
    pub fn render(&self, data: &Value) -> RenderResult {
        let mut result = RenderResult { output: None, diagnostics: self.diagnostics.clone() };
        let src = self.template.as_str();
        let check = match &self.engine {
            Engine::Failed => return result,
            Engine::Tokens(t) => self.render_tokens(t, data, &mut result),
            Engine::Jinja { compiled, env, vars } => {
                self.render_jinja(compiled, [("env", env), ("vars", vars)], data, &mut result)
            }
            Engine::Go { template, vars } => {
                let data = match data {
                    Value::Object(map) => {
                        let mut map = map.clone();
                        map.insert("Vars".to_string(), Value::Object(vars.clone()));
                        Value::Object(map)
                    }
                    other => other.clone(),
                };
                let (output, diagnostics) = template.render_with_warnings(&data, &self.limits);
                result.diagnostics.extend(diagnostics);
                result.output = output;
                result.output.is_some()
            }
            Engine::Dagu => {
                let (output, diagnostics) = dagu::expand_with(src, data, &self.limits);
                let failed = diagnostics.iter().any(|d| d.severity == Severity::Error);
                result.diagnostics.extend(diagnostics);
                if !failed {
                    result.output = Some(output);
                }
                !failed
            }
        };
        if self.json
            && check
            && let Some(output) = &result.output
            && let Some(d) = json_safe::check_json(output, src, || self.output_map(data, output))
        {
            result.diagnostics.push(d);
        }
        result.diagnostics.sort_by_key(|d| (d.start, d.end));
        result
    }

    /// The data paths (dotted names such as `alert_summary` or `run.id`) that rendering reads,
    /// when it reads nothing else of the data: a tokens template whose tokens all render
    /// without the engine. `None` for any other template. See [`Compiled::render_found`].
    pub fn paths(&self) -> Option<&[String]> {
        match &self.engine {
            Engine::Tokens(t) if t.fast.is_some() => Some(&t.paths),
            _ => None,
        }
    }

    /// The template as a [`Plan`], when assembling it gives exactly what
    /// [`Compiled::render_found`] gives whenever every value at [`Compiled::paths`] is a string
    /// and the body fits the plan's output limit: then the body is the assembled text and there
    /// are no diagnostics. That holds for a template with [`Compiled::paths`] whose compilation
    /// found nothing to report and whose every JSON body is valid by construction (or that
    /// renders text); `None` otherwise. Environment tokens are already written into the text.
    pub fn plan(&self) -> Option<Plan> {
        let Engine::Tokens(t) = &self.engine else { return None };
        let pieces = t.fast.as_deref()?;
        if !self.diagnostics.is_empty() || (self.json && !t.valid) {
            return None;
        }
        let src = self.template.as_str();
        let mut plan = Plan { texts: vec![String::new()], holes: Vec::new(), output_limit: self.limits.output };
        for piece in pieces {
            let text = plan.texts.last_mut()?;
            match *piece {
                Piece::Text(start, end) => text.push_str(&src[start..end]),
                Piece::Token { name, path, slot, .. } => match src[name.0..name.1].strip_prefix("env.") {
                    Some(var) => match t.env_map.get(var) {
                        Some(v) => write_str(text, v, slot),
                        None => write_undefined(text, slot),
                    },
                    None => {
                        let quote = match slot {
                            Slot::InString => Quote::Content,
                            Slot::Value => Quote::String,
                            Slot::Text => Quote::Raw,
                        };
                        plan.holes.push(Hole { path, quote });
                        plan.texts.push(String::new());
                    }
                },
            }
        }
        Some(plan)
    }

    /// Renders with the values found at [`Compiled::paths`], given in that order: exactly what
    /// [`Compiled::render`] gives for data that holds those values at those paths and nothing
    /// else. For a template without paths (or `found` of another length) the data is empty.
    pub fn render_found(&self, found: &[Found]) -> RenderResult {
        let Engine::Tokens(t) = &self.engine else { return self.render(&sparse_data(&[], found)) };
        let (Some(pieces), true) = (&t.fast, found.len() == t.paths.len()) else {
            return self.render(&sparse_data(&t.paths, found));
        };
        // Each value sits as deep in the data as its path has dots.
        let deep = t.paths.iter().zip(found).any(|(path, f)| match f {
            Found::Value(v) => nested_deeper(v, path.matches('.').count()),
            _ => false,
        });
        let mut result = RenderResult { output: None, diagnostics: self.diagnostics.clone() };
        let rendered = if deep {
            None
        } else {
            self.fast_render(
                t,
                pieces,
                |i, _| found.get(i).copied().unwrap_or(Found::Missing),
                false,
                &mut result.diagnostics,
            )
        };
        let Some((output, _)) = rendered else { return self.render(&sparse_data(&t.paths, found)) };
        if self.json
            && !t.valid
            && let Some(d) = json_safe::check_json(&output, &self.template, || {
                self.output_map(&sparse_data(&t.paths, found), &output)
            })
        {
            result.diagnostics.push(d);
        }
        result.output = Some(output);
        result.diagnostics.sort_by_key(|d| (d.start, d.end));
        result
    }

    /// The output map of a render of `data` that gave `output`: rendered again, recording it.
    fn output_map(&self, data: &Value, output: &str) -> OutputMap {
        let src = self.template.as_str();
        match &self.engine {
            Engine::Failed => OutputMap::default(),
            Engine::Tokens(t) => {
                if let Some(pieces) = &t.fast
                    && !data_too_deep(data)
                    && let Some((_, map)) =
                        self.fast_render(t, pieces, |_, name| found_in(data, name), true, &mut Vec::new())
                {
                    return map;
                }
                let root = context(data, vec![("env".to_string(), t.env.clone())]);
                root.map_or_else(OutputMap::default, |root| t.compiled.render(src, root, true).map)
            }
            Engine::Jinja { compiled, env, vars } => {
                let root = context(data, vec![("env".to_string(), env.clone()), ("vars".to_string(), vars.clone())]);
                root.map_or_else(OutputMap::default, |root| compiled.render(src, root, true).map)
            }
            Engine::Go { .. } => align(src, &go_literals(src), output),
            Engine::Dagu => {
                let mut literals = Vec::new();
                let mut at = 0;
                for r in dagu::references(src) {
                    literals.push((at, r.start));
                    at = r.end;
                }
                literals.push((at, src.len()));
                align(src, &literals, output)
            }
        }
    }

    /// Returns whether the output should be checked as JSON.
    fn render_jinja(
        &self,
        compiled: &jinja::Compiled,
        [(n1, v1), (n2, v2)]: [(&str, &minijinja::Value); 2],
        data: &Value,
        result: &mut RenderResult,
    ) -> bool {
        let src = self.template.as_str();
        let Some(root) = context(data, vec![(n1.to_string(), v1.clone()), (n2.to_string(), v2.clone())]) else {
            result.diagnostics.push(too_deep(src));
            return false;
        };
        let rendered = compiled.render(src, root, false);
        result.diagnostics.extend(rendered.diagnostics);
        for ((start, end), slot) in rendered.undefined {
            let expr = src[start..end].trim_start_matches(['{', '-', '+']).trim_end_matches(['}', '-', '+']).trim();
            let renders = if slot == Slot::Value { "null" } else { "empty" };
            result.diagnostics.push(Diagnostic::at(
                Severity::Warning,
                "undefined_value",
                format!("`{expr}` is undefined; it renders {renders}"),
                src,
                start,
                end,
            ));
        }
        result.output = rendered.output;
        true
    }

    fn render_tokens(&self, t: &Tokens, data: &Value, result: &mut RenderResult) -> bool {
        let src = self.template.as_str();
        if let Some(pieces) = &t.fast
            && !data_too_deep(data)
            && let Some((output, _)) =
                self.fast_render(t, pieces, |_, name| found_in(data, name), false, &mut result.diagnostics)
        {
            result.output = Some(output);
            // Valid by construction: checking would find nothing.
            return !t.valid;
        }
        for (name, (start, end), empty) in &t.lookups {
            if lookup(data, name).is_none() {
                result.diagnostics.push(undefined_token(src, name, (*start, *end), empty));
            }
        }
        let Some(root) = context(data, vec![("env".to_string(), t.env.clone())]) else {
            result.diagnostics.push(too_deep(src));
            return false;
        };
        let rendered = t.compiled.render(src, root, false);
        // Undefined tokens were reported above, with what the catalog knows about them.
        result.diagnostics.extend(rendered.diagnostics);
        result.output = rendered.output;
        true
    }

    /// Renders a tokens template without the engine, exactly as the engine would, and appends
    /// the `undefined_value` warnings of its tokens to `diagnostics`. `None` (and nothing
    /// appended) when the engine must decide (data too deep, output over the limit, a value it
    /// cannot write).
    fn fast_render<'v>(
        &self,
        t: &Tokens,
        pieces: &[Piece],
        find: impl Fn(usize, &str) -> Found<'v>,
        with_map: bool,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<(String, OutputMap)> {
        let src = self.template.as_str();
        let mut out = String::with_capacity(src.len() + src.len() / 2);
        let mut map = OutputMap::default();
        let mut undefined = Vec::new();
        for piece in pieces {
            match *piece {
                Piece::Text(start, end) => {
                    if start < end {
                        if with_map {
                            map.push(out.len(), Origin::Literal(start));
                        }
                        out.push_str(&src[start..end]);
                    }
                }
                Piece::Token { name: (name_start, name_end), path, slot, span, check } => {
                    let name = &src[name_start..name_end];
                    let at = out.len();
                    match name.strip_prefix("env.") {
                        Some(var) => match t.env_map.get(var) {
                            Some(v) => write_str(&mut out, v, slot),
                            None => write_undefined(&mut out, slot),
                        },
                        None => match find(path, name) {
                            Found::Str(v) => write_str(&mut out, v, slot),
                            Found::Value(Value::String(v)) => write_str(&mut out, v, slot),
                            Found::Value(v) => {
                                let value = jinja::value_of(v).unwrap_or_default();
                                out.push_str(&jinja::format_value(&value, slot).ok()?);
                            }
                            Found::Missing => {
                                if let Some(empty) = check {
                                    undefined.push((name, span, empty));
                                }
                                write_undefined(&mut out, slot);
                            }
                        },
                    }
                    if with_map && out.len() > at {
                        map.push(at, Origin::Expr(span.0, span.1));
                    }
                }
            }
            if out.len() > self.limits.output {
                return None;
            }
        }
        diagnostics.extend(undefined.into_iter().map(|(name, span, empty)| undefined_token(src, name, span, empty)));
        Some((out, map))
    }
}

/// Writes a string value as the engine does for its slot.
fn write_str(out: &mut String, s: &str, slot: Slot) {
    match slot {
        Slot::Text => out.push_str(s),
        Slot::InString => json_safe::escape_str_into(out, s),
        Slot::Value => {
            out.push('"');
            json_safe::escape_str_into(out, s);
            out.push('"');
        }
    }
}

/// Writes an undefined value as the engine does for its slot: `null` as a JSON value, nothing
/// otherwise.
fn write_undefined(out: &mut String, slot: Slot) {
    if slot == Slot::Value {
        out.push_str("null");
    }
}

fn undefined_token(src: &str, name: &str, (start, end): (usize, usize), empty: &str) -> Diagnostic {
    Diagnostic::at(
        Severity::Warning,
        "undefined_value",
        format!("token {name:?} has no value in the data; it renders {empty}"),
        src,
        start,
        end,
    )
}

/// Whether every body `pieces` can render is valid JSON, whatever the values: each token sits in
/// a JSON slot (a string's content, always escaped, or a whole value, always serialized JSON),
/// and the literal text is valid JSON around them. Checked by rendering with several stand-ins
/// for each kind of slot.
fn valid_by_construction(src: &str, pieces: &[Piece]) -> bool {
    const STAND_INS: [(&str, &str); 4] = [("null", ""), ("0", "x"), ("\"\"", "\\n"), ("{}", "\\\"")];
    let mut text = String::with_capacity(src.len() + 8 * pieces.len());
    STAND_INS.iter().all(|&(value, in_string)| {
        text.clear();
        for piece in pieces {
            match *piece {
                Piece::Text(start, end) => text.push_str(&src[start..end]),
                Piece::Token { slot: Slot::Value, .. } => text.push_str(value),
                Piece::Token { slot: Slot::InString, .. } => text.push_str(in_string),
                Piece::Token { slot: Slot::Text, .. } => return false,
            }
        }
        json_safe::validate(&text).is_ok()
    })
}

/// Whether converting `v` at `depth` into a template value would go past the nesting limit.
fn nested_deeper(v: &Value, depth: usize) -> bool {
    if depth > jinja::MAX_DATA_DEPTH {
        return true;
    }
    match v {
        Value::Array(items) => items.iter().any(|i| nested_deeper(i, depth + 1)),
        Value::Object(map) => map.values().any(|i| nested_deeper(i, depth + 1)),
        _ => false,
    }
}

/// Names the engine resolves to something other than the context's value: literals, globals,
/// special variables.
const ENGINE_NAMES: [&str; 16] = [
    "true",
    "false",
    "none",
    "True",
    "False",
    "None",
    "range",
    "dict",
    "namespace",
    "debug",
    "loop",
    "self",
    "super",
    "caller",
    "varargs",
    "kwargs",
];

/// The pieces of a tokens template when it renders the same without the engine: only text,
/// comments and plain `{{name}}` tokens, no whitespace control, no name the engine treats
/// specially, and a step budget no token template of this size can exhaust.
fn fast_pieces(src: &str, parts: &[Part], slots: &[Slot], limits: &Limits) -> Option<Vec<Piece>> {
    let bytes = src.as_bytes();
    let marker = |at: usize| matches!(bytes.get(at), Some(b'-' | b'+'));
    let mut pieces = Vec::with_capacity(parts.len());
    let mut slot = slots.iter().copied();
    for part in parts {
        match *part {
            Part::Text { start, end } => pieces.push(Piece::Text(start, end)),
            Part::Comment { start, end } => {
                if marker(start + 2) || marker(end - 3) {
                    return None;
                }
            }
            Part::Expr { start, end, inner_start, inner_end } => {
                if marker(start + 2) || inner_end != end - 2 {
                    return None;
                }
                let slot = slot.next()?;
                let raw = &src[inner_start..inner_end];
                let name = raw.trim();
                let name_start = inner_start + (raw.len() - raw.trim_start().len());
                let mut segs = name.split('.');
                let first = segs.next()?;
                if ENGINE_NAMES.contains(&first) || (first == "env" && name.split('.').count() != 2) {
                    return None;
                }
                if segs.any(|s| s.starts_with(|c: char| c.is_ascii_digit())) {
                    return None;
                }
                pieces.push(Piece::Token {
                    name: (name_start, name_start + name.len()),
                    path: 0,
                    slot,
                    span: (start, end),
                    check: None,
                });
            }
            Part::Tag { .. } | Part::Raw { .. } => return None,
        }
    }
    let budget = 256 + 32 * (pieces.len() as u64 + src.matches('.').count() as u64);
    if limits.steps < budget {
        return None;
    }
    // The engine drops one trailing newline (`\n`, `\r\n` or `\r`) of the template.
    let mut end = src.len();
    if src[..end].ends_with('\n') {
        end -= 1;
    }
    if src[..end].ends_with('\r') {
        end -= 1;
    }
    if let Some(Piece::Text(_, e)) = pieces.last_mut()
        && *e > end
    {
        *e = end;
    }
    Some(pieces)
}

/// The context of the tokens and jinja dialects: `data`'s keys, then `extra` (which win).
fn context(data: &Value, extra: Vec<(String, minijinja::Value)>) -> Option<minijinja::Value> {
    let mut entries = Vec::new();
    if let Value::Object(map) = data {
        entries.reserve(map.len() + extra.len());
        for (k, v) in map {
            entries.push((k.clone(), jinja::value_of(v)?));
        }
    }
    entries.extend(extra);
    Some(jinja::object(entries))
}

fn too_deep(template: &str) -> Diagnostic {
    Diagnostic::at(Severity::Error, "limit_exceeded", "the data is nested too deeply", template, 0, 0)
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

/// What [`lookup`] finds at `path`.
fn found_in<'a>(data: &'a Value, path: &str) -> Found<'a> {
    lookup(data, path).map_or(Found::Missing, Found::Value)
}

/// Whether converting `data`'s values into template values would go past the nesting limit.
fn data_too_deep(data: &Value) -> bool {
    matches!(data, Value::Object(map) if map.values().any(|v| nested_deeper(v, 0)))
}

fn sender_label(sender: &Sender) -> &str {
    &sender.label
}

fn compile_tokens(req: &CompileRequest, json: bool, diagnostics: &mut Vec<Diagnostic>) -> Engine {
    let src = req.template;
    let parts = match jinja::scan(src) {
        Ok(parts) => parts,
        Err((at, message)) => {
            diagnostics.push(Diagnostic::at(Severity::Error, "syntax_error", message, src, at, src.len()));
            return Engine::Failed;
        }
    };
    let sender = req.sender.and_then(catalog::sender);
    if let Some(id) = req.sender
        && sender.is_none()
    {
        diagnostics.push(Diagnostic::at(
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
            diagnostics.push(Diagnostic::at(
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
    let mut lookups = Vec::new();
    for part in &parts {
        let (start, end, message) = match *part {
            Part::Tag { start, end } | Part::Raw { start, end, .. } => {
                (start, end, "the tokens dialect has only `{{token}}` placeholders; `{% … %}` tags are not evaluated")
            }
            Part::Expr { start, end, inner_start, inner_end } => {
                let name = src[inner_start..inner_end].trim();
                let empty = if slot.next() == Some(Slot::Value) { "null" } else { "empty" };
                if is_token_name(name) {
                    if check_token(req, (sender, event), name, (start, end), empty, diagnostics) {
                        lookups.push((name.to_string(), (start, end), empty));
                    }
                    continue;
                }
                (start, end, "a token is a name such as `{{alert_summary}}` or `{{env.NAME}}`, not an expression")
            }
            Part::Text { .. } | Part::Comment { .. } => continue,
        };
        syntax_ok = false;
        diagnostics.push(Diagnostic::at(Severity::Error, "syntax_error", message, src, start, end));
    }
    if !syntax_ok {
        return Engine::Failed;
    }
    let mut fast = fast_pieces(src, &parts, &slots, &req.limits);
    let mut paths: Vec<String> = Vec::new();
    for piece in fast.iter_mut().flatten() {
        if let Piece::Token { span, check, name, path, .. } = piece {
            *check = lookups.iter().find(|l| l.1 == *span).map(|l| l.2);
            let name = &src[name.0..name.1];
            if !name.starts_with("env.") {
                *path = paths.iter().position(|p| p == name).unwrap_or_else(|| {
                    paths.push(name.to_string());
                    paths.len() - 1
                });
            }
        }
    }
    let valid = json && fast.as_deref().is_some_and(|pieces| valid_by_construction(src, pieces));
    match jinja::compile(src, json, &req.limits) {
        Ok(compiled) => Engine::Tokens(Tokens {
            compiled,
            env: jinja::string_map(req.env),
            env_map: req.env.clone(),
            lookups,
            fast,
            paths,
            valid,
        }),
        Err(d) => {
            diagnostics.push(d);
            Engine::Failed
        }
    }
}

/// Checks one token against the environment and the catalog. Returns whether what is left
/// to check is whether the data has a value (`empty` is how a missing value renders:
/// `"empty"` or `"null"`).
fn check_token(
    req: &CompileRequest,
    (sender, event): (Option<&Sender>, Option<&str>),
    name: &str,
    (start, end): (usize, usize),
    empty: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> bool {
    let mut push = |severity, code, message: String| {
        diagnostics.push(Diagnostic::at(severity, code, message, req.template, start, end));
    };
    if let Some(var) = name.strip_prefix("env.") {
        if !req.env.contains_key(var) {
            push(
                Severity::Warning,
                "env_missing",
                format!("environment variable {var:?} is not set; {{{{{name}}}}} renders {empty}"),
            );
        }
        return false;
    }
    if let Some(sender) = sender {
        match sender.token_availability(name, event.unwrap_or_default()) {
            Availability::Available => {}
            Availability::Unknown { suggestion } => {
                let hint = suggestion.map(|s| format!("; did you mean {s:?}?")).unwrap_or_default();
                push(Severity::Error, "unknown_token", format!("unknown token {name:?}{hint}"));
                return false;
            }
            Availability::OtherEvents(events) => {
                if let Some(event) = event {
                    let offered = if events.is_empty() { "no event".to_string() } else { events.join(", ") };
                    push(
                        Severity::Error,
                        "token_not_available",
                        format!("token {name:?} is not available on {event}; it is offered on {offered}"),
                    );
                    return false;
                }
            }
        }
    }
    true
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

    /// Tokens templates rendered without the engine give what the engine gives: every tokens
    /// fixture and every tokens template of the catalog, with its data and with other data.
    #[test]
    fn tokens_shortcut_matches_the_engine() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/render_fixtures/tokens");
        /// (template, data, env, format, limits)
        type Case = (String, Value, BTreeMap<String, String>, Format, Limits);
        let mut cases: Vec<Case> = Vec::new();
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|x| x != "txt") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let (header, rest) = text.split_once('\n').unwrap();
            let header: Value = serde_json::from_str(header).unwrap();
            let (data, template) = rest.split_once("\n---\n").unwrap();
            let template = template.strip_suffix('\n').unwrap_or(template);
            let env = header
                .get("env")
                .and_then(Value::as_object)
                .map(|m| m.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string())).collect())
                .unwrap_or_default();
            let format = header.get("format").and_then(Value::as_str).map_or(Format::Auto, |f| f.parse().unwrap());
            let mut limits = Limits::default();
            if let Some(o) = header.pointer("/limits/output").and_then(Value::as_u64) {
                limits.output = o as usize;
            }
            if let Some(o) = header.pointer("/limits/steps").and_then(Value::as_u64) {
                limits.steps = o;
            }
            cases.push((template.to_string(), serde_json::from_str(data).unwrap(), env, format, limits));
        }
        for sender in catalog::senders().iter().filter(|s| s.dialect == Dialect::Tokens) {
            for event in &sender.events {
                cases.push((
                    event.template.clone(),
                    event.sample.clone(),
                    BTreeMap::new(),
                    Format::Auto,
                    Limits::default(),
                ));
            }
        }
        assert!(cases.len() > 10);
        let mut shortcuts = 0;
        let mut unchecked = 0;
        let mut planned = 0;
        let vars = BTreeMap::new();
        for (template, data, env, format, limits) in &cases {
            let req = CompileRequest {
                template,
                dialect: Dialect::Tokens,
                env,
                vars: &vars,
                format: *format,
                sender: None,
                event: None,
                limits: *limits,
            };
            let fast = compile(&req);
            if let Engine::Tokens(t) = &fast.engine
                && t.valid
            {
                unchecked += 1;
            }
            let mut slow = compile(&req);
            if let Engine::Tokens(t) = &mut slow.engine
                && t.fast.take().is_some()
            {
                shortcuts += 1;
            }
            let nasty = nasty(data);
            for d in [data, &nasty, &serde_json::json!({}), &serde_json::json!({"a": [1, 2.5, null, {"b": "\"\n"}]})] {
                assert_eq!(fast.render(d), slow.render(d), "{template}");
                // Only the values at the paths: the same again, strings given either way.
                let paths = fast.paths().unwrap_or_default();
                let found: Vec<Found> = paths.iter().map(|p| found_in(d, p)).collect();
                let strs: Vec<Found> = found
                    .iter()
                    .map(|f| match f {
                        Found::Value(Value::String(s)) => Found::Str(s),
                        other => *other,
                    })
                    .collect();
                if let Some(plan) = fast.plan()
                    && let Some(body) = assemble(&plan, &found)
                {
                    let expected = fast.render(d);
                    assert_eq!((Some(body), vec![]), (expected.output, expected.diagnostics), "{template}");
                    planned += 1;
                }
                if fast.paths().is_some() {
                    assert_eq!(fast.render_found(&found), fast.render(d), "{template}");
                    assert_eq!(fast.render_found(&strs), fast.render(d), "{template}");
                } else {
                    assert_eq!(fast.render_found(&[]), fast.render(&serde_json::json!({})), "{template}");
                }
                assert_eq!(
                    fast.output_map(d, "").runs_for_test(),
                    slow.output_map(d, "").runs_for_test(),
                    "{template}"
                );
            }
        }
        assert!(shortcuts > 5, "{shortcuts}");
        assert!(planned > 10, "{planned}");
        assert!(unchecked > 5, "{unchecked}");
    }

    /// A plan assembled as the npm package does, when every value is a string.
    fn assemble(plan: &Plan, found: &[Found]) -> Option<String> {
        let mut out = plan.texts[0].clone();
        for (hole, text) in plan.holes.iter().zip(&plan.texts[1..]) {
            let s = match found[hole.path] {
                Found::Str(s) => s,
                Found::Value(Value::String(s)) => s.as_str(),
                _ => return None,
            };
            // JSON.stringify's escaping.
            let json = serde_json::to_string(s).unwrap();
            match hole.quote {
                Quote::Content => out.push_str(&json[1..json.len() - 1]),
                Quote::String => out.push_str(&json),
                Quote::Raw => out.push_str(s),
            }
            out.push_str(text);
        }
        Some(out).filter(|o| o.len() <= plan.output_limit)
    }

    /// `data` with every string replaced by one full of characters JSON must escape, and every
    /// number by a float: what a JSON body skipping its output check must survive.
    fn nasty(data: &Value) -> Value {
        match data {
            Value::String(s) => Value::String(format!("\"{s}\\\n\u{1}\u{1f}\t</script>\u{2028}é😀'")),
            Value::Number(_) => serde_json::json!(-1.5e300),
            Value::Array(items) => Value::Array(items.iter().map(nasty).collect()),
            Value::Object(map) => Value::Object(map.iter().map(|(k, v)| (k.clone(), nasty(v))).collect()),
            other => other.clone(),
        }
    }

    #[test]
    fn go_literal_runs() {
        let src = "a {{- .X -}} b{{ \"}}\" }}c";
        let runs: Vec<&str> = go_literals(src).iter().map(|&(s, e)| &src[s..e]).collect();
        assert_eq!(runs, ["a", "b", "c"]);
    }
}
