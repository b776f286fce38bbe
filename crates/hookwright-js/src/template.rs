//! The template module: rendering in four dialects and the senders' catalog. Requests and
//! results cross as JSON text (one string each way), parsed and written by serde_json.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use hookwright::catalog;
use hookwright::template::{self, Dialect, Format, Limits, RenderRequest};
use serde_json::{Map, Value, json};
use wasm_bindgen::prelude::*;

fn strings(v: Option<&Value>, what: &str) -> Result<BTreeMap<String, String>, String> {
    match v {
        None | Some(Value::Null) => Ok(BTreeMap::new()),
        Some(Value::Object(m)) => m
            .iter()
            .map(|(k, v)| match v {
                Value::String(s) => Ok((k.clone(), s.clone())),
                Value::Number(_) | Value::Bool(_) => Ok((k.clone(), v.to_string())),
                _ => Err(format!("{what}.{k} must be a string")),
            })
            .collect(),
        Some(_) => Err(format!("{what} must be an object of strings")),
    }
}

fn limit(req: &Value, key: &str) -> Option<u64> {
    req.get("limits").and_then(|l| l.get(key)).and_then(Value::as_u64)
}

fn render_value(req: &Value) -> Result<Value, String> {
    let text = |k: &str| req.get(k).and_then(Value::as_str);
    let template = text("template").ok_or("template is required (a string)")?;
    let sender = text("sender");
    let dialect = match (text("dialect"), sender) {
        (Some(d), _) => d.parse::<Dialect>()?,
        (None, Some(s)) => catalog::sender(s).map(|s| s.dialect).ok_or_else(|| format!("unknown sender {s:?}"))?,
        (None, None) => Dialect::Jinja,
    };
    let format = text("format").map(str::parse::<Format>).transpose()?.unwrap_or_default();
    let data = req.get("data").cloned().unwrap_or(Value::Object(Map::new()));
    let env = strings(req.get("env"), "env")?;
    let vars = strings(req.get("vars"), "vars")?;
    let defaults = Limits::default();
    let limits = Limits {
        steps: limit(req, "steps").unwrap_or(defaults.steps),
        depth: limit(req, "depth").map_or(defaults.depth, |d| d.min(1000) as u32),
        output: limit(req, "output").map_or(defaults.output, |o| o as usize),
    };
    let result = template::render(&RenderRequest {
        template,
        dialect,
        data: &data,
        env: &env,
        vars: &vars,
        format,
        sender,
        event: text("event"),
        limits,
    });
    let diagnostics: Vec<Value> = result
        .diagnostics
        .iter()
        .map(|d| {
            json!({
                "severity": d.severity.as_str(), "code": d.code, "message": d.message,
                "line": d.line, "column": d.column, "start": d.start, "end": d.end,
            })
        })
        .collect();
    Ok(json!({ "output": result.output, "diagnostics": diagnostics, "dialect": dialect.as_str() }))
}

/// Renders a request given as JSON (`{ template, dialect?, data?, env?, vars?, format?, sender?,
/// event?, limits? }`); returns `{ output, diagnostics, dialect }` as JSON, or `{ error }` when the
/// request itself is malformed.
#[wasm_bindgen]
pub fn render(request: &str) -> String {
    let result = serde_json::from_str::<Value>(request)
        .map_err(|e| format!("request is not JSON: {e}"))
        .and_then(|req| render_value(&req));
    match result {
        Ok(v) => v.to_string(),
        Err(e) => json!({ "error": e }).to_string(),
    }
}

/// The senders' catalog as JSON (built once).
#[wasm_bindgen]
pub fn catalog() -> String {
    static JSON: OnceLock<String> = OnceLock::new();
    JSON.get_or_init(catalog::catalog_json).clone()
}
