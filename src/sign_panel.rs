//! Sign: the headers a sender adds to a body, and the curl command that sends it.

use hookwright::{Error, ErrorCode, Kind, Secret, SignInput, http};
use leptos::prelude::*;

use crate::components::{ErrorBox, Output, SchemePicker, SecretField, TextField};
use crate::state::{SchemeState, now};

/// What the sign panel produced, for the verify panel's "use the signed request".
#[derive(Clone, Copy)]
pub struct Signed {
    pub headers: Memo<Result<Vec<(String, String)>, Error>>,
    pub body: RwSignal<String>,
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

#[component]
pub fn SignPanel(state: SchemeState, body: RwSignal<String>) -> impl IntoView {
    let timestamp = RwSignal::new(String::new());
    let id = RwSignal::new("msg_hookwright_1".to_string());
    let profile = RwSignal::new(String::new());
    let url = RwSignal::new("https://example.com/webhook".to_string());

    let headers = Memo::new(move |_| -> Result<Vec<(String, String)>, Error> {
        let scheme = state.resolve()?;
        let secret = state.secret.get();
        let key = scheme.key(&Secret::Text(&secret))?;
        let ts = parse_timestamp(&timestamp.get())?.unwrap_or_else(now);
        let id = id.get();
        let profile = profile.get();
        scheme.sign(
            &key,
            body.get().as_bytes(),
            SignInput {
                timestamp: Some(ts),
                id: Some(id.trim()).filter(|s| !s.is_empty()),
                profile: Some(profile.trim()).filter(|s| !s.is_empty()),
            },
        )
    });
    provide_context(Signed { headers, body });

    let header_text = Signal::derive(move || match headers.get() {
        Ok(h) => h.iter().map(|(n, v)| format!("{n}: {v}")).collect::<Vec<_>>().join("\n"),
        Err(_) => String::new(),
    });
    let curl_text = Signal::derive(move || match headers.get() {
        Ok(mut h) => {
            h.insert(0, ("Content-Type".into(), "application/json".into()));
            http::curl("POST", &url.get(), &h, &body.get())
        }
        Err(_) => String::new(),
    });
    let kind = move || state.kind().unwrap_or(Kind::Github);
    let uses_ts = move || state.resolve().map(|s| s.uses_timestamp()).unwrap_or(false);
    let uses_id = move || state.resolve().map(|s| s.uses_id()).unwrap_or(false);

    view! {
        <div class="panel" data-testid="sign-panel">
            <div class="inputs">
                <SchemePicker state=state />
                <SecretField value=state.secret />
                <div class="row">
                    <Show when=uses_ts>
                        <TextField label="Timestamp" value=timestamp placeholder="now (unix seconds)" testid="timestamp-input" />
                    </Show>
                    <Show when=uses_id>
                        <TextField label="Message id" value=id testid="id-input" />
                    </Show>
                    <Show when=move || kind() == Kind::Dagu>
                        <TextField label="Profile (X-Dagu-Profile)" value=profile placeholder="optional" />
                    </Show>
                </div>
                <TextField label="URL (for curl)" value=url />
                <label class="field grow">
                    <span>"Body, exactly as sent"</span>
                    <textarea
                        rows="10"
                        spellcheck="false"
                        data-testid="body-input"
                        prop:value=move || body.get()
                        on:input=move |ev| body.set(event_target_value(&ev))
                    ></textarea>
                    <small>{move || format!("{} bytes", body.get().len())}</small>
                </label>
            </div>
            <div class="outputs">
                {move || headers.get().err().map(|e| view! { <ErrorBox error=e /> })}
                <Output title="Signature headers" testid="output-headers" text=header_text />
                <Output title="curl" testid="output-curl" text=curl_text />
            </div>
        </div>
    }
}
