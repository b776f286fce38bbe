//! The one place the playground renders a template: the core's `template::render` for every
//! dialect, and `grafana::render_payload` for Grafana (Max Alerts, `.Vars`, the default payload
//! when the template is empty). Token checks against the catalog happen in the core.

use std::cell::Cell;
use std::collections::BTreeMap;

use hookwright::grafana::{ContactPoint, render_payload};
use hookwright::template::{self, Format, Limits, RenderRequest, Severity};

pub use hookwright::template::RenderResult;

/// How long one render may run before it stops with `limit_exceeded`: short enough that a
/// runaway template from a share link cannot freeze the page.
const TIME_BUDGET_MS: f64 = 250.0;

thread_local! {
    static DEADLINE: Cell<f64> = const { Cell::new(f64::INFINITY) };
}

/// The interrupt check handed to the core (which reads no clock).
fn past_deadline() -> bool {
    js_sys::Date::now() > DEADLINE.with(Cell::get)
}

/// Renders the core's request; a Grafana template goes through Grafana's contact point (the
/// default payload when the template is empty, Max Alerts, `.Vars`).
pub fn render(req: &RenderRequest, max_alerts: usize) -> RenderResult {
    DEADLINE.with(|d| d.set(js_sys::Date::now() + TIME_BUDGET_MS));
    let req = &RenderRequest { limits: Limits { interrupt: Some(past_deadline), ..req.limits }, ..*req };
    let mut result = if req.sender == Some("grafana") {
        let cp = ContactPoint {
            custom_payload: Some(req.template.to_string()).filter(|t| !t.trim().is_empty()),
            vars: req.vars.clone(),
            max_alerts,
            ..ContactPoint::default()
        };
        let sent = render_payload(req.data, &cp, &req.limits);
        RenderResult { output: sent.sent().then_some(sent.body), diagnostics: sent.diagnostics }
    } else {
        template::render(req)
    };
    result.diagnostics.sort_by_key(|d| (d.start, d.severity != Severity::Error));
    result
}

/// The body format for a content type: JSON for `…json`, text for anything else given, else
/// guessed from the template.
pub fn format_for(content_type: Option<&str>) -> Format {
    match content_type {
        Some(ct) if ct.to_ascii_lowercase().contains("json") => Format::Json,
        Some(ct) if !ct.trim().is_empty() => Format::Text,
        _ => Format::Auto,
    }
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
