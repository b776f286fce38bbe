//! Design: pick a sender and an event, edit the template (with its diagnostics and token
//! palette), the event data, env values and Vars.

use hookwright::catalog::{self, Dialect};
use hookwright::template::Severity;
use leptos::prelude::*;

use crate::components::TextArea;
use crate::components::editor::{Editor, EditorHandle, token_text};
use crate::derive::Derived;
use crate::state::{Design, SchemeState, Setup};

/// Loads a sender from the catalog: its first event, its scheme and its defaults.
pub fn load_sender(design: Design, setup: Setup, scheme: SchemeState, id: &str) {
    design.sender.set(id.to_string());
    setup.content_type.set(String::new());
    setup.extra_headers.set(String::new());
    setup.max_alerts.set(String::new());
    scheme.header.set(String::new());
    scheme.prefix.set(String::new());
    scheme.timestamp_header.set(String::new());
    scheme.message.set(String::new());
    scheme.algorithm.set(String::new());
    scheme.encoding.set(String::new());
    match catalog::sender(id) {
        Some(s) => {
            scheme.scheme.set(s.scheme.map(|k| k.id().to_string()).unwrap_or_default());
            load_event(design, s.events.first().map_or("", |e| e.id.as_str()));
            let vars = s
                .fact("payload_vars")
                .and_then(|v| v.as_object())
                .map(|m| {
                    m.iter().map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or(""))).collect::<Vec<_>>().join("\n")
                })
                .unwrap_or_default();
            design.vars.set(vars);
            design.env.set(if s.tokens.iter().any(|t| t.name.starts_with("env.")) {
                "API_TOKEN=example-token".into()
            } else {
                String::new()
            });
        }
        None => {
            scheme.scheme.set("custom".into());
            scheme.header.set("X-Signature".into());
            scheme.prefix.set("sha256=".into());
            design.event.set(String::new());
            design.template.set("{\n  \"greeting\": {{ greeting | tojson }},\n  \"count\": {{ count }}\n}".into());
            design.data.set("{\n  \"greeting\": \"hello\",\n  \"count\": 3\n}".into());
            design.env.set(String::new());
            design.vars.set(String::new());
        }
    }
}

/// Loads an event's sample data and default template.
pub fn load_event(design: Design, id: &str) {
    design.event.set(id.to_string());
    if let Some(e) = design.sender_entry().and_then(|s| s.event(id)) {
        design.template.set(e.template.clone());
        design.data.set(serde_json::to_string_pretty(&e.sample).unwrap_or_default());
    }
}

