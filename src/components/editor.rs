//! The template editor: a textarea over a highlighted `<pre>`, with line numbers, diagnostics
//! underlined at their span, and token suggestions after `{{` (or `${` for Dagu).
//!
//! The highlighted copy is one HTML string set as `inner_html`, so a 10 KiB template costs one
//! DOM write per keystroke rather than thousands of nodes.

use hookwright::catalog::Dialect;
use hookwright::template::{Diagnostic, Severity};
use leptos::html::Textarea;
use leptos::prelude::*;

/// A handle on the editor's textarea so other panels can insert at the cursor or jump to a
/// position.
#[derive(Clone, Copy)]
pub struct EditorHandle {
    pub node: NodeRef<Textarea>,
    pub value: RwSignal<String>,
    /// Caret position (byte offset) after the last edit or cursor move.
    pub caret: RwSignal<usize>,
}

const LINE_HEIGHT: f64 = 20.0;

fn utf16_to_byte(s: &str, at: u32) -> usize {
    let mut units = 0u32;
    for (i, c) in s.char_indices() {
        if units >= at {
            return i;
        }
        units += c.len_utf16() as u32;
    }
    s.len()
}

fn byte_to_utf16(s: &str, at: usize) -> u32 {
    s[..at.min(s.len())].encode_utf16().count() as u32
}

impl EditorHandle {
    pub fn new(value: RwSignal<String>) -> Self {
        EditorHandle { node: NodeRef::new(), value, caret: RwSignal::new(0) }
    }

    fn selection(&self) -> (usize, usize) {
        let text = self.value.get_untracked();
        match self.node.get_untracked() {
            Some(el) => {
                let s = el.selection_start().ok().flatten().unwrap_or(0);
                let e = el.selection_end().ok().flatten().unwrap_or(s);
                (utf16_to_byte(&text, s), utf16_to_byte(&text, e))
            }
            None => (text.len(), text.len()),
        }
    }

    /// Replaces `start..end` (byte offsets) with `text` and puts the caret after it.
    pub fn replace(&self, start: usize, end: usize, text: &str) {
        let mut v = self.value.get_untracked();
        let (start, end) = (start.min(v.len()), end.min(v.len()));
        v.replace_range(start..end, text);
        let caret = start + text.len();
        if let Some(el) = self.node.get_untracked() {
            el.set_value(&v);
            let at = byte_to_utf16(&v, caret);
            let _ = el.focus();
            let _ = el.set_selection_range(at, at);
        }
        self.value.set(v);
        self.caret.set(caret);
    }

    /// Inserts `text` at the cursor (replacing the selection).
    pub fn insert(&self, text: &str) {
        let (s, e) = self.selection();
        self.replace(s, e, text);
    }

    /// Selects `start..end` and scrolls it into view.
    pub fn jump(&self, start: usize, end: usize, line: u32) {
        let v = self.value.get_untracked();
        if let Some(el) = self.node.get_untracked() {
            let _ = el.focus();
            let _ = el.set_selection_range(byte_to_utf16(&v, start), byte_to_utf16(&v, end.max(start)));
            if let Some(scroller) = el.closest(".editor").ok().flatten() {
                scroller.set_scroll_top(((f64::from(line) - 3.0) * LINE_HEIGHT).max(0.0) as i32);
            }
        }
        self.caret.set(start);
    }

    fn sync_caret(&self) {
        let (s, _) = self.selection();
        self.caret.set(s);
    }
}

fn escape(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
}

const ACTION: u8 = 1;
const STRING: u8 = 2;
const JSON_STRING: u8 = 3;
const ERROR: u8 = 16;
const WARNING: u8 = 32;

