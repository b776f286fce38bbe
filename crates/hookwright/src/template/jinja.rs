//! Jinja templates on minijinja, with JSON-aware insertion and an output-to-template map.
//!
//! Before rendering, the template is scanned with minijinja's own delimiters (`{{ }}`, `{% %}`,
//! `{# #}`, `{% raw %}`) so that every `{{ expr }}` is known with its span and its [`Slot`]: inside
//! a JSON string literal, outside any string, or plain text. Each expression is then rewritten as
//! `{{ (expr)|__hw(N) }}`; the `__hw` filter tags the value with its expression number and the
//! formatter escapes the tagged value for its slot. Errors in the rewritten text are translated
//! back to the original positions.
//!
//! Output is written to a sink that records where each output byte came from: bytes written
//! while the formatter emits expression N belong to N's span; literal text is written by the
//! engine straight from the template source, so its address inside the rewritten source gives
//! its template offset. Text that a macro or a `{% set %}` block captures reaches the sink only
//! when the capturing expression emits it, and is then attributed to that expression.

use std::collections::BTreeSet;
use std::io;
use std::sync::{Arc, Mutex, MutexGuard};

use minijinja::value::{Enumerator, Object, ObjectRepr, Value};
use minijinja::{Environment, Error, ErrorKind, UndefinedBehavior};

use super::json_safe::{self, Origin, OutputMap, Slot, StringState};
use super::{Diagnostic, Limits, Severity};

// ---- scanning --------------------------------------------------------------------------------

/// One piece of a template, with byte offsets into it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Part {
    /// Literal text.
    Text { start: usize, end: usize },
    /// `{{ … }}`; `inner` is the expression between the delimiters and whitespace markers.
    Expr { start: usize, end: usize, inner_start: usize, inner_end: usize },
    /// `{% … %}`.
    Tag { start: usize, end: usize },
    /// `{# … #}`.
    Comment { start: usize, end: usize },
    /// `{% raw %}…{% endraw %}`; the body is literal text.
    Raw { start: usize, end: usize, body_start: usize, body_end: usize },
}

/// Where scanning stopped on an unclosed delimiter: byte offset and message.
pub(crate) type ScanError = (usize, &'static str);

/// Splits `source` into parts the way minijinja's lexer does with the default syntax.
pub(crate) fn scan(source: &str) -> Result<Vec<Part>, ScanError> {
    let bytes = source.as_bytes();
    let mut parts = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let Some(open) = find_open(bytes, at) else {
            parts.push(Part::Text { start: at, end: bytes.len() });
            break;
        };
        if open > at {
            parts.push(Part::Text { start: at, end: open });
        }
        let ws = usize::from(matches!(bytes.get(open + 2), Some(b'-' | b'+')));
        let body = open + 2 + ws;
        at = match bytes[open + 1] {
            b'#' => {
                let close = find(bytes, body, b"#}").ok_or((open, "the comment is never closed with `#}`"))?;
                parts.push(Part::Comment { start: open, end: close + 2 });
                close + 2
            }
            b'%' => {
                if let Some(len) = basic_tag(&source[body..], "raw", false) {
                    let body_start = body + len;
                    let (body_end, end) =
                        find_endraw(source, body_start).ok_or((open, "`{% raw %}` is never closed"))?;
                    parts.push(Part::Raw { start: open, end, body_start, body_end });
                    end
                } else {
                    let (_, end) = find_close(bytes, body, b'%').ok_or((open, "the tag is never closed with `%}`"))?;
                    parts.push(Part::Tag { start: open, end });
                    end
                }
            }
            _ => {
                let (inner_end, end) =
                    find_close(bytes, body, b'}').ok_or((open, "the expression is never closed with `}}`"))?;
                parts.push(Part::Expr { start: open, end, inner_start: body, inner_end });
                end
            }
        };
    }
    Ok(parts)
}

