//! Reusable widgets.

use hookwright::{Error, Kind};
use leptos::prelude::*;

use crate::state::{SchemeState, help};

/// A labelled text input bound to a signal.
#[component]
pub fn TextField(
    label: &'static str,
    value: RwSignal<String>,
    #[prop(optional)] placeholder: &'static str,
    #[prop(optional)] testid: &'static str,
) -> impl IntoView {
    view! {
        <label class="field">
            <span>{label}</span>
            <input
                type="text"
                spellcheck="false"
                placeholder=placeholder
                data-testid=testid
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
        </label>
    }
}

/// The secret: masked unless the user asks to see it. Never stored, never sent anywhere.
#[component]
pub fn SecretField(
    value: RwSignal<String>,
    #[prop(optional)] label: &'static str,
    #[prop(optional)] multiline: bool,
) -> impl IntoView {
    let shown = RwSignal::new(false);
    let label = if label.is_empty() { "Secret" } else { label };
    view! {
        <div class="field">
            <span>{label}</span>
            <div class="secret">
                {if multiline {
                    view! {
                        <textarea
                            class=move || if shown.get() { "" } else { "masked" }
                            rows="2"
                            spellcheck="false"
                            autocomplete="off"
                            data-testid="secrets-input"
                            placeholder="one secret per line (rotation)"
                            prop:value=move || value.get()
                            on:input=move |ev| value.set(event_target_value(&ev))
                        ></textarea>
                    }
                        .into_any()
                } else {
                    view! {
                        <input
                            type=move || if shown.get() { "text" } else { "password" }
                            spellcheck="false"
                            autocomplete="off"
                            data-testid="secret-input"
                            prop:value=move || value.get()
                            on:input=move |ev| value.set(event_target_value(&ev))
                        />
                    }
                        .into_any()
                }}
                <button type="button" class="ghost" aria-pressed=move || shown.get().to_string() on:click=move |_| shown.update(|s| *s = !*s)>
                    {move || if shown.get() { "Hide" } else { "Reveal" }}
                </button>
            </div>
        </div>
    }
}

/// Scheme picker, its help line and the options that apply to it.
#[component]
pub fn SchemePicker(state: SchemeState) -> impl IntoView {
    let kind = move || state.kind().unwrap_or(Kind::Github);
    view! {
        <label class="field">
            <span>"Scheme"</span>
            <select
                data-testid="scheme-select"
                prop:value=move || state.scheme.get()
                on:change=move |ev| state.scheme.set(event_target_value(&ev))
            >
                {Kind::ALL.iter().map(|k| view! { <option value=k.id()>{k.label()}</option> }).collect_view()}
            </select>
        </label>
        <p class="help" data-testid="scheme-help">{move || help(kind())}</p>
        <Show when=move || matches!(kind(), Kind::Grafana | Kind::Custom)>
            <div class="row">
                <TextField label="Signature header" value=state.header placeholder="X-Grafana-Alerting-Signature" />
                <TextField label="Timestamp header" value=state.timestamp_header placeholder="optional, e.g. X-Timestamp" />
            </div>
        </Show>
        <Show when=move || kind() == Kind::Custom>
            <div class="row">
                <TextField label="Value prefix" value=state.prefix placeholder="e.g. sha256=" />
                <TextField label="Message layout" value=state.message placeholder="{body}" />
            </div>
            <div class="row">
                <TextField label="Algorithm" value=state.algorithm placeholder="sha256 | sha512 | sha1" />
                <TextField label="Encoding" value=state.encoding placeholder="hex | base64" />
                <TextField label="Id header" value=state.id_header placeholder="optional" />
            </div>
        </Show>
        <Show when=move || kind() == Kind::Github>
            <label class="check">
                <input
                    type="checkbox"
                    prop:checked=move || state.algorithm.get() == "sha1"
                    on:change=move |ev| state.algorithm.set(if event_target_checked(&ev) { "sha1".into() } else { String::new() })
                />
                " Also send the legacy SHA-1 header"
            </label>
        </Show>
    }
}

/// An error with its stable code.
#[component]
pub fn ErrorBox(error: Error) -> impl IntoView {
    view! {
        <div class="error" role="alert" data-testid="error">
            <code>{error.code().as_str()}</code>
            " "
            {error.detail().to_string()}
        </div>
    }
}

/// A read-only output block with a copy button.
#[component]
pub fn Output(title: &'static str, testid: &'static str, text: Signal<String>) -> impl IntoView {
    let copied = RwSignal::new(false);
    let copy = move |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.navigator().clipboard().write_text(&text.get_untracked());
            copied.set(true);
        }
    };
    view! {
        <section class="output">
            <header>
                <h3>{title}</h3>
                <button type="button" class="ghost" on:click=copy>{move || if copied.get() { "Copied" } else { "Copy" }}</button>
            </header>
            <pre data-testid=testid>{move || text.get()}</pre>
        </section>
    }
}