/// The template as highlighted HTML: actions, strings inside them, JSON strings outside them,
/// and diagnostic spans underlined.
pub fn highlight(src: &str, dialect: Dialect, diagnostics: &[Diagnostic]) -> String {
    let bytes = src.as_bytes();
    let mut class = vec![0u8; bytes.len()];
    let (open, close): (&[u8], &[u8]) = if dialect == Dialect::Dagu { (b"${", b"}") } else { (b"{{", b"}}") };
    let mut i = 0;
    let mut in_json_string = false;
    while i < bytes.len() {
        let starts = |p: &[u8]| bytes[i..].starts_with(p);
        let jinja_block = dialect == Dialect::Jinja && (starts(b"{%") || starts(b"{#"));
        if starts(open) || jinja_block {
            let end_pat: &[u8] = if jinja_block { if starts(b"{%") { b"%}" } else { b"#}" } } else { close };
            let end = bytes[i + open.len()..]
                .windows(end_pat.len())
                .position(|w| w == end_pat)
                .map_or(bytes.len(), |p| i + open.len() + p + end_pat.len());
            let mut in_str = false;
            for j in i..end {
                class[j] = if in_str { STRING } else { ACTION };
                if bytes[j] == b'"' && (j == 0 || bytes[j - 1] != b'\\') {
                    in_str = !in_str;
                    class[j] = STRING;
                }
            }
            i = end;
            continue;
        }
        if dialect != Dialect::Dagu && bytes[i] == b'"' && (i == 0 || bytes[i - 1] != b'\\') {
            in_json_string = !in_json_string;
            class[i] = JSON_STRING;
        } else if in_json_string {
            class[i] = if bytes[i] == b'\n' { 0 } else { JSON_STRING };
            if bytes[i] == b'\n' {
                in_json_string = false;
            }
        }
        i += 1;
    }
    for d in diagnostics {
        let flag = if d.severity == Severity::Error { ERROR } else { WARNING };
        let (s, e) = (d.start.min(bytes.len()), d.end.min(bytes.len()));
        // An empty span still marks one character so that it is visible.
        let e = if e <= s { (s + 1).min(bytes.len()) } else { e };
        for c in &mut class[s..e] {
            *c |= flag;
        }
    }
    let mut out = String::with_capacity(src.len() * 2);
    let mut run_start = 0;
    let mut run_class = class.first().copied().unwrap_or(0);
    let flush = |out: &mut String, from: usize, to: usize, c: u8| {
        if from == to {
            return;
        }
        if c == 0 {
            escape(out, &src[from..to]);
            return;
        }
        let mut names = Vec::new();
        match c & 15 {
            ACTION => names.push("h-act"),
            STRING => names.push("h-str"),
            JSON_STRING => names.push("h-json"),
            _ => {}
        }
        if c & ERROR != 0 {
            names.push("h-err");
        } else if c & WARNING != 0 {
            names.push("h-warn");
        }
        out.push_str("<span class=\"");
        out.push_str(&names.join(" "));
        out.push_str("\">");
        escape(out, &src[from..to]);
        out.push_str("</span>");
    };
    for (idx, _) in src.char_indices() {
        if class[idx] != run_class {
            flush(&mut out, run_start, idx, run_class);
            run_start = idx;
            run_class = class[idx];
        }
    }
    flush(&mut out, run_start, src.len(), run_class);
    // A trailing newline needs a character after it to take up a line.
    out.push(' ');
    out
}

/// A suggestion being typed: where the name starts (byte offset) and what has been typed.
fn typing_token(src: &str, caret: usize, dialect: Dialect) -> Option<(usize, String)> {
    let before = &src[..caret.min(src.len())];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = &before[line_start..];
    let open = if dialect == Dialect::Dagu { "${" } else { "{{" };
    let at = line.rfind(open)?;
    let typed = &line[at + open.len()..];
    let close = if dialect == Dialect::Dagu { "}" } else { "}}" };
    if typed.contains(close) {
        return None;
    }
    let name = typed.trim_start().trim_start_matches('.');
    if !name.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '.') {
        return None;
    }
    Some((line_start + at + open.len(), name.to_string()))
}

/// How a token is written in a dialect when inserted from the palette.
pub fn token_text(dialect: Dialect, name: &str) -> String {
    match dialect {
        Dialect::Tokens => format!("{{{{{name}}}}}"),
        Dialect::Go => format!("{{{{ .{name} }}}}"),
        Dialect::Jinja => format!("{{{{ {name} }}}}"),
        Dialect::Dagu => format!("${{{name}}}"),
    }
}