/// The next `{{`, `{%` or `{#` at or after `from`.
fn find_open(bytes: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    while let Some(i) = bytes[at..].iter().position(|&b| b == b'{') {
        let open = at + i;
        if matches!(bytes.get(open + 1), Some(b'{' | b'%' | b'#')) {
            return Some(open);
        }
        at = open + 1;
    }
    None
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes.get(from..)?.windows(needle.len()).position(|w| w == needle).map(|i| from + i)
}

/// Inside a tag or an expression starting at `from`: the end of the content (before a `-`/`+`
/// marker) and the end of the closing `%}`/`}}`. Skips string literals and, like minijinja,
/// only closes when brackets are balanced.
fn find_close(bytes: &[u8], from: usize, last: u8) -> Option<(usize, usize)> {
    let mut balance: i64 = 0;
    let mut at = from;
    while at < bytes.len() {
        let b = bytes[at];
        if balance == 0 {
            let rest = &bytes[at..];
            if matches!(b, b'-' | b'+') && rest.get(1) == Some(&last) && rest.get(2) == Some(&b'}') {
                return Some((at, at + 3));
            }
            if b == last && rest.get(1) == Some(&b'}') {
                return Some((at, at + 2));
            }
        }
        match b {
            b'(' | b'[' | b'{' => balance += 1,
            b')' | b']' | b'}' => balance -= 1,
            b'"' | b'\'' => {
                at += 1;
                while at < bytes.len() && bytes[at] != b {
                    at += if bytes[at] == b'\\' { 2 } else { 1 };
                }
            }
            _ => {}
        }
        at += 1;
    }
    None
}

/// `[-+]? ws* name ws* [-+]? %}` at the start of `s`: its length.
fn basic_tag(s: &str, name: &str, skip_ws_control: bool) -> Option<usize> {
    let mut p = s;
    if skip_ws_control {
        p = p.strip_prefix(['-', '+']).unwrap_or(p);
    }
    p = p.trim_start_matches(|c: char| c.is_ascii_whitespace());
    p = p.strip_prefix(name)?;
    p = p.trim_start_matches(|c: char| c.is_ascii_whitespace());
    p = p.strip_prefix(['-', '+']).unwrap_or(p);
    p = p.strip_prefix("%}")?;
    Some(s.len() - p.len())
}

/// The `{% endraw %}` after a raw body starting at `from`: (body end, tag end).
fn find_endraw(source: &str, from: usize) -> Option<(usize, usize)> {
    let mut at = from;
    while let Some(i) = source[at..].find("{%") {
        let open = at + i;
        if let Some(len) = basic_tag(&source[open + 2..], "endraw", true) {
            return Some((open, open + 2 + len));
        }
        at = open + 2;
    }
    None
}

/// The slot of every expression, in order: inside a JSON string, outside, or text.
pub(crate) fn slots(source: &str, parts: &[Part], json: bool) -> Vec<Slot> {
    let mut state = StringState::default();
    let mut out = Vec::new();
    for part in parts {
        match *part {
            Part::Text { start, end } | Part::Raw { body_start: start, body_end: end, .. } => {
                state.advance(&source[start..end]);
            }
            Part::Expr { inner_start, inner_end, .. } => {
                let literal = is_literal_text(&source[inner_start..inner_end]);
                out.push(if json && !literal { state.slot() } else { Slot::Text });
            }
            Part::Tag { .. } | Part::Comment { .. } => {}
        }
    }
    out
}

/// The length of the string literal at the start of `s`, if it starts with one.
fn string_literal(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let quote = *bytes.first().filter(|b| matches!(b, b'"' | b'\''))?;
    let mut at = 1;
    while at < bytes.len() {
        match bytes[at] {
            b'\\' => at += 2,
            b if b == quote => return Some(at + 1),
            _ => at += 1,
        }
    }
    None
}

