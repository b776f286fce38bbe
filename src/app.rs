//! The page: a header, two tabs (Sign, Verify), a footer.

use leptos::prelude::*;

use crate::sign_panel::SignPanel;
use crate::state::SchemeState;
use crate::verify_panel::VerifyPanel;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tab {
    Sign,
    Verify,
}

/// The playground.
#[component]
pub fn App() -> impl IntoView {
    let state = SchemeState::new();
    let body = RwSignal::new("{\n  \"action\": \"opened\",\n  \"number\": 1\n}".to_string());
    let tab = RwSignal::new(Tab::Sign);
    let tab_button = move |t: Tab, label: &'static str, testid: &'static str| {
        view! {
            <button
                type="button"
                role="tab"
                data-testid=testid
                aria-selected=move || (tab.get() == t).to_string()
                class=move || if tab.get() == t { "tab active" } else { "tab" }
                on:click=move |_| tab.set(t)
            >
                {label}
            </button>
        }
    };
    view! {
        <header class="top">
            <h1>"hookwright"</h1>
            <p>"Sign a webhook as the sender would, or check one you received."</p>
        </header>
        <nav class="tabs" role="tablist">
            {tab_button(Tab::Sign, "Sign", "sign-tab")}
            {tab_button(Tab::Verify, "Verify", "verify-tab")}
        </nav>
        <main>
            // Both panels stay mounted so switching tabs keeps what was typed.
            <div class:hidden=move || tab.get() != Tab::Sign>
                <SignPanel state=state body=body />
            </div>
            <div class:hidden=move || tab.get() != Tab::Verify>
                <VerifyPanel state=state />
            </div>
        </main>
        <footer>"Runs entirely in your browser: secrets never leave this page."</footer>
    }
}