#[component]
pub fn DesignPanel(
    design: Design,
    setup: Setup,
    scheme: SchemeState,
    derived: Derived,
    handle: EditorHandle,
) -> impl IntoView {
    let sender = move || design.sender_entry();
    let dialect = Signal::derive(move || derived.dialect.get());
    let diagnostics = Signal::derive(move || derived.rendered.with(|r| r.diagnostics.clone()));
    let offered = Signal::derive(move || {
        let event = design.event.get();
        let mut names: Vec<String> =
            sender().map(|s| s.tokens_for(&event).map(|t| t.name.clone()).collect()).unwrap_or_default();
        if let Ok(serde_json::Value::Object(m)) = derived.data.get()
            && sender().is_none()
        {
            names.extend(m.keys().cloned());
        }
        names.dedup();
        names
    });
    let event_help = move || {
        let s = sender()?;
        let e = s.event(&design.event.get())?;
        Some([e.description.clone(), e.note.clone()].into_iter().flatten().collect::<Vec<_>>().join(" "))
    };
    let dialect_name = move || match dialect.get() {
        Dialect::Tokens => "{{token}} placeholders",
        Dialect::Go => "Go text/template",
        Dialect::Jinja => "Jinja",
        Dialect::Dagu => "Dagu step command (${WEBHOOK_PAYLOAD.path})",
    };

    view! {
        <section class="card" aria-labelledby="design-h">
            <h2 id="design-h">"Sender & event"</h2>
            <div class="row">
                <label class="field">
                    <span>"Sender "<kbd>"Ctrl K"</kbd></span>
                    <select
                        data-testid="sender-select"
                        prop:value=move || design.sender.get()
                        on:change=move |ev| load_sender(design, setup, scheme, &event_target_value(&ev))
                    >
                        {catalog::senders().iter().map(|s| view! { <option value=s.id.clone()>{s.label.clone()}</option> }).collect_view()}
                        <option value="custom">"Custom"</option>
                    </select>
                </label>
                <label class="field">
                    <span>"Event"</span>
                    <select
                        data-testid="event-select"
                        prop:value=move || design.event.get()
                        disabled=move || sender().is_none()
                        on:change=move |ev| load_event(design, &event_target_value(&ev))
                    >
                        {move || sender().map(|s| s.events.iter().map(|e| {
                            view! { <option value=e.id.clone() selected=e.id == design.event.get_untracked()>{e.label.clone()}</option> }
                        }).collect_view())}
                    </select>
                </label>
            </div>
            <p class="help" data-testid="sender-help">
                {move || sender().map_or_else(
                    || "Custom: any JSON data, a Jinja-style template ({{ name }}, | tojson, | urlencode) and any HMAC layout.".to_string(),
                    |s| s.help.clone(),
                )}
            </p>
            {move || event_help().filter(|h| !h.is_empty()).map(|h| view! { <p class="help subtle">{h}</p> })}
        </section>

        <section class="card" aria-labelledby="template-h">
            <h2 id="template-h">"Template " <small class="subtle">{dialect_name}</small></h2>
            <Editor handle=handle dialect=dialect diagnostics=diagnostics tokens=offered testid="template-input" label="Template" />
            {move || design.template.with(|t| t.trim().is_empty()).then(|| view! {
                <p class="empty">"Empty template: the event data is sent as it is. Type, or pick a token below."</p>
            })}
            <ul class="diagnostics" data-testid="diagnostics" aria-label="Diagnostics">
                {move || diagnostics.get().into_iter().map(|d| {
                    let (start, end, line) = (d.start, d.end, d.line);
                    let class = if d.severity == Severity::Error { "diag error" } else { "diag warning" };
                    view! {
                        <li data-testid="diagnostic" class=class>
                            <button type="button" class="link" on:click=move |_| handle.jump(start, end, line)>
                                <code>{format!("{}:{}", d.line, d.column)}</code>
                                " " {d.severity.as_str()} " " <small>{d.code}</small> " " {d.message.clone()}
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <Palette design=design derived=derived handle=handle />
        </section>

        <section class="card" aria-labelledby="data-h">
            <h2 id="data-h">"Event data"</h2>
            <label class="field">
                <span>"JSON"</span>
                <textarea
                    rows="10"
                    spellcheck="false"
                    data-testid="data-input"
                    class="code-input"
                    prop:value=move || design.data.get()
                    on:input=move |ev| design.data.set(event_target_value(&ev))
                ></textarea>
            </label>
            {move || derived.data.get().err().map(|e| view! {
                <p class="error" role="alert" data-testid="data-error">{format!("Event data is not valid JSON at {e}")}</p>
            })}
            <label class="check">
                <input type="checkbox" data-testid="sample-flag" prop:checked=move || design.is_sample.get()
                    on:change=move |ev| design.is_sample.set(event_target_checked(&ev)) />
                " This is a test notification (is_sample)"
            </label>
            <div class="row">
                <TextArea label="Env (NAME=value per line)" value=design.env rows=3 testid="env-input" placeholder="API_TOKEN=…" />
                <TextArea label="Vars (name=value per line)" value=design.vars rows=3 testid="vars-input" placeholder="environment=production" />
            </div>
        </section>
    }
}

/// Tokens of the sender, grouped; those the event does not offer are greyed out with the reason.
#[component]
fn Palette(design: Design, derived: Derived, handle: EditorHandle) -> impl IntoView {
    view! {
        {move || design.sender_entry().map(|s| {
            let event = design.event.get();
            let dialect = derived.dialect.get();
            view! {
                <details class="palette" open>
                    <summary>"Tokens for this event (click to insert at the cursor)"</summary>
                    {s.groups.iter().map(|g| {
                        let tokens: Vec<_> = s.tokens.iter().filter(|t| t.group == g.id).collect();
                        view! {
                            <div class="group">
                                <h4>{g.label.clone()}</h4>
                                <div class="chips">
                                    {tokens.into_iter().map(|t| {
                                        let ok = t.offered_on(&event);
                                        let reason = if ok {
                                            format!("{} — e.g. {}", t.description, t.example)
                                        } else {
                                            format!("Not on this event; only on {}", t.events.join(", "))
                                        };
                                        let text = token_text(dialect, &t.name);
                                        view! {
                                            <button type="button" class="chip" data-testid="token"
                                                disabled=!ok title=reason.clone() aria-label=format!("{}: {reason}", t.name)
                                                on:click=move |_| handle.insert(&text)>
                                                {t.name.clone()}
                                            </button>
                                        }
                                    }).collect_view()}
                                </div>
                            </div>
                        }
                    }).collect_view()}
                </details>
            }
        })}
    }
}