/// Whether an expression is template text written as a string: `"," if not loop.last`,
/// `"a" if x else "b"`, `", "`. Such an expression is inserted as written, not as a JSON value.
fn is_literal_text(expr: &str) -> bool {
    let expr = expr.trim();
    let Some(len) = string_literal(expr) else { return false };
    let rest = expr[len..].trim_start();
    if rest.is_empty() {
        return true;
    }
    if !rest.starts_with("if") || !rest[2..].starts_with(|c: char| c.is_whitespace()) {
        return false;
    }
    // The `else` branch, if any, must be a string literal too.
    let bytes = rest.as_bytes();
    let mut at = 0;
    let mut else_at = None;
    while at < bytes.len() {
        if let Some(len) = string_literal(&rest[at..]) {
            at += len;
            continue;
        }
        let word_start = at == 0 || !(bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_');
        if word_start && rest[at..].starts_with("else") && rest[at + 4..].starts_with(|c: char| c.is_whitespace()) {
            else_at = Some(at + 4);
        }
        at += rest[at..].chars().next().map_or(1, char::len_utf8);
    }
    match else_at {
        None => true,
        Some(at) => {
            let branch = rest[at..].trim();
            string_literal(branch) == Some(branch.len())
        }
    }
}

// ---- rewriting -------------------------------------------------------------------------------

const TICK: &str = "{% if __hw_tick() %}{% endif %}";
const TICK_TRIM: &str = "{% if __hw_tick() %}{% endif -%}";
const TICK_KEEP: &str = "{% if __hw_tick() %}{% endif +%}";
/// The detail of the error `__hw_tick` raises when the host's interrupt says stop.
const INTERRUPTED: &str = "rendering ran past the host's time budget";

/// The template with every expression wrapped in the `__hw` filter, and where text was inserted.
struct Rewrite {
    text: String,
    /// `(offset in the rewritten text, inserted length, offset in the original)`, in order.
    insertions: Vec<(usize, usize, usize)>,
}

impl Rewrite {
    fn new(source: &str, parts: &[Part]) -> Rewrite {
        let mut text = String::with_capacity(source.len() + parts.len() * 16);
        let mut insertions = Vec::new();
        let mut copied = 0;
        let mut insert = |text: &mut String, copied: &mut usize, at: usize, what: &str| {
            text.push_str(&source[*copied..at]);
            *copied = at;
            insertions.push((text.len(), what.len(), at));
            text.push_str(what);
        };
        let mut id = 0u32;
        for part in parts {
            match *part {
                Part::Expr { inner_start, inner_end, .. } => {
                    insert(&mut text, &mut copied, inner_start, "(");
                    insert(&mut text, &mut copied, inner_end, &format!(")|__hw({id})"));
                    id += 1;
                }
                // After every tag, a check that prints nothing: the host's interrupt is asked
                // once per statement and per loop iteration. The tag's trim marker moves to the
                // inserted `endif` so whitespace after the tag is handled as before.
                Part::Tag { end, .. } => {
                    let tick = match source.as_bytes().get(end.saturating_sub(3)) {
                        Some(b'-') => TICK_TRIM,
                        Some(b'+') => TICK_KEEP,
                        _ => TICK,
                    };
                    insert(&mut text, &mut copied, end, tick);
                }
                _ => {}
            }
        }
        text.push_str(&source[copied..]);
        Rewrite { text, insertions }
    }

    /// The original offset of rewritten offset `at` (an offset inside inserted text maps to
    /// where it was inserted).
    fn original(&self, at: usize) -> usize {
        let mut shift = 0;
        for &(pos, len, orig) in &self.insertions {
            if at < pos {
                break;
            }
            if at < pos + len {
                return orig;
            }
            shift += len;
        }
        at - shift
    }
}

// ---- rendering -------------------------------------------------------------------------------

/// A value tagged with the number of the expression that produced it.
#[derive(Debug)]
struct Tagged {
    id: u32,
    value: Value,
}

impl Object for Tagged {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Plain
    }
}

/// A JSON object as a minijinja map that keeps the object's key order.
#[derive(Debug)]
struct JsonObject {
    entries: Vec<(String, Value)>,
}

