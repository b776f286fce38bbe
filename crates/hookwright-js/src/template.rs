//! The template module: rendering in four dialects and the senders' catalog. Requests and
//! results cross as JSON text (one string each way). A compiled render that succeeded without
//! diagnostics returns `=` followed by the body instead, so the body is not escaped into JSON
//! here and parsed back in JS.

use std::borrow::Cow;
use std::cell::Cell;
use std::collections::BTreeMap;
use std::sync::OnceLock;

use hookwright::template::{self, CompileRequest, Dialect, Format, Limits};
use hookwright::{catalog, grafana};
use serde_json::{Map, Value};
use wasm_bindgen::prelude::*;

fn strings(v: Option<&Value>, what: &str) -> Result<BTreeMap<String, String>, String> {
    let mut map = BTreeMap::new();
    match v {
        None | Some(Value::Null) => {}
        // `insert`, not `collect`: a `collect` into a `BTreeMap` brings its own sort.
        Some(Value::Object(m)) => {
            for (k, v) in m {
                let v = match v {
                    Value::String(s) => s.clone(),
                    Value::Number(_) | Value::Bool(_) => v.to_string(),
                    _ => return Err(format!("{what}.{k} must be a string")),
                };
                map.insert(k.clone(), v);
            }
        }
        Some(_) => return Err(format!("{what} must be an object of strings")),
    }
    Ok(map)
}

fn limit(req: &Value, key: &str) -> Option<u64> {
    req.get("limits").and_then(|l| l.get(key)).and_then(Value::as_u64)
}

/// A compiled template and the dialect it was compiled for.
fn compile_value(req: &Value) -> Result<(template::Compiled, Dialect), String> {
    let text = |k: &str| req.get(k).and_then(Value::as_str);
    let template = text("template").ok_or("template is required (a string)")?;
    let sender = text("sender");
    let dialect = match (text("dialect"), sender) {
        (Some(d), _) => d.parse::<Dialect>()?,
        (None, Some(s)) => catalog::sender(s).map(|s| s.dialect).ok_or_else(|| format!("unknown sender {s:?}"))?,
        (None, None) => Dialect::Jinja,
    };
    let format = text("format").map(str::parse::<Format>).transpose()?.unwrap_or_default();
    let env = strings(req.get("env"), "env")?;
    let vars = strings(req.get("vars"), "vars")?;
    let compiled = template::compile(&CompileRequest {
        template,
        dialect,
        env: &env,
        vars: &vars,
        format,
        sender,
        event: text("event"),
        limits: limits_of(req),
    });
    Ok((compiled, dialect))
}

fn render_value(req: &Value) -> Result<String, String> {
    let (compiled, dialect) = compile_value(req)?;
    let data = req.get("data").cloned().unwrap_or(Value::Object(Map::new()));
    Ok(result_json(&compiled.render(&data), dialect))
}

/// Appends `s` as a JSON string.
fn push_json_str(out: &mut String, s: &str) {
    out.push_str(&serde_json::to_string(s).unwrap_or_default());
}

/// `{ output, diagnostics, dialect }` as JSON.
fn result_json(result: &template::RenderResult, dialect: Dialect) -> String {
    let mut out = String::with_capacity(result.output.as_ref().map_or(0, String::len) + 64);
    out.push_str("{\"output\":");
    match &result.output {
        Some(o) => push_json_str(&mut out, o),
        None => out.push_str("null"),
    }
    out.push_str(",\"diagnostics\":");
    push_diagnostics(&mut out, &result.diagnostics);
    out.push_str(",\"dialect\":\"");
    out.push_str(dialect.as_str());
    out.push_str("\"}");
    out
}

/// `=` and the body when there is a body and nothing to report, else [`result_json`].
fn compact_result(result: &template::RenderResult, dialect: Dialect) -> String {
    match &result.output {
        Some(o) if result.diagnostics.is_empty() => {
            let mut out = String::with_capacity(o.len() + 1);
            out.push('=');
            out.push_str(o);
            out
        }
        _ => result_json(result, dialect),
    }
}