/// The rest of a token after its opening delimiter, for completion.
fn completion(dialect: Dialect, name: &str) -> String {
    let full = token_text(dialect, name);
    full[2..].to_string()
}

/// The editor. `tokens` are the names offered on the current event, for suggestions.
#[component]
pub fn Editor(
    handle: EditorHandle,
    dialect: Signal<Dialect>,
    diagnostics: Signal<Vec<Diagnostic>>,
    tokens: Signal<Vec<String>>,
    testid: &'static str,
    label: &'static str,
) -> impl IntoView {
    let value = handle.value;
    let html = Memo::new(move |_| value.with(|v| diagnostics.with(|d| highlight(v, dialect.get(), d))));
    let lines = Memo::new(move |_| value.with(|v| v.matches('\n').count() + 1));
    let gutter = Memo::new(move |_| (1..=lines.get()).map(|i| i.to_string()).collect::<Vec<_>>().join("\n"));
    let open = RwSignal::new(false);
    let suggestions = Memo::new(move |_| {
        if !open.get() {
            return None;
        }
        let caret = handle.caret.get();
        let (start, typed) = value.with(|v| typing_token(v, caret, dialect.get()))?;
        let list: Vec<String> = tokens.with(|t| {
            let typed = typed.to_lowercase();
            t.iter().filter(|n| n.to_lowercase().starts_with(&typed) && **n != typed).take(8).cloned().collect()
        });
        (!list.is_empty()).then_some((start, list))
    });
    let accept = move |start: usize, name: &str| {
        let caret = handle.caret.get_untracked();
        handle.replace(start, caret, &completion(dialect.get_untracked(), name));
        open.set(false);
    };
    let pre_ref = NodeRef::<leptos::html::Pre>::new();
    Effect::new(move |_| {
        let h = html.get();
        if let Some(pre) = pre_ref.get() {
            pre.set_inner_html(&h);
        }
    });

    view! {
        <div class="editor-wrap">
            <div class="editor" aria-label=label>
                <pre class="gutter" aria-hidden="true">{move || gutter.get()}</pre>
                <div class="code">
                    <pre class="highlight" aria-hidden="true" node_ref=pre_ref></pre>
                    <textarea
                        node_ref=handle.node
                        data-testid=testid
                        aria-label=label
                        spellcheck="false"
                        autocomplete="off"
                        autocapitalize="off"
                        wrap="off"
                        rows=move || lines.get().to_string()
                        prop:value=move || value.get()
                        on:input=move |ev| {
                            value.set(event_target_value(&ev));
                            handle.sync_caret();
                            open.set(true);
                        }
                        on:click=move |_| { handle.sync_caret(); open.set(false); }
                        on:keyup=move |ev: web_sys::KeyboardEvent| {
                            if ev.key().starts_with("Arrow") { handle.sync_caret(); }
                        }
                        on:keydown=move |ev: web_sys::KeyboardEvent| {
                            match ev.key().as_str() {
                                "Escape" => open.set(false),
                                "Tab" | "Enter" => {
                                    if let Some((start, list)) = suggestions.get_untracked() {
                                        ev.prevent_default();
                                        accept(start, &list[0]);
                                    } else if ev.key() == "Tab" && !ev.shift_key() {
                                        ev.prevent_default();
                                        handle.insert("  ");
                                    }
                                }
                                _ => {}
                            }
                        }
                    ></textarea>
                </div>
            </div>
            {move || suggestions.get().map(|(start, list)| view! {
                <ul class="suggest" role="listbox" data-testid="suggestions" aria-label="Token suggestions (Tab or Enter takes the first)">
                    {list.into_iter().map(|name| {
                        let n = name.clone();
                        view! {
                            <li role="option">
                                <button type="button" class="ghost" on:mousedown=move |ev| { ev.prevent_default(); accept(start, &n); }>
                                    {name}
                                </button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })}
        </div>
    }
}
