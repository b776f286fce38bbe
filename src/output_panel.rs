//! Outputs, updated on every keystroke: the body, the final headers, the raw HTTP request, curl
//! and `fetch()`.

use hookwright::catalog::Dialect;
use leptos::prelude::*;

use crate::components::{ErrorBox, Output, copy_text};
use crate::derive::Derived;
use crate::state::Ui;

#[component]
pub fn OutputPanel(derived: Derived, ui: Ui) -> impl IntoView {
    let req = derived.request;
    let text = move |f: fn(&hookwright::request::Request) -> String| {
        Signal::derive(move || req.with(|r| r.as_ref().map(f).unwrap_or_default()))
    };
    let headers = text(|r| r.header_block());
    let raw = text(|r| r.raw_http());
    let curl = text(|r| r.curl());
    let fetch = text(|r| r.fetch());
    let body = derived.body;
    let pretty = Memo::new(move |_| {
        body.with(|b| {
            serde_json::from_str::<serde_json::Value>(b)
                .ok()
                .and_then(|v| serde_json::to_string_pretty(&v).ok())
                .unwrap_or_else(|| b.clone())
        })
    });
    let bytes = move || format!("{} bytes", body.with(String::len));
    let has_error = move || derived.rendered.with(|r| r.output.is_none() && !r.diagnostics.is_empty());
    view! {
        <div class="outputs" aria-live="polite">
            {move || req.get().err().map(|e| view! { <ErrorBox error=e /> })}
            {move || derived.unsigned_note.get().map(|n| view! { <p class="help subtle" data-testid="unsigned-note">{n}</p> })}
            <section class="output">
                <header>
                    <h3>"Body"</h3>
                    <small data-testid="body-bytes">{bytes}</small>
                    <label class="check small">
                        <input type="checkbox" data-testid="pretty-toggle" prop:checked=move || ui.pretty.get()
                            on:change=move |ev| ui.pretty.set(event_target_checked(&ev)) />
                        " pretty"
                    </label>
                    <button type="button" class="ghost" aria-label="Copy Body" on:click=move |_| copy_text(Some(ui), &body.get_untracked(), "body")>"Copy"</button>
                </header>
                {move || has_error().then(|| view! { <p class="error">"The template has errors: see the diagnostics."</p> })}
                <pre data-testid="output-body" class:hidden=move || ui.pretty.get() tabindex="0">{move || body.get()}</pre>
                <Show when=move || ui.pretty.get()>
                    <pre data-testid="output-body-pretty" tabindex="0">{move || pretty.get()}</pre>
                </Show>
                <ul class="warnings">{move || derived.body_notes.get().into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}</ul>
            </section>
            <Show when=move || derived.dialect.get() == Dialect::Dagu>
                <Output title="Expanded step command (what Dagu runs)" testid="output-command"
                    text=Signal::derive(move || derived.rendered.with(|r| r.output.clone().unwrap_or_default())) />
            </Show>
            <Output title="Headers" testid="output-headers" text=headers />
            <Output title="Raw HTTP request" testid="output-raw" text=raw />
            <Output title="curl" testid="output-curl" text=curl />
            <Output title="fetch()" testid="output-fetch" text=fetch />
        </div>
    }
}