fn push_diagnostics(out: &mut String, list: &[template::Diagnostic]) {
    out.push('[');
    for (i, d) in list.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str("{\"severity\":\"");
        out.push_str(d.severity.as_str());
        out.push_str("\",\"code\":");
        push_json_str(out, d.code);
        out.push_str(",\"message\":");
        push_json_str(out, &d.message);
        for (key, n) in [("line", d.line as usize), ("column", d.column as usize), ("start", d.start), ("end", d.end)] {
            out.push_str(",\"");
            out.push_str(key);
            out.push_str("\":");
            out.push_str(&n.to_string());
        }
        out.push('}');
    }
    out.push(']');
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = Date, js_name = now)]
    fn date_now() -> f64;
}

/// How long one render may run (the core bounds steps, depth and output; time is the host's).
const TIME_BUDGET_MS: f64 = 1000.0;

thread_local! {
    static DEADLINE: Cell<f64> = const { Cell::new(f64::INFINITY) };
}

/// The interrupt check handed to the core: past this render's deadline?
fn past_deadline() -> bool {
    date_now() > DEADLINE.with(Cell::get)
}

/// Starts the clock of one render.
fn start_clock() {
    DEADLINE.with(|d| d.set(date_now() + TIME_BUDGET_MS));
}

fn limits_of(req: &Value) -> Limits {
    let defaults = Limits::default();
    Limits {
        steps: limit(req, "steps").unwrap_or(defaults.steps),
        depth: limit(req, "depth").map_or(defaults.depth, |d| d.min(1000) as u32),
        output: limit(req, "output").map_or(defaults.output, |o| o as usize),
        interrupt: Some(past_deadline),
    }
}

fn grafana_compile(req: &Value) -> Result<grafana::Compiled, String> {
    let text = |k: &str| req.get(k).and_then(Value::as_str).map(str::to_string);
    let cp = grafana::ContactPoint {
        title: text("title"),
        message: text("message"),
        max_alerts: req.get("maxAlerts").and_then(Value::as_u64).unwrap_or(0) as usize,
        custom_payload: text("customPayload"),
        vars: strings(req.get("vars"), "vars")?,
        org_id: req.get("orgId").and_then(Value::as_i64).unwrap_or(1),
    };
    Ok(grafana::compile(&cp, &limits_of(req)))
}

/// `{ body, sent, diagnostics }` as JSON, or `=` and the body when there is nothing to report.
fn grafana_result(rendered: grafana::Rendered) -> String {
    if rendered.diagnostics.is_empty() {
        // In place: the body has room to spare (see the default payload's capacity).
        let mut body = rendered.body;
        body.insert(0, '=');
        return body;
    }
    let mut out = String::with_capacity(rendered.body.len() + 64);
    out.push_str("{\"body\":");
    push_json_str(&mut out, &rendered.body);
    out.push_str(if rendered.sent() { ",\"sent\":true" } else { ",\"sent\":false" });
    out.push_str(",\"diagnostics\":");
    push_diagnostics(&mut out, &rendered.diagnostics);
    out.push('}');
    out
}

fn grafana_value(req: &Value) -> Result<String, String> {
    let group = req.get("group").ok_or("group is required (Grafana's alert group JSON)")?;
    Ok(grafana_result(grafana_compile(req)?.render(group)))
}

/// The JSON text of `{ error }`.
fn error_json(e: &str) -> String {
    let mut out = String::from("{\"error\":");
    push_json_str(&mut out, e);
    out.push('}');
    out
}

/// A template compiled once (`compile`): `render(dataJson)` per event.
#[wasm_bindgen]
pub struct CompiledTemplate {
    compiled: template::Compiled,
    dialect: Dialect,
}