impl Object for JsonObject {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let key = key.as_str()?;
        self.entries.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v.clone())
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Values(self.entries.iter().map(|(k, _)| Value::from(k.as_str())).collect())
    }

    fn enumerator_len(self: &Arc<Self>) -> Option<usize> {
        Some(self.entries.len())
    }
}

/// Deepest JSON nesting converted into template values.
pub(crate) const MAX_DATA_DEPTH: usize = 128;

/// A JSON value as a template value (objects keep their key order). `None` when the value is
/// nested deeper than 128 levels.
pub(crate) fn value_of(json: &serde_json::Value) -> Option<Value> {
    convert(json, 0)
}

fn convert(json: &serde_json::Value, depth: usize) -> Option<Value> {
    use serde_json::Value as J;
    if depth > MAX_DATA_DEPTH {
        return None;
    }
    Some(match json {
        J::Null => Value::from(()),
        J::Bool(b) => Value::from(*b),
        J::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => Value::from(i),
            (_, Some(u), _) => Value::from(u),
            (_, _, Some(f)) => Value::from(f),
            _ => Value::from(n.to_string()),
        },
        J::String(s) => Value::from(s.as_str()),
        J::Array(items) => Value::from(items.iter().map(|v| convert(v, depth + 1)).collect::<Option<Vec<_>>>()?),
        J::Object(map) => {
            object(map.iter().map(|(k, v)| Some((k.clone(), convert(v, depth + 1)?))).collect::<Option<_>>()?)
        }
    })
}

/// A map value from entries, in order (a later entry wins over an earlier one with the same key).
pub(crate) fn object(entries: Vec<(String, Value)>) -> Value {
    Value::from_object(JsonObject { entries })
}

/// A map of strings.
pub(crate) fn string_map(map: &std::collections::BTreeMap<String, String>) -> Value {
    object(map.iter().map(|(k, v)| (k.clone(), Value::from(v.as_str()))).collect())
}

/// What the formatter and the sink share.
struct Shared {
    slots: Vec<Slot>,
    /// Span of each expression in the original template.
    spans: Vec<(usize, usize)>,
    limit: usize,
    track: Mutex<Track>,
}

#[derive(Default)]
struct Track {
    /// The expression whose value the formatter is writing.
    current: Option<u32>,
    /// Bytes the formatter produced, captured or not.
    formatted: usize,
    /// The output or formatted bytes went over the limit.
    overflow: bool,
    /// Expressions that printed an undefined value.
    undefined: BTreeSet<u32>,
    out: Vec<u8>,
    /// Whether to record `map` in this render.
    mapping: bool,
    map: OutputMap,
}

impl Shared {
    fn track(&self) -> MutexGuard<'_, Track> {
        self.track.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Receives the top-level output.
struct Sink<'a> {
    shared: Arc<Shared>,
    /// The rewritten template as the engine holds it: literal text is written from here.
    base: &'a str,
    rewrite: &'a Rewrite,
}

impl io::Write for Sink<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut track = self.shared.track();
        if track.out.len() + buf.len() > self.shared.limit {
            track.overflow = true;
            return Err(io::Error::other("output limit"));
        }
        let at = track.out.len();
        track.out.extend_from_slice(buf);
        if !track.mapping {
            return Ok(buf.len());
        }
        let origin = match track.current {
            Some(id) => self.shared.spans.get(id as usize).map_or(Origin::Unknown, |&(s, e)| Origin::Expr(s, e)),
            None => {
                // Literal text is written straight from the (rewritten) template source.
                let base = self.base.as_ptr() as usize;
                let from = buf.as_ptr() as usize;
                if from >= base && from + buf.len() <= base + self.base.len() {
                    Origin::Literal(self.rewrite.original(from - base))
                } else {
                    Origin::Unknown
                }
            }
        };
        track.map.push(at, origin);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The text of a value for its slot.
