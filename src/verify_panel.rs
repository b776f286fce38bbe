//! Verify: paste a received request, get the verdict step by step; on a mismatch, the signature
//! each given secret would produce is shown beside the received one.

use hookwright::request::Request;
use hookwright::{Error, ErrorCode, Expected, Policy, Scheme, Secret, Verified, http};
use leptos::prelude::*;

use crate::components::{ErrorBox, SchemePicker, SecretField, TextArea, TextField};
use crate::state::{SchemeState, now};

/// One step of the check: what was looked at, and whether it passed.
#[derive(Clone, PartialEq)]
struct Step {
    ok: bool,
    text: String,
}

#[derive(Clone, PartialEq)]
struct Report {
    steps: Vec<Step>,
    verdict: Result<Verified, Error>,
    expected: Vec<Expected>,
}

fn number(s: &str, what: &'static str) -> Result<Option<u64>, Error> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    s.parse().map(Some).map_err(|_| Error::new(ErrorCode::InvalidOptions, what))
}

fn check(state: SchemeState, secrets: &str, headers: &str, body: &str, tolerance: &str, at: &str) -> Report {
    let mut steps = Vec::new();
    let mut expected = Vec::new();
    let verdict = (|| -> Result<Verified, Error> {
        let scheme: Scheme = state
            .resolve()?
            .ok_or_else(|| Error::new(ErrorCode::InvalidOptions, "pick the scheme the sender signs with"))?;
        let pairs = http::parse_header_block(headers)?;
        steps.push(Step { ok: true, text: format!("{} header(s) read", pairs.len()) });
        let pairs: Vec<(&str, &str)> = pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        let list: Vec<Secret> = secrets.lines().map(str::trim).filter(|s| !s.is_empty()).map(Secret::Text).collect();
        let keys = scheme.keys(&list)?;
        if keys.is_empty() {
            return Err(Error::new(ErrorCode::InvalidSecret, "no secret given"));
        }
        let tolerance = number(tolerance, "tolerance: whole seconds")?.unwrap_or(Policy::DEFAULT_TOLERANCE);
        let at = number(at, "verify at: unix seconds, or empty for now")?.unwrap_or_else(now);
        let values = scheme.lookup(&pairs)?;
        let names = scheme.header_names();
        for (name, value) in names.iter().zip(values.iter()) {
            if let (false, Some(_)) = (name.is_empty(), value) {
                steps.push(Step { ok: true, text: format!("header {name} found") });
            }
        }
        let prepared = scheme.prepare(&values, Policy { now: at, tolerance })?;
        if let Some(ts) = prepared.timestamp {
            let delta = at.abs_diff(ts);
            steps.push(Step { ok: true, text: format!("timestamp {ts}, {delta} s from now, within {tolerance} s") });
        }
        if let Some(id) = &prepared.id {
            steps.push(Step { ok: true, text: format!("message id {id}") });
        }
        let result = prepared.check(body.as_bytes(), &keys);
        if result.is_err() {
            expected = keys.iter().filter_map(|k| scheme.expected_signature(&pairs, body.as_bytes(), k).ok()).collect();
        }
        result
    })();
    match &verdict {
        Ok(v) => steps.push(Step {
            ok: true,
            text: format!("secret #{} matched signature #{}", v.secret_index + 1, v.signature_index + 1),
        }),
        Err(e) => steps.push(Step { ok: false, text: format!("{}: {}", e.code().as_str(), e.detail()) }),
    }
    Report { steps, verdict, expected }
}

/// What the designer produced, for "Use the request from the designer".
#[derive(Clone, Copy)]
pub struct Designed {
    pub request: Memo<Result<Request, Error>>,
    pub scheme: SchemeState,
}

#[component]
pub fn VerifyPanel(state: SchemeState) -> impl IntoView {
    let secrets = RwSignal::new(String::new());
    let headers = RwSignal::new(String::new());
    let body = RwSignal::new(String::new());
    let tolerance = RwSignal::new("300".to_string());
    let at = RwSignal::new(String::new());
    let designed = use_context::<Designed>();

    let report = Memo::new(move |_| {
        (!headers.get().trim().is_empty())
            .then(|| check(state, &secrets.get(), &headers.get(), &body.get(), &tolerance.get(), &at.get()))
    });
    let use_designed = move |_| {
        if let Some(d) = designed
            && let Ok(r) = d.request.get_untracked()
        {
            state.scheme.set(d.scheme.scheme.get_untracked());
            for (to, from) in [
                (state.header, d.scheme.header),
                (state.timestamp_header, d.scheme.timestamp_header),
                (state.id_header, d.scheme.id_header),
                (state.algorithm, d.scheme.algorithm),
                (state.encoding, d.scheme.encoding),
                (state.prefix, d.scheme.prefix),
                (state.message, d.scheme.message),
            ] {
                to.set(from.get_untracked());
            }
            headers.set(r.header_block());
            body.set(r.body.clone());
            secrets.set(d.scheme.secret.get_untracked());
        }
    };

    view! {
        <div class="panel" data-testid="verify-panel">
            <div class="inputs card">
                <SchemePicker state=state />
                <SecretField value=secrets label="Secrets" multiline=true />
                <TextArea label="Received headers (Name: value per line)" value=headers rows=5 testid="verify-headers" />
                <TextArea label="Raw body, exactly as received" value=body rows=8 testid="verify-body" />
                <div class="row">
                    <TextField label="Tolerance (s)" value=tolerance />
                    <TextField label="Verify at" value=at placeholder="now (unix seconds)" testid="verify-at" />
                </div>
                <button type="button" on:click=use_designed data-testid="use-signed">"Use the request from the designer"</button>
            </div>
            <div class="outputs" data-testid="verify-result" aria-live="polite">
                {move || match report.get() {
                    None => view! { <p class="empty">"Paste the headers and the raw body of a request to check it."</p> }.into_any(),
                    Some(r) => {
                        let head = match r.verdict.clone() {
                            Ok(_) => view! { <strong class="verdict-word">"Valid"</strong> }.into_any(),
                            Err(e) => view! { <strong class="verdict-word">"Rejected"</strong><ErrorBox error=e /> }.into_any(),
                        };
                        let class = if r.verdict.is_ok() { "verdict ok" } else { "verdict bad" };
                        view! {
                            <div class=class role="status">
                                {head}
                                <ol class="steps" data-testid="verify-steps">
                                    {r.steps.into_iter().map(|s| view! {
                                        <li class=if s.ok { "pass" } else { "fail" }>
                                            <span aria-hidden="true">{if s.ok { "✓ " } else { "✗ " }}</span>{s.text}
                                        </li>
                                    }).collect_view()}
                                </ol>
                                {(!r.expected.is_empty()).then(|| view! {
                                    <table class="compare" data-testid="signature-compare">
                                        <caption>"What each secret would sign (debugging aid; never send it back)"</caption>
                                        <tr><th>"header"</th><th>"received"</th></tr>
                                        {r.expected.iter().take(1).map(|e| view! {
                                            <tr><td>{e.header.clone()}</td><td><code>{e.received.clone()}</code></td></tr>
                                        }).collect_view()}
                                        {r.expected.iter().enumerate().map(|(i, e)| view! {
                                            <tr><td>{format!("secret #{} would send", i + 1)}</td><td><code data-testid="expected-signature">{e.expected.clone()}</code></td></tr>
                                        }).collect_view()}
                                    </table>
                                })}
                            </div>
                        }.into_any()
                    }
                }}
            </div>
        </div>
    }
}