#[wasm_bindgen]
impl CompiledTemplate {
    /// Compiles a request given as JSON (`render`'s request without `data`). Throws the
    /// `{ error }` JSON text when the request itself is malformed.
    #[wasm_bindgen(constructor)]
    pub fn new(request: &str) -> Result<CompiledTemplate, JsValue> {
        serde_json::from_str::<Value>(request)
            .map_err(|e| format!("request is not JSON: {e}"))
            .and_then(|req| compile_value(&req))
            .map(|(compiled, dialect)| CompiledTemplate { compiled, dialect })
            .map_err(|e| JsValue::from_str(&error_json(&e)))
    }

    /// The dialect the template was compiled for.
    #[wasm_bindgen(getter)]
    pub fn dialect(&self) -> String {
        self.dialect.as_str().to_string()
    }

    /// The data paths the template reads, joined by `,` (token names have no commas), when it
    /// reads nothing else of the data (see `Compiled::paths`); `undefined` otherwise.
    #[wasm_bindgen(getter)]
    pub fn paths(&self) -> Option<String> {
        self.compiled.paths().map(|p| p.join(","))
    }

    /// The template as `{ texts, holes, limit }` JSON (see `Compiled::plan`), `holes` flat as
    /// `[path, quote, …]` with quote 0 for JSON string content, 1 for a JSON string, 2 as is;
    /// `undefined` when the template has no plan.
    #[wasm_bindgen(getter)]
    pub fn plan(&self) -> Option<String> {
        let plan = self.compiled.plan()?;
        let holes: Vec<usize> = plan
            .holes
            .iter()
            .flat_map(|h| {
                let quote = match h.quote {
                    template::Quote::Content => 0,
                    template::Quote::String => 1,
                    template::Quote::Raw => 2,
                };
                [h.path, quote]
            })
            .collect();
        let mut out = String::from("{\"texts\":[");
        for (i, text) in plan.texts.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            push_json_str(&mut out, text);
        }
        out.push_str("],\"holes\":[");
        let holes: Vec<String> = holes.iter().map(usize::to_string).collect();
        out.push_str(&holes.join(","));
        out.push_str("],\"limit\":");
        out.push_str(&plan.output_limit.to_string());
        out.push('}');
        Some(out)
    }

    /// Renders with the values at [`CompiledTemplate::paths`], given as one JSON array in that
    /// order, where `[]` marks a missing value (arrays and objects are never sent this way: the
    /// caller sends the whole data instead). Returns what `render` returns, or `""` when the
    /// array is not JSON (a lone surrogate): the caller then sends the whole data, to report it.
    #[wasm_bindgen(js_name = renderFound)]
    pub fn render_found(&self, values: &str) -> String {
        start_clock();
        // Parsed as a Value (already in the module for data), not as a Vec of them.
        let Ok(Value::Array(values)) = serde_json::from_str::<Value>(values) else { return String::new() };
        let found: Vec<template::Found> = values
            .iter()
            .map(|v| match v {
                Value::Array(_) => template::Found::Missing,
                Value::String(s) => template::Found::Str(s),
                v => template::Found::Value(v),
            })
            .collect();
        compact_result(&self.compiled.render_found(&found), self.dialect)
    }

    /// Renders `data` given as JSON text; returns `{ output, diagnostics, dialect }` as JSON, or
    /// `=` and the output when there are no diagnostics.
    pub fn render(&self, data: &str) -> String {
        start_clock();
        match serde_json::from_str::<Value>(data) {
            Ok(data) => compact_result(&self.compiled.render(&data), self.dialect),
            Err(e) => error_json(&format!("data is not JSON: {e}")),
        }
    }
}

/// The strings and numbers of an alert group as `groupParts` in `template-core.js` writes them.
struct Parts<'a> {
    text: &'a str,
    /// Whether `text` is ASCII: then UTF-16 lengths are byte lengths.
    ascii: bool,
    nums: &'a [f64],
    at: usize,
    n: usize,
}

impl<'a> Parts<'a> {
    fn num(&mut self) -> Option<f64> {
        let v = *self.nums.get(self.n)?;
        self.n += 1;
        Some(v)
    }