pub(crate) fn format_value(value: &Value, slot: Slot) -> Result<String, String> {
    let mut text = String::new();
    match slot {
        Slot::Text => text = value.to_string(),
        _ if value.is_safe() => text = value.to_string(),
        Slot::InString => {
            use minijinja::value::ValueKind as K;
            match value.kind() {
                K::Undefined | K::None => {}
                K::Bool => text.push_str(if value.is_true() { "true" } else { "false" }),
                K::String => json_safe::escape_str_into(&mut text, value.as_str().unwrap_or_default()),
                K::Map | K::Seq | K::Iterable | K::Number => {
                    let mut json = String::new();
                    json_safe::write_json(&mut json, value)?;
                    json_safe::escape_str_into(&mut text, &json);
                }
                _ => json_safe::escape_str_into(&mut text, &value.to_string()),
            }
        }
        Slot::Value => json_safe::write_json(&mut text, value)?,
    }
    Ok(text)
}

fn environment(shared: &Arc<Shared>, limits: &Limits, json: bool) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Chainable);
    env.set_fuel(Some(limits.steps));
    env.set_recursion_limit(limits.depth as usize);
    // In a JSON body, text captured by macros and `{% set %}` blocks is template text: a custom
    // auto-escape mode makes minijinja mark it safe, so it is inserted as written.
    env.set_auto_escape_callback(move |_| {
        if json { minijinja::AutoEscape::Custom("hookwright-json".into()) } else { minijinja::AutoEscape::None }
    });
    env.add_filter("__hw", |value: Value, id: u32| Value::from_object(Tagged { id, value }));
    let interrupt = limits.interrupt;
    env.add_function("__hw_tick", move || -> Result<bool, Error> {
        match interrupt {
            Some(stop) if stop() => Err(Error::new(ErrorKind::InvalidOperation, INTERRUPTED)),
            _ => Ok(false),
        }
    });
    let shared = shared.clone();
    env.set_formatter(move |out, _state, value| {
        let (id, value) = match value.downcast_object_ref::<Tagged>() {
            Some(t) => (Some(t.id), &t.value),
            None => (None, value),
        };
        let slot = id.and_then(|id| shared.slots.get(id as usize).copied()).unwrap_or(Slot::Text);
        let text = format_value(value, slot).map_err(|e| Error::new(ErrorKind::InvalidOperation, e))?;
        {
            let mut track = shared.track();
            if value.is_undefined()
                && let Some(id) = id
            {
                track.undefined.insert(id);
            }
            track.formatted += text.len();
            if track.formatted > shared.limit.saturating_mul(2) {
                track.overflow = true;
                return Err(Error::new(ErrorKind::InvalidOperation, "output limit"));
            }
            track.current = id;
        }
        let written = out.write_str(&text);
        shared.track().current = None;
        written.map_err(|_| Error::new(ErrorKind::WriteFailure, "output limit"))
    });
    env
}

/// What rendering a Jinja template gave.
#[derive(Debug, Default)]
pub(crate) struct Rendered {
    /// The output, when rendering succeeded.
    pub output: Option<String>,
    /// Errors, and warnings for undefined values.
    pub diagnostics: Vec<Diagnostic>,
    /// Output offsets to template spans.
    pub map: OutputMap,
    /// Expressions (by span) that printed an undefined value, with their slot.
    pub undefined: Vec<((usize, usize), Slot)>,
}

/// A diagnostic for an error minijinja reported in `source` (positions already original).
fn error_diagnostic(err: &Error, source: &str, range: Option<(usize, usize)>, limits: &Limits) -> Diagnostic {
    let detail = err.detail().unwrap_or_default();
    let (code, message) = match err.kind() {
        ErrorKind::SyntaxError => ("syntax_error", detail.to_string()),
        ErrorKind::OutOfFuel => {
            ("limit_exceeded", format!("the template used up its budget of {} evaluation steps", limits.steps))
        }
        ErrorKind::InvalidOperation if detail.contains("recursion limit") => {
            ("limit_exceeded", format!("calls are nested deeper than {} levels", limits.depth))
        }
        // minijinja's own caps: `range` over 100,000 items, strings or lists repeated past 100 MB.
        ErrorKind::InvalidOperation if detail.contains("too many elements") || detail.contains("too large") => {
            ("limit_exceeded", detail.to_string())
        }
        ErrorKind::InvalidOperation if detail == INTERRUPTED => (
            "limit_exceeded",
            "rendering ran past its time budget (a template that builds very large strings?)".to_string(),
        ),
        ErrorKind::UndefinedError => ("undefined_value", detail_or_kind(err)),
        _ => ("render_error", detail_or_kind(err)),
    };
    let (start, end) = range.unwrap_or_else(|| {
        let line = err.line().unwrap_or(1);
        let at = if line <= 1 { 0 } else { source.match_indices('\n').nth(line - 2).map_or(0, |(i, _)| i + 1) };
        (at, at)
    });
    Diagnostic::at(Severity::Error, code, message, source, start, end)
}

