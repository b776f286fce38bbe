//! The page: a header with the tabs and the share link, the designer (inputs beside outputs), the
//! verify tab, a footer.

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::components::copy_text;
use crate::components::editor::EditorHandle;
use crate::derive::Derived;
use crate::design_panel::{DesignPanel, load_sender};
use crate::output_panel::OutputPanel;
use crate::persist::{self, Saved};
use crate::request_panel::RequestPanel;
use crate::state::{Design, SchemeState, Setup, Tab, Ui};
use crate::verify_panel::{Designed, VerifyPanel};

/// The playground.
#[component]
pub fn App() -> impl IntoView {
    let design = Design::new();
    let setup = Setup::new();
    let scheme = SchemeState::new();
    let ui = Ui {
        tab: RwSignal::new(Tab::Design),
        remember: RwSignal::new(false),
        pretty: RwSignal::new(false),
        toast: RwSignal::new(String::new()),
        embed: persist::embedded(),
    };
    provide_context(ui);
    let saved = Saved { design, setup, scheme, ui };
    // A share link wins over what this browser saved; with neither, start with Grafana.
    let restored = persist::from_fragment()
        .and_then(|v| saved.apply(&v).ok())
        .or_else(|| persist::from_storage().and_then(|v| saved.apply(&v).ok()));
    if restored.is_none() || design.sender.get_untracked().is_empty() {
        load_sender(design, setup, scheme, "grafana");
    }
    persist::autosave(saved);
    let share = persist::share_link(saved);

    let derived = Derived::new(design, setup, scheme);
    provide_context(Designed { request: derived.request, scheme });
    let verify_scheme = SchemeState::new();
    let handle = EditorHandle::new(design.template);

    // Ctrl/Cmd+K: pick a sender; Ctrl/Cmd+Enter: copy the curl command.
    let key_handle = window_event_listener(ev::keydown, move |e: web_sys::KeyboardEvent| {
        if !(e.ctrl_key() || e.meta_key()) {
            return;
        }
        match e.key().as_str() {
            "k" | "K" => {
                e.prevent_default();
                ui.tab.set(Tab::Design);
                if let Some(el) = document().query_selector("[data-testid=sender-select]").ok().flatten()
                    && let Ok(el) = el.dyn_into::<web_sys::HtmlElement>()
                {
                    let _ = el.focus();
                }
            }
            "Enter" => {
                e.prevent_default();
                if let Ok(r) = derived.request.get_untracked() {
                    copy_text(Some(ui), &r.curl(), "curl");
                }
            }
            _ => {}
        }
    });
    on_cleanup(move || key_handle.remove());

    let tab_button = move |t: Tab, label: &'static str, testid: &'static str| {
        view! {
            <button
                type="button"
                role="tab"
                data-testid=testid
                aria-selected=move || (ui.tab.get() == t).to_string()
                class=move || if ui.tab.get() == t { "tab active" } else { "tab" }
                on:click=move |_| ui.tab.set(t)
            >
                {label}
            </button>
        }
    };
    let import_text = RwSignal::new(String::new());
    let import_error = RwSignal::new(String::new());
    let export =
        Memo::new(move |_| serde_json::to_string_pretty(&saved.snapshot(ui.remember.get())).unwrap_or_default());
    let export_href =
        move || format!("data:application/json;charset=utf-8,{}", js_sys::encode_uri_component(&export.get()));
    let import = move |_| match serde_json::from_str(&import_text.get_untracked()) {
        Ok(v) => match saved.apply(&v) {
            Ok(()) => {
                import_error.set(String::new());
                import_text.set(String::new());
            }
            Err(e) => import_error.set(e),
        },
        Err(e) => import_error.set(format!("not JSON: {e}")),
    };

    view! {
        <div class="app" class:embed=ui.embed>
            <header class="top">
                <div class="title">
                    <h1>"hookwright"</h1>
                    <p>"Design a webhook and see the exact request on every keystroke, or check one you received. Everything runs in this page; nothing is sent."</p>
                </div>
                <nav class="tabs" role="tablist">
                    {tab_button(Tab::Design, "Design", "sign-tab")}
                    {tab_button(Tab::Verify, "Verify", "verify-tab")}
                </nav>
            </header>
            <div class="toolbar">
                <label class="field share">
                    <span>"Share link (no secrets)"</span>
                    <div class="secret">
                        <input type="text" readonly data-testid="share-link" prop:value=move || share.get() />
                        <button type="button" class="ghost" on:click=move |_| copy_text(Some(ui), &share.get_untracked(), "share link")>"Copy"</button>
                    </div>
                </label>
                <label class="check">
                    <input type="checkbox" data-testid="remember-secrets" prop:checked=move || ui.remember.get()
                        on:change=move |ev| ui.remember.set(event_target_checked(&ev)) />
                    " Remember secrets in this browser"
                </label>
                <details class="io">
                    <summary>"Export / import"</summary>
                    <a class="button" download="hookwright-playground.json" href=export_href data-testid="export-link">"Download configuration (JSON)"</a>
                    <label class="field">
                        <span>"Paste a configuration to import"</span>
                        <textarea rows="3" data-testid="import-input" prop:value=move || import_text.get()
                            on:input=move |ev| import_text.set(event_target_value(&ev))></textarea>
                    </label>
                    <button type="button" data-testid="import-button" on:click=import>"Import"</button>
                    {move || (!import_error.get().is_empty()).then(|| view! { <p class="error">{import_error.get()}</p> })}
                </details>
            </div>
            <main>
                // Both tabs stay mounted so switching keeps what was typed.
                <div class="panel design" data-testid="sign-panel" class:hidden=move || ui.tab.get() != Tab::Design>
                    <div class="inputs">
                        <DesignPanel design=design setup=setup scheme=scheme derived=derived handle=handle />
                        <RequestPanel design=design setup=setup scheme=scheme derived=derived />
                    </div>
                    <OutputPanel derived=derived ui=ui />
                </div>
                <div class:hidden=move || ui.tab.get() != Tab::Verify>
                    <VerifyPanel state=verify_scheme />
                </div>
            </main>
            <div class="toast" role="status" aria-live="polite">{move || ui.toast.get()}</div>
            <footer>
                "Runs entirely in your browser: secrets never leave this page. Shortcuts: "
                <kbd>"Ctrl/⌘ K"</kbd>" pick a sender, "<kbd>"Ctrl/⌘ Enter"</kbd>" copy curl, "
                <kbd>"Tab"</kbd>" / "<kbd>"Enter"</kbd>" take a suggestion."
            </footer>
        </div>
    }
}