    fn count(&mut self) -> Option<usize> {
        let v = self.num()?;
        (v >= 0.0 && v.fract() == 0.0 && v <= self.nums.len() as f64).then_some(v as usize)
    }

    /// The next string: as many UTF-16 units as the next number says.
    fn str(&mut self) -> Option<&'a str> {
        let units = self.num()?;
        if !(units >= 0.0 && units.fract() == 0.0) {
            return None;
        }
        let units = units as usize;
        let rest = self.text.get(self.at..)?;
        let len = if self.ascii {
            units
        } else {
            let mut seen = 0;
            let mut bytes = 0;
            for c in rest.chars() {
                if seen >= units {
                    break;
                }
                seen += c.len_utf16();
                bytes += c.len_utf8();
            }
            // A boundary inside a surrogate pair: two halves that were not one character.
            if seen != units {
                return None;
            }
            bytes
        };
        let s = rest.get(..len)?;
        self.at += len;
        Some(s)
    }

    fn string(&mut self) -> Option<Cow<'a, str>> {
        self.str().map(Cow::Borrowed)
    }

    fn kv(&mut self) -> Option<grafana::Labels<'a>> {
        let n = self.count()?;
        let mut pairs = Vec::with_capacity(n);
        for _ in 0..n {
            let k = self.string()?;
            pairs.push((k, self.string()?));
        }
        Some(pairs.into_iter().collect())
    }

    /// A timestamp: Go's zero time when empty.
    fn time(&mut self) -> Option<Cow<'a, str>> {
        let s = self.str()?;
        Some(Cow::Borrowed(if s.is_empty() { grafana::ZERO_TIME } else { s }))
    }

    fn alert(&mut self) -> Option<grafana::Alert<'a>> {
        let mut a = grafana::Alert::default();
        a.status = self.string()?;
        a.starts_at = self.time()?;
        a.ends_at = self.time()?;
        a.generator_url = self.string()?;
        a.fingerprint = self.string()?;
        a.silence_url = self.string()?;
        a.dashboard_url = self.string()?;
        a.panel_url = self.string()?;
        a.value_string = self.string()?;
        a.image_url = self.string()?;
        a.embedded_image = self.string()?;
        a.labels = self.kv()?;
        a.annotations = self.kv()?;
        let values = self.num()?;
        if values >= 0.0 {
            let mut map = BTreeMap::new();
            for _ in 0..values as usize {
                let k = self.string()?;
                // The number's JSON text, read as the JSON route reads it (`null` reads as 0).
                let text = self.str()?;
                let v = if text == "null" { 0.0 } else { serde_json::from_str::<f64>(text).ok()? };
                map.insert(k, v);
            }
            a.values = Some(map);
        }
        if self.num()? != 0.0 {
            a.org_id = Some(self.num()? as i64);
        }
        Some(a)
    }

    fn group(mut self) -> Option<grafana::Group<'a>> {
        let mut g = grafana::Group::default();
        g.receiver = self.string()?;
        g.status = self.string()?;
        g.external_url = self.string()?;
        g.group_key = self.string()?;
        g.group_labels = self.kv()?;
        g.common_labels = self.kv()?;
        g.common_annotations = self.kv()?;
        let alerts = self.count()?;
        g.alerts = (0..alerts).map(|_| self.alert()).collect::<Option<_>>()?;
        (self.at == self.text.len() && self.n == self.nums.len()).then_some(g)
    }
}

/// A Grafana contact point compiled once (`compileGrafana`): `render(groupJson)` per group.
#[wasm_bindgen]
pub struct CompiledGrafana {
    compiled: grafana::Compiled,
    /// Input buffers JS writes a group's parts into (see `render_buffers`).
    text: Vec<u8>,
    nums: Vec<f64>,
}

