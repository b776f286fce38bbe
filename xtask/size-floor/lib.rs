//! Renders a jinja template with JSON data: the least the template module's `jinja` dialect does,
//! and nothing else (no Go engine, no catalog, no diagnostics, no JSON-safe output).

use minijinja::Value;
use wasm_bindgen::prelude::*;

fn value(v: serde_json::Value) -> Value {
    match v {
        serde_json::Value::Null => Value::from(()),
        serde_json::Value::Bool(b) => Value::from(b),
        serde_json::Value::Number(n) => n.as_i64().map_or_else(|| Value::from(n.as_f64().unwrap_or(0.0)), Value::from),
        serde_json::Value::String(s) => Value::from(s),
        serde_json::Value::Array(a) => Value::from(a.into_iter().map(value).collect::<Vec<_>>()),
        serde_json::Value::Object(m) => Value::from_iter(m.into_iter().map(|(k, v)| (k, value(v)))),
    }
}

/// `template` rendered with `data` (a JSON object), or the error with its line and span.
#[wasm_bindgen]
pub fn render(template: &str, data: &str) -> String {
    let data = match serde_json::from_str(data) {
        Ok(d) => value(d),
        Err(e) => return format!("data: {e}"),
    };
    let mut env = minijinja::Environment::new();
    env.set_fuel(Some(1_000_000));
    match env.render_str(template, data) {
        Ok(s) => s,
        Err(e) => format!("{e} (line {:?}, {:?})", e.line(), e.range()),
    }
}