fn detail_or_kind(err: &Error) -> String {
    match err.detail() {
        Some(d) => format!("{}: {d}", err.kind()),
        None => err.kind().to_string(),
    }
}

/// A template compiled once: the environment, the rewritten template inside it, and what
/// rendering needs to map output back to the template. Rendering takes only the context.
pub(crate) struct Compiled {
    env: Environment<'static>,
    shared: Arc<Shared>,
    rewrite: Rewrite,
    /// Per expression: whether it is literal text (`"," if not loop.last`), which never warns.
    literal: Vec<bool>,
    limits: Limits,
    /// One render at a time: the formatter and the sink share per-render state.
    lock: Mutex<()>,
}

/// The name of the template inside a compiled environment.
const NAME: &str = "t";

/// Compiles `source`; `json` turns on JSON-aware insertion. Fails with the syntax error.
pub(crate) fn compile(source: &str, json: bool, limits: &Limits) -> Result<Compiled, Diagnostic> {
    let parts = scan(source)
        .map_err(|(at, message)| Diagnostic::at(Severity::Error, "syntax_error", message, source, at, source.len()))?;
    let spans: Vec<(usize, usize)> = parts
        .iter()
        .filter_map(|p| match *p {
            Part::Expr { start, end, .. } => Some((start, end)),
            _ => None,
        })
        .collect();
    let literal: Vec<bool> = parts
        .iter()
        .filter_map(|p| match *p {
            Part::Expr { inner_start, inner_end, .. } => Some(is_literal_text(&source[inner_start..inner_end])),
            _ => None,
        })
        .collect();
    let shared = Arc::new(Shared {
        slots: slots(source, &parts, json),
        spans,
        limit: limits.output,
        track: Mutex::new(Track::default()),
    });
    let rewrite = Rewrite::new(source, &parts);
    let mut env = environment(&shared, limits, json);
    // Syntax errors are reported from the template as written, with minijinja's own messages.
    if let Err(err) = env.template_from_str(source) {
        let range = err.range().map(|r| (r.start, r.end));
        return Err(error_diagnostic(&err, source, range, limits));
    }
    if let Err(err) = env.add_template_owned(NAME, rewrite.text.clone()) {
        let range = err.range().map(|r| (rewrite.original(r.start), rewrite.original(r.end)));
        let mut d = error_diagnostic(&err, source, range, limits);
        d.code = "render_error";
        d.message = format!("hookwright could not prepare this template: {}", d.message);
        return Err(d);
    }
    Ok(Compiled { env, shared, rewrite, literal, limits: *limits, lock: Mutex::new(()) })
}

