//! Request setup (method, URL, auth, extra headers, content type, Max Alerts) and signing
//! (scheme, secret, timestamp, message id).

use hookwright::Kind;
use leptos::prelude::*;

use crate::components::{SchemePicker, SecretField, TextArea, TextField};
use crate::derive::Derived;
use crate::state::{Design, SchemeState, Setup, now};

#[component]
pub fn RequestPanel(design: Design, setup: Setup, scheme: SchemeState, derived: Derived) -> impl IntoView {
    let sender = move || design.sender_entry();
    let restricted =
        move || sender().map(|s| s.restricted_headers.iter().map(|h| h.name.clone()).collect::<Vec<_>>().join(", "));
    let refused = move || derived.request.with(|r| r.as_ref().map(|r| r.refused.clone()).unwrap_or_default());
    let kind = move || scheme.kind();
    let uses_ts = move || scheme.resolve().ok().flatten().is_some_and(|s| s.uses_timestamp());
    let uses_id = move || scheme.resolve().ok().flatten().is_some_and(|s| s.uses_id());
    let ct_placeholder = move || {
        sender()
            .and_then(|s| {
                s.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case("content-type")).map(|(_, v)| v.clone())
            })
            .unwrap_or_else(|| "application/json".into())
    };

    view! {
        <section class="card" aria-labelledby="request-h">
            <h2 id="request-h">"Request"</h2>
            <div class="row">
                <label class="field narrow">
                    <span>"Method"</span>
                    <select data-testid="method-select" prop:value=move || setup.method.get()
                        on:change=move |ev| setup.method.set(event_target_value(&ev))>
                        {["POST", "PUT", "PATCH", "GET", "DELETE"].map(|m| view! { <option value=m>{m}</option> }).collect_view()}
                    </select>
                </label>
                <TextField label="URL" value=setup.url testid="url-input" />
            </div>
            <ul class="warnings" data-testid="url-warnings">
                {move || derived.url_warnings.get().into_iter().map(|w| view! { <li>{w}</li> }).collect_view()}
            </ul>
            <TextField label="Domain allowlist (comma-separated; warns outside it)" value=setup.allowlist testid="allowlist-input" />
            <div class="row">
                <label class="field narrow">
                    <span>"Auth"</span>
                    <select data-testid="auth-select" prop:value=move || setup.auth_mode.get()
                        on:change=move |ev| setup.auth_mode.set(event_target_value(&ev))>
                        <option value="none">"None"</option>
                        <option value="header">"Authorization header"</option>
                        <option value="basic">"Basic"</option>
                    </select>
                </label>
                <Show when=move || setup.auth_mode.get() == "header">
                    <TextField label="Scheme" value=setup.auth_scheme placeholder="Bearer" testid="auth-scheme-input" />
                </Show>
                <Show when=move || setup.auth_mode.get() == "basic">
                    <TextField label="User" value=setup.basic_user testid="basic-user-input" />
                </Show>
                <Show when=move || setup.auth_mode.get() != "none">
                    <SecretField value=setup.credentials label="Credentials" testid="credentials-input" />
                </Show>
            </div>
            <TextArea label="Extra headers (Name: value per line)" value=setup.extra_headers rows=3 testid="extra-headers-input" placeholder="X-Team: ops" />
            {move || restricted().filter(|r| !r.is_empty()).map(|r| view! { <p class="help subtle">{format!("This sender refuses: {r}.")}</p> })}
            <ul class="warnings" data-testid="refused-headers">
                {move || refused().into_iter().map(|r| view! { <li>{format!("{} is not sent: {}", r.name, r.reason)}</li> }).collect_view()}
            </ul>
            <div class="row">
                <label class="field">
                    <span>"Content-Type override"</span>
                    <input type="text" data-testid="content-type-input" placeholder=ct_placeholder
                        prop:value=move || setup.content_type.get()
                        on:input=move |ev| setup.content_type.set(event_target_value(&ev)) />
                </label>
                <Show when=move || design.sender.get() == "grafana">
                    <TextField label="Max Alerts (0 = no limit)" value=setup.max_alerts placeholder="0" testid="max-alerts-input" />
                </Show>
            </div>
        </section>

        <section class="card" aria-labelledby="signing-h">
            <h2 id="signing-h">"Signing"</h2>
            <SchemePicker state=scheme unsigned=true />
            <Show when=move || kind().is_some()>
                <SecretField value=scheme.secret />
                <div class="row">
                    <Show when=uses_ts>
                        <label class="field">
                            <span>"Timestamp"</span>
                            <div class="secret">
                                <input type="text" data-testid="timestamp-input" placeholder="now (unix seconds)"
                                    prop:value=move || scheme.timestamp.get()
                                    on:input=move |ev| scheme.timestamp.set(event_target_value(&ev)) />
                                <button type="button" class="ghost" title="Fix the timestamp at the current time"
                                    on:click=move |_| scheme.timestamp.set(now().to_string())>"Fix now"</button>
                            </div>
                        </label>
                    </Show>
                    <Show when=uses_id>
                        <TextField label="Message id" value=scheme.id testid="id-input" />
                    </Show>
                    <Show when=move || kind() == Some(Kind::Dagu)>
                        <TextField label="Profile (X-Dagu-Profile)" value=scheme.profile placeholder="optional" />
                    </Show>
                </div>
            </Show>
        </section>
    }
}
