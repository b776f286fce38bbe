//! Verify: paste a received request, get the verdict.

use hookwright::{Error, ErrorCode, Policy, Secret, Verified, http};
use leptos::prelude::*;

use crate::components::{ErrorBox, SchemePicker, SecretField, TextField};
use crate::sign_panel::Signed;
use crate::state::{SchemeState, now};

fn verdict(
    state: SchemeState,
    secrets: &str,
    headers: &str,
    body: &str,
    tolerance: &str,
    at: &str,
) -> Result<Verified, Error> {
    let scheme = state.resolve()?;
    let list: Vec<Secret> = secrets.lines().map(str::trim).filter(|s| !s.is_empty()).map(Secret::Text).collect();
    let keys = scheme.keys(&list)?;
    let pairs = http::parse_header_block(headers)?;
    let pairs: Vec<(&str, &str)> = pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    let number = |s: &str, what: &'static str| -> Result<Option<u64>, Error> {
        let s = s.trim();
        if s.is_empty() {
            return Ok(None);
        }
        s.parse().map(Some).map_err(|_| Error::new(ErrorCode::InvalidOptions, what))
    };
    let tolerance = number(tolerance, "tolerance: whole seconds")?.unwrap_or(Policy::DEFAULT_TOLERANCE);
    let at = number(at, "verify at: unix seconds, or empty for now")?.unwrap_or_else(now);
    scheme.verify(&pairs, body.as_bytes(), &keys, Policy { now: at, tolerance })
}

#[component]
pub fn VerifyPanel(state: SchemeState) -> impl IntoView {
    let secrets = RwSignal::new(String::new());
    let headers = RwSignal::new(String::new());
    let body = RwSignal::new(String::new());
    let tolerance = RwSignal::new("300".to_string());
    let at = RwSignal::new(String::new());
    let signed = use_context::<Signed>();

    let result = Memo::new(move |_| {
        (!headers.get().trim().is_empty())
            .then(|| verdict(state, &secrets.get(), &headers.get(), &body.get(), &tolerance.get(), &at.get()))
    });
    let use_signed = move |_| {
        if let Some(s) = signed {
            if let Ok(h) = s.headers.get_untracked() {
                headers.set(h.iter().map(|(n, v)| format!("{n}: {v}")).collect::<Vec<_>>().join("\n"));
                body.set(s.body.get_untracked());
                secrets.set(state.secret.get_untracked());
            }
        }
    };

    view! {
        <div class="panel" data-testid="verify-panel">
            <div class="inputs">
                <SchemePicker state=state />
                <SecretField value=secrets label="Secrets" multiline=true />
                <label class="field">
                    <span>"Received headers (Name: value per line)"</span>
                    <textarea
                        rows="5"
                        spellcheck="false"
                        data-testid="verify-headers"
                        prop:value=move || headers.get()
                        on:input=move |ev| headers.set(event_target_value(&ev))
                    ></textarea>
                </label>
                <label class="field grow">
                    <span>"Raw body, exactly as received"</span>
                    <textarea
                        rows="8"
                        spellcheck="false"
                        data-testid="verify-body"
                        prop:value=move || body.get()
                        on:input=move |ev| body.set(event_target_value(&ev))
                    ></textarea>
                </label>
                <div class="row">
                    <TextField label="Tolerance (s)" value=tolerance />
                    <TextField label="Verify at" value=at placeholder="now (unix seconds)" testid="verify-at" />
                </div>
                <button type="button" on:click=use_signed data-testid="use-signed">"Use the request from Sign"</button>
            </div>
            <div class="outputs" data-testid="verify-result">
                {move || match result.get() {
                    None => view! { <p class="empty">"Paste the headers and the raw body of a request to check it."</p> }.into_any(),
                    Some(Ok(v)) => view! {
                        <div class="verdict ok" role="status">
                            <strong>"Valid"</strong>
                            <ul>
                                <li>{format!("scheme {}", v.scheme)}</li>
                                <li>{format!("secret #{} matched signature #{}", v.secret_index + 1, v.signature_index + 1)}</li>
                                {v.timestamp.map(|t| view! { <li>{format!("timestamp {t}, within tolerance")}</li> })}
                                {v.id.clone().map(|id| view! { <li>{format!("message id {id}")}</li> })}
                            </ul>
                        </div>
                    }.into_any(),
                    Some(Err(e)) => view! { <div class="verdict bad"><strong>"Rejected"</strong><ErrorBox error=e /></div> }.into_any(),
                }}
            </div>
        </div>
    }
}