impl Compiled {
    /// Renders with `root` as context; `source` is the template the compiled one came from.
    /// `with_map` records the output map (for placing an `invalid_json_output` error).
    pub(crate) fn render(&self, source: &str, root: Value, with_map: bool) -> Rendered {
        let _one = self.lock.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut rendered = Rendered::default();
        let template = match self.env.get_template(NAME) {
            Ok(t) => t,
            Err(err) => {
                rendered.diagnostics.push(error_diagnostic(&err, source, None, &self.limits));
                return rendered;
            }
        };
        *self.shared.track() = Track { mapping: with_map, ..Track::default() };
        let mut sink = Sink { shared: self.shared.clone(), base: template.source(), rewrite: &self.rewrite };
        let result = template.render_captured_to(root, &mut sink).map(|_| ());
        let rewrite = &self.rewrite;
        let mut track = self.shared.track();
        match result {
            Ok(()) => {
                let out = std::mem::take(&mut track.out);
                rendered.output = Some(match String::from_utf8(out) {
                    Ok(s) => s,
                    Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
                });
            }
            Err(err) => {
                let range = err.range().map(|r| (rewrite.original(r.start), rewrite.original(r.end)));
                let d = if track.overflow {
                    let (start, end) = range.unwrap_or((source.len(), source.len()));
                    Diagnostic::at(
                        Severity::Error,
                        "limit_exceeded",
                        format!("the output is longer than {} bytes; rendering stopped here", self.limits.output),
                        source,
                        start,
                        end,
                    )
                } else {
                    error_diagnostic(&err, source, range, &self.limits)
                };
                rendered.diagnostics.push(d);
            }
        }
        // `{{ "," if not loop.last }}` is meant to print nothing on the last item: no warning.
        let shared = &self.shared;
        rendered.undefined = track
            .undefined
            .iter()
            .filter(|&&id| !self.literal.get(id as usize).copied().unwrap_or(false))
            .filter_map(|&id| Some((*shared.spans.get(id as usize)?, *shared.slots.get(id as usize)?)))
            .collect();
        rendered.map = std::mem::take(&mut track.map);
        rendered
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exprs(source: &str) -> Vec<&str> {
        scan(source)
            .unwrap()
            .into_iter()
            .filter_map(|p| match p {
                Part::Expr { inner_start, inner_end, .. } => Some(&source[inner_start..inner_end]),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn scanning_follows_minijinja() {
        assert_eq!(exprs("a{{ x }}b{{- y -}}c{{+z+}}"), [" x ", " y ", "z"]);
        assert_eq!(
            exprs(r#"{{ "}}" ~ '\'}}' }}{{ {"a": {"b": 1}} }}"#),
            [r#" "}}" ~ '\'}}' "#, r#" {"a": {"b": 1}} "#]
        );
        assert_eq!(exprs("{# {{ no }} #}{% raw %}{{ no }}{% endraw %}{% if '%}' %}{{ yes }}{% endif %}"), [" yes "]);
        assert_eq!(exprs("{%- raw -%} {{ x }} {%- endraw %}"), Vec::<&str>::new());
        assert!(scan("{{ open").is_err());
        assert!(scan("{% raw %} open").is_err());
    }

    #[test]
    fn slots_follow_json_strings() {
        let src = r#"{"a": "{{ x }}", "b": {{ y }}, {% if z %}"c\"{{ w }}"{% endif %}}"#;
        let parts = scan(src).unwrap();
        assert_eq!(slots(src, &parts, true), [Slot::InString, Slot::Value, Slot::InString]);
        assert_eq!(slots(src, &parts, false), [Slot::Text; 3]);
    }

    #[test]
    fn literal_text_expressions() {
        for yes in [r#"",""#, r#" "," if not loop.last "#, r#""a" if x == "b" else 'c'"#, r#""\"" "#] {
            assert!(is_literal_text(yes), "{yes}");
        }
        for no in
            ["x", "\"a\" if xé else ü", r#""a" ~ x"#, r#""a" if x else y"#, r#""a" | upper"#, r#""a" iffy"#, "\"open"]
        {
            assert!(!is_literal_text(no), "{no}");
        }
    }

    #[test]
    fn rewrite_maps_back() {
        let src = "ab{{ x }}cd";
        let r = Rewrite::new(src, &scan(src).unwrap());
        assert_eq!(r.text, "ab{{( x )|__hw(0)}}cd");
        let cd = r.text.find("cd").unwrap();
        assert_eq!(r.original(cd), 9);
        assert_eq!(r.original(r.text.find("__hw").unwrap()), 7);
        assert_eq!(r.original(3), 3);
    }
}
