//! Reusable widgets.

pub mod editor;

use hookwright::{Error, Kind};
use leptos::prelude::*;

use crate::state::{SchemeState, Ui, help};

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

/// A labelled textarea bound to a signal.
#[component]
pub fn TextArea(
    label: &'static str,
    value: RwSignal<String>,
    #[prop(optional)] placeholder: &'static str,
    #[prop(optional)] testid: &'static str,
    #[prop(default = 4)] rows: u32,
) -> impl IntoView {
    view! {
        <label class="field">
            <span>{label}</span>
            <textarea
                rows=rows.to_string()
                spellcheck="false"
                autocomplete="off"
                placeholder=placeholder
                data-testid=testid
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            ></textarea>
        </label>
    }
}

/// A secret: masked unless the user asks to see it. Saved only when "remember secrets" is ticked,
/// never put in a share link, never sent anywhere.
#[component]
pub fn SecretField(
    value: RwSignal<String>,
    #[prop(optional)] label: &'static str,
    #[prop(optional)] multiline: bool,
    #[prop(optional)] testid: &'static str,
) -> impl IntoView {
    let shown = RwSignal::new(false);
    let label = if label.is_empty() { "Secret" } else { label };
    let testid = if testid.is_empty() { if multiline { "secrets-input" } else { "secret-input" } } else { testid };
    view! {
        <label class="field">
            <span>{label}</span>
            <div class="secret">
                {if multiline {
                    view! {
                        <textarea
                            class=move || if shown.get() { "" } else { "masked" }
                            rows="2"
                            spellcheck="false"
                            autocomplete="off"
                            data-testid=testid
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
                            data-testid=testid
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
        </label>
    }
}

/// Scheme picker (with "not signed" when `unsigned` is offered), its help line and the options
/// that apply to it.
#[component]
pub fn SchemePicker(state: SchemeState, #[prop(optional)] unsigned: bool) -> impl IntoView {
    let kind = move || state.kind();
    view! {
        <label class="field">
            <span>"Signing scheme"</span>
            <select
                data-testid="scheme-select"
                prop:value=move || state.scheme.get()
                on:change=move |ev| {
                    // Options of one scheme mean nothing to another: start clean.
                    for o in [state.header, state.timestamp_header, state.id_header, state.algorithm, state.encoding, state.prefix, state.message] {
                        o.set(String::new());
                    }
                    state.scheme.set(event_target_value(&ev));
                }
            >
                {unsigned.then(|| view! { <option value="">"Not signed"</option> })}
                {Kind::ALL.iter().map(|k| view! { <option value=k.id()>{k.label()}</option> }).collect_view()}
            </select>
        </label>
        <p class="help" data-testid="scheme-help">{move || help(kind())}</p>
        <Show when=move || matches!(kind(), Some(Kind::Grafana | Kind::Custom))>
            <div class="row">
                <TextField label="Signature header" value=state.header placeholder="X-Grafana-Alerting-Signature" />
                <TextField label="Timestamp header" value=state.timestamp_header placeholder="optional, e.g. X-Timestamp" />
            </div>
        </Show>
        <Show when=move || kind() == Some(Kind::Custom)>
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
        <Show when=move || kind() == Some(Kind::Github)>
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

/// Writes `text` to the clipboard and says so.
pub fn copy_text(ui: Option<Ui>, text: &str, what: &str) {
    if let Some(w) = web_sys::window() {
        let _ = w.navigator().clipboard().write_text(text);
    }
    if let Some(ui) = ui {
        ui.toast.set(format!("Copied {what}"));
        set_timeout(move || ui.toast.set(String::new()), std::time::Duration::from_millis(1500));
    }
}

/// A read-only output block with a copy button.
#[component]
pub fn Output(
    title: &'static str,
    testid: &'static str,
    text: Signal<String>,
    #[prop(optional)] note: Option<Signal<String>>,
) -> impl IntoView {
    let ui = use_context::<Ui>();
    view! {
        <section class="output">
            <header>
                <h3>{title}</h3>
                {note.map(|n| view! { <small>{move || n.get()}</small> })}
                <button type="button" class="ghost" aria-label=format!("Copy {title}") on:click=move |_| copy_text(ui, &text.get_untracked(), title)>
                    "Copy"
                </button>
            </header>
            <pre data-testid=testid tabindex="0">{move || text.get()}</pre>
        </section>
    }
}