#[wasm_bindgen]
impl CompiledGrafana {
    /// Compiles the contact point of a `grafanaPayload` request given as JSON (without `group`).
    #[wasm_bindgen(constructor)]
    pub fn new(request: &str) -> Result<CompiledGrafana, JsValue> {
        serde_json::from_str::<Value>(request)
            .map_err(|e| format!("request is not JSON: {e}"))
            .and_then(|req| grafana_compile(&req))
            .map(|compiled| CompiledGrafana { compiled, text: Vec::new(), nums: Vec::new() })
            .map_err(|e| JsValue::from_str(&error_json(&e)))
    }

    /// Makes the text buffer at least `len` bytes and returns its address in wasm memory, valid
    /// until the next call on this object.
    #[wasm_bindgen(js_name = textBuffer)]
    pub fn text_buffer(&mut self, len: usize) -> u32 {
        if self.text.len() < len {
            self.text.resize(len, 0);
        }
        self.text.as_ptr() as u32
    }

    /// Makes the number buffer at least `len` numbers and returns its address (8-aligned).
    #[wasm_bindgen(js_name = numBuffer)]
    pub fn num_buffer(&mut self, len: usize) -> u32 {
        if self.nums.len() < len {
            self.nums.resize(len, 0.0);
        }
        self.nums.as_ptr() as u32
    }

    /// Renders an alert group written into the buffers as its parts: `text_len` bytes of UTF-8
    /// text and `nums_len` numbers (see `groupParts` in `template-core.js`). Returns what
    /// `render` returns, or `""` when the parts do not add up.
    #[wasm_bindgen(js_name = renderBuffers)]
    pub fn render_buffers(&self, text_len: usize, nums_len: usize) -> String {
        start_clock();
        let (Some(text), Some(nums)) = (self.text.get(..text_len), self.nums.get(..nums_len)) else {
            return String::new();
        };
        let Ok(text) = std::str::from_utf8(text) else { return String::new() };
        let parts = Parts { text, ascii: text.is_ascii(), nums, at: 0, n: 0 };
        match parts.group() {
            Some(group) => grafana_result(self.compiled.render_group(&group)),
            None => String::new(),
        }
    }

    /// Renders an alert group given as JSON text; returns `{ body, sent, diagnostics }` as JSON,
    /// or `=` and the body when there are no diagnostics.
    pub fn render(&self, group: &str) -> String {
        start_clock();
        match serde_json::from_str::<Value>(group) {
            Ok(group) => grafana_result(self.compiled.render(&group)),
            Err(e) => error_json(&format!("group is not JSON: {e}")),
        }
    }
}

/// The body a Grafana webhook contact point sends for an alert group, given as JSON
/// (`{ group, title?, message?, maxAlerts?, customPayload?, vars?, orgId?, limits? }`); returns
/// `{ body, sent, diagnostics }` as JSON (or `=` and the body when there are no diagnostics).
#[wasm_bindgen(js_name = grafanaPayload)]
pub fn grafana_payload(request: &str) -> String {
    start_clock();
    let result = serde_json::from_str::<Value>(request)
        .map_err(|e| format!("request is not JSON: {e}"))
        .and_then(|req| grafana_value(&req));
    result.unwrap_or_else(|e| error_json(&e))
}

/// Renders a request given as JSON (`{ template, dialect?, data?, env?, vars?, format?, sender?,
/// event?, limits? }`); returns `{ output, diagnostics, dialect }` as JSON, or `{ error }` when the
/// request itself is malformed.
#[wasm_bindgen]
pub fn render(request: &str) -> String {
    start_clock();
    let result = serde_json::from_str::<Value>(request)
        .map_err(|e| format!("request is not JSON: {e}"))
        .and_then(|req| render_value(&req));
    result.unwrap_or_else(|e| error_json(&e))
}

/// The module's memory, so JS can write inputs straight into the buffers of a compiled object.
#[wasm_bindgen(js_name = wasmMemory)]
pub fn wasm_memory() -> JsValue {
    wasm_bindgen::memory()
}

/// The senders' catalog as JSON (built once).
#[wasm_bindgen]
pub fn catalog() -> String {
    static JSON: OnceLock<String> = OnceLock::new();
    JSON.get_or_init(catalog::catalog_json).clone()
}
