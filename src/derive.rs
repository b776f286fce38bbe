//! Everything shown is derived from the state with memos: the parsed event data, the rendered
//! template, the body, the request (through the core's `request` module).

use hookwright::catalog::Dialect;
use hookwright::request::{self, Auth, Request, RequestSpec, Signing};
use hookwright::template::{Limits, RenderRequest};
use hookwright::{Error, ErrorCode, Secret, SignInput, http};
use leptos::prelude::*;
use serde_json::Value;

use crate::render::{RenderResult, format_for, key_values, render};
use crate::state::{Design, SchemeState, Setup, now};

/// Derived values, shared by the panels.
#[derive(Clone, Copy)]
pub struct Derived {
    /// The event data, or the JSON error with its `line:column`.
    pub data: Memo<Result<Value, String>>,
    pub dialect: Memo<Dialect>,
    pub rendered: Memo<RenderResult>,
    /// The body exactly as sent.
    pub body: Memo<String>,
    /// Problems with the body itself (not valid JSON for a JSON content type).
    pub body_notes: Memo<Vec<String>>,
    pub request: Memo<Result<Request, Error>>,
    pub url_warnings: Memo<Vec<String>>,
    /// Why the request is not signed although a scheme is picked.
    pub unsigned_note: Memo<Option<&'static str>>,
}

fn parse_data(text: &str) -> Result<Value, String> {
    if text.trim().is_empty() {
        return Ok(Value::Object(Default::default()));
    }
    serde_json::from_str(text).map_err(|e| format!("{}:{}: {e}", e.line(), e.column()))
}

fn parse_timestamp(text: &str) -> Result<Option<u64>, Error> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    t.parse::<u64>()
        .map(Some)
        .map_err(|_| Error::new(ErrorCode::InvalidOptions, "timestamp: whole unix seconds, or empty for now"))
}

impl Derived {
    pub fn new(design: Design, setup: Setup, scheme: SchemeState) -> Self {
        let data = Memo::new(move |_| parse_data(&design.data.get()));
        let dialect = Memo::new(move |_| design.sender_entry().map_or(Dialect::Jinja, |s| s.dialect));
        let rendered = Memo::new(move |_| {
            let sender = design.sender_entry();
            let dialect = dialect.get();
            let Ok(mut value) = data.get() else { return RenderResult::default() };
            if sender.is_some_and(|s| s.tokens.iter().any(|t| t.name == "is_sample"))
                && let Value::Object(m) = &mut value
            {
                m.insert("is_sample".into(), Value::String(design.is_sample.get().to_string()));
            }
            if dialect == Dialect::Dagu {
                value = hookwright::template::dagu::webhook_payload(design.data.get().as_bytes());
            }
            let template = design.template.get();
            let env = key_values(&design.env.get());
            let vars = key_values(&design.vars.get());
            let event = design.event.get();
            let content_type = setup.content_type.get();
            let content_type = Some(content_type.trim()).filter(|c| !c.is_empty()).map(str::to_string).or_else(|| {
                sender.and_then(|s| {
                    s.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case("content-type")).map(|(_, v)| v.clone())
                })
            });
            render(
                &RenderRequest {
                    template: &template,
                    dialect,
                    data: &value,
                    env: &env,
                    vars: &vars,
                    format: format_for(content_type.as_deref()),
                    sender: sender.map(|s| s.id.as_str()),
                    event: Some(event.as_str()).filter(|e| !e.is_empty()),
                    limits: Limits::default(),
                },
                setup.max_alerts.get().trim().parse().unwrap_or(0),
            )
        });
        let body = Memo::new(move |_| {
            let grafana = design.sender.with(|s| s == "grafana");
            if dialect.get() == Dialect::Dagu || (!grafana && design.template.with(|t| t.trim().is_empty())) {
                // Dagu's template is a step command: the request body is the event data itself.
                return match data.get() {
                    Ok(_) if dialect.get() == Dialect::Dagu => design.data.get(),
                    Ok(v) => serde_json::to_string(&v).unwrap_or_default(),
                    Err(_) => String::new(),
                };
            }
            rendered.with(|r| r.output.clone().unwrap_or_default())
        });
        let request = Memo::new(move |_| -> Result<Request, Error> {
            let sender = design.sender_entry();
            let resolved = scheme.resolve()?;
            let secret = scheme.secret.get();
            let key = match &resolved {
                Some(s) if !secret.is_empty() => Some(s.key(&Secret::Text(&secret))?),
                _ => None,
            };
            let ts = parse_timestamp(&scheme.timestamp.get())?.unwrap_or_else(now);
            let id = scheme.id.get();
            let profile = scheme.profile.get();
            let signing = match (&resolved, &key) {
                (Some(s), Some(k)) => Some(Signing {
                    scheme: s,
                    key: k,
                    input: SignInput {
                        timestamp: Some(ts),
                        id: Some(id.trim()).filter(|s| !s.is_empty()),
                        profile: Some(profile.trim()).filter(|s| !s.is_empty()),
                    },
                }),
                _ => None,
            };
            let extra = setup.extra_headers.get();
            let extra = if extra.trim().is_empty() { Vec::new() } else { http::parse_header_block(&extra)? };
            let mode = setup.auth_mode.get();
            let (auth_scheme, credentials, user) =
                (setup.auth_scheme.get(), setup.credentials.get(), setup.basic_user.get());
            let auth = match mode.as_str() {
                "header" => Auth::Header { scheme: &auth_scheme, credentials: &credentials },
                "basic" => Auth::Basic { user: &user, password: &credentials },
                _ => Auth::None,
            };
            let mut sender_headers = sender.map(|s| s.headers.clone()).unwrap_or_default();
            if let Some(e) = sender.and_then(|s| s.event(&design.event.get())) {
                sender_headers.extend(e.headers.iter().cloned());
            }
            let content_type = setup.content_type.get();
            let body = body.get();
            let method = setup.method.get();
            let url = setup.url.get();
            request::build(&RequestSpec {
                method: &method,
                url: &url,
                sender_headers: &sender_headers,
                extra_headers: &extra,
                restricted: sender.map_or(&[][..], |s| &s.restricted_headers[..]),
                content_type: Some(content_type.as_str()),
                auth,
                body: &body,
                signing,
            })
        });
        let body_notes = Memo::new(move |_| {
            let mut notes = Vec::new();
            let json = request.with(|r| {
                r.as_ref().ok().and_then(|r| {
                    r.headers
                        .iter()
                        .find(|(n, _)| n.eq_ignore_ascii_case("content-type"))
                        .map(|(_, v)| v.contains("json"))
                })
            });
            if json == Some(true) {
                body.with(|b| {
                    if let Err(e) = serde_json::from_str::<serde_json::Value>(b) {
                        notes.push(format!("the body is not valid JSON at {}:{}: {e}", e.line(), e.column()));
                    }
                });
            }
            notes
        });
        let url_warnings = Memo::new(move |_| {
            let list = setup.allowlist.get();
            let domains: Vec<&str> = list.split([',', '\n', ' ']).filter(|d| !d.is_empty()).collect();
            request::url_warnings(&setup.url.get(), &domains)
        });
        let unsigned_note = Memo::new(move |_| {
            if scheme.scheme.with(|s| s.is_empty()) {
                None
            } else if scheme.secret.with(|s| s.is_empty()) {
                Some("No secret yet: the request is not signed.")
            } else {
                None
            }
        });
        Derived { data, dialect, rendered, body, body_notes, request, url_warnings, unsigned_note }
    }
}
