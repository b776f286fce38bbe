//! Dagu step commands: `${WEBHOOK_PAYLOAD…}` references, expanded the way a Dagu webhook trigger
//! does before the shell sees the command.
//!
//! A Dagu webhook (`POST /api/v2/webhooks/<dag>`) hands the request's payload to the DAG as the
//! `WEBHOOK_PAYLOAD` variable. Step commands read fields with a jq-like path:
//! `${WEBHOOK_PAYLOAD.branch}`, `${WEBHOOK_PAYLOAD.commits.[0].author.name}`. This module finds those
//! references, resolves them against a payload and reports what Dagu would leave unresolved or what
//! would surprise the shell.
//!
//! ```
//! use hookwright::template::dagu;
//!
//! let payload = dagu::webhook_payload(br#"{"branch": "main", "commit": "abc123"}"#);
//! let (out, diagnostics) = dagu::expand("echo ${WEBHOOK_PAYLOAD.branch}@${WEBHOOK_PAYLOAD.commit}", &payload);
//! assert_eq!(out, "echo main@abc123");
//! assert!(diagnostics.is_empty());
//! ```

use serde_json::Value;

use super::{Diagnostic, Limits, Severity};

/// The variable Dagu fills with the webhook payload.
pub const VARIABLE: &str = "WEBHOOK_PAYLOAD";

/// The payload a Dagu webhook trigger exposes as `WEBHOOK_PAYLOAD`, from the raw request body.
///
/// If the body is a JSON object with a top-level `payload` field, that field is the payload (the
/// trigger API's request shape is `{"dagRunId": …, "payload": …}`); otherwise a body that is valid
/// JSON is the payload itself; anything else (empty, form-encoded, broken JSON) gives `{}`.
pub fn webhook_payload(body: &[u8]) -> Value {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(mut map)) => match map.remove("payload") {
            Some(payload) => payload,
            None => Value::Object(map),
        },
        Ok(other) => other,
        Err(_) => Value::Object(serde_json::Map::new()),
    }
}

/// One `${WEBHOOK_PAYLOAD…}` (or bare `$WEBHOOK_PAYLOAD`) reference found in a command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// Byte offset of the `$`.
    pub start: usize,
    /// Byte offset just past the reference (past the `}` when braced).
    pub end: usize,
    /// The path after `WEBHOOK_PAYLOAD` as written (`".commits.[0].author.name"`); empty for the
    /// whole payload.
    pub path: String,
    /// `false` for the bare `$WEBHOOK_PAYLOAD` form.
    pub braced: bool,
}

impl Reference {
    /// The catalog token this reference reads: `WEBHOOK_PAYLOAD` followed by the path, with index
    /// segments (`.[0]`, `[0]`, `.0`) dropped, so `${WEBHOOK_PAYLOAD.commits.[0].author.name}` reads
    /// `WEBHOOK_PAYLOAD.commits.author.name`.
    pub fn token(&self) -> String {
        let mut out = String::from(VARIABLE);
        if let Ok(segments) = parse_path(&self.path) {
            for segment in segments {
                if let Segment::Key(key) = segment {
                    out.push('.');
                    out.push_str(&key);
                }
            }
        }
        out
    }
}

/// Every `${WEBHOOK_PAYLOAD…}` and bare `$WEBHOOK_PAYLOAD` reference in `command`, in order.
///
/// Unclosed `${WEBHOOK_PAYLOAD.…` text and other variables (`${HOME}`, `$WEBHOOK_PAYLOAD_X`) are
/// not references.
pub fn references(command: &str) -> Vec<Reference> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(found) = command[at..].find('$') {
        let start = at + found;
        match scan_reference(command, start) {
            Scan::Reference(r) => {
                at = r.end;
                out.push(r);
            }
            Scan::Unclosed | Scan::Other => at = start + 1,
        }
    }
    out
}

/// Expands every `${WEBHOOK_PAYLOAD…}` reference in `command` against `payload`, with the default
/// [`Limits`].
///
/// - Paths use dots and bracketed indices: `${WEBHOOK_PAYLOAD.commits.[0].author.name}`
///   (`[0]` right after a key and negative indices from the end work too).
/// - The `.0` form shown in Dagu's documentation still expands here, with a `dagu_numeric_segment`
///   warning: current Dagu leaves such a reference unresolved.
/// - A reference that does not resolve (missing key, index out of range, a key read from a
///   string…) stays exactly as written, with an `undefined_value` warning at its span.
/// - Strings are inserted raw, numbers as JSON writes them, booleans as `true`/`false`, `null` as
///   `<nil>`, objects and arrays as compact JSON. `${WEBHOOK_PAYLOAD}` and `$WEBHOOK_PAYLOAD` give
///   the whole payload as compact JSON.
/// - A value that would end its shell quoting (a `"` inside `"…"`, a space or `;` outside quotes…)
///   gets a `shell_metacharacters` warning: Dagu pastes values without escaping.
/// - Every other `${VAR}` / `$VAR` is left untouched.
pub fn expand(command: &str, payload: &Value) -> (String, Vec<Diagnostic>) {
    expand_with(command, payload, &Limits::default())
}

/// [`expand`] with explicit limits: output beyond `limits.output` bytes stops the expansion with a
/// `limit_exceeded` error (the text expanded so far is returned).
pub fn expand_with(command: &str, payload: &Value, limits: &Limits) -> (String, Vec<Diagnostic>) {
    let mut out = String::with_capacity(command.len());
    let mut diagnostics = Vec::new();
    let mut quotes = QuoteTracker::default();
    let mut whole: Option<String> = None;
    let mut at = 0;
    while let Some(found) = command[at..].find('$') {
        let start = at + found;
        let reference = match scan_reference(command, start) {
            Scan::Reference(r) => r,
            Scan::Unclosed => {
                diagnostics.push(Diagnostic::at(
                    Severity::Warning,
                    "syntax_error",
                    "`${WEBHOOK_PAYLOAD` is never closed with `}`; Dagu leaves the text as written",
                    command,
                    start,
                    command.len(),
                ));
                break;
            }
            Scan::Other => {
                quotes.advance(&command[at..=start]);
                out.push_str(&command[at..=start]);
                at = start + 1;
                continue;
            }
        };
        quotes.advance(&command[at..start]);
        out.push_str(&command[at..start]);
        let written = &command[start..reference.end];
        let value = resolve_reference(command, &reference, payload, &mut diagnostics, &mut whole);
        match value {
            Some(text) => {
                if let Some(problem) = quotes.unsafe_char(&text) {
                    diagnostics.push(Diagnostic::at(
                        Severity::Warning,
                        "shell_metacharacters",
                        problem,
                        command,
                        reference.start,
                        reference.end,
                    ));
                }
                out.push_str(&text);
            }
            None => out.push_str(written),
        }
        quotes.advance(written);
        at = reference.end;
        if out.len() > limits.output {
            diagnostics.push(limit_exceeded(command, &reference, limits));
            return (out, diagnostics);
        }
    }
    out.push_str(&command[at..]);
    if out.len() > limits.output {
        let end = command.len();
        let tail = Reference { start: end, end, path: String::new(), braced: true };
        diagnostics.push(limit_exceeded(command, &tail, limits));
    }
    (out, diagnostics)
}

fn limit_exceeded(command: &str, at: &Reference, limits: &Limits) -> Diagnostic {
    Diagnostic::at(
        Severity::Error,
        "limit_exceeded",
        format!("the expanded command is longer than {} bytes; expansion stopped here", limits.output),
        command,
        at.start,
        at.end,
    )
}

/// The text a reference expands to, or `None` when Dagu would leave it as written. Pushes the
/// diagnostics that belong to the reference.
fn resolve_reference(
    command: &str,
    reference: &Reference,
    payload: &Value,
    diagnostics: &mut Vec<Diagnostic>,
    whole: &mut Option<String>,
) -> Option<String> {
    let warn = |diagnostics: &mut Vec<Diagnostic>, code: &'static str, message: String| {
        diagnostics.push(Diagnostic::at(Severity::Warning, code, message, command, reference.start, reference.end));
    };
    if !reference.braced
        && let Some(rest) = command[reference.end..].strip_prefix('.')
        && rest.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '[')
    {
        warn(
            diagnostics,
            "dagu_unbraced_path",
            "without braces only `$WEBHOOK_PAYLOAD` is replaced (by the whole payload) and the path after it \
             stays as text; write `${WEBHOOK_PAYLOAD.…}`"
                .to_string(),
        );
    }
    if reference.path.is_empty() {
        return Some(whole.get_or_insert_with(|| compact(payload)).clone());
    }
    let segments = match parse_path(&reference.path) {
        Ok(segments) => segments,
        Err(reason) => {
            warn(
                diagnostics,
                "syntax_error",
                format!("Dagu cannot read the path `{}`: {reason}; the reference stays as written", reference.path),
            );
            return None;
        }
    };
    if segments.iter().any(|s| matches!(s, Segment::Numeric(..))) {
        warn(
            diagnostics,
            "dagu_numeric_segment",
            format!(
                "`.N` array indices are expanded here, but current Dagu leaves `${{{VARIABLE}{}}}` unresolved; \
                 write `${{{VARIABLE}{}}}`",
                reference.path,
                bracketed(&segments)
            ),
        );
    }
    match walk(payload, &segments) {
        Ok(value) => Some(display(value)),
        Err(reason) => {
            warn(
                diagnostics,
                "undefined_value",
                format!("`{VARIABLE}{}` does not resolve: {reason}; Dagu leaves it as written", reference.path),
            );
            None
        }
    }
}

enum Scan {
    Reference(Reference),
    /// `${WEBHOOK_PAYLOAD.` with no closing brace.
    Unclosed,
    /// Any other `$`.
    Other,
}

fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Looks at the `$` at byte `start`.
fn scan_reference(command: &str, start: usize) -> Scan {
    let rest = &command[start..];
    if let Some(after) = rest.strip_prefix("${").and_then(|r| r.strip_prefix(VARIABLE)) {
        let head = start + 2 + VARIABLE.len();
        if after.starts_with('}') {
            return Scan::Reference(Reference { start, end: head + 1, path: String::new(), braced: true });
        }
        if after.starts_with('.') {
            return match after.find('}') {
                Some(close) => Scan::Reference(Reference {
                    start,
                    end: head + close + 1,
                    path: after[..close].to_string(),
                    braced: true,
                }),
                None => Scan::Unclosed,
            };
        }
        return Scan::Other;
    }
    if let Some(after) = rest.strip_prefix('$').and_then(|r| r.strip_prefix(VARIABLE))
        && !after.starts_with(is_word)
    {
        let end = start + 1 + VARIABLE.len();
        return Scan::Reference(Reference { start, end, path: String::new(), braced: false });
    }
    Scan::Other
}

/// One step of a payload path.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    /// `.name`, `."name"` or `["name"]`.
    Key(String),
    /// `.[3]` or `[3]`; negative counts from the end.
    Index(i64),
    /// `.3`: an index in Dagu's documentation, a syntax error in current Dagu. Holds the digits.
    Numeric(String),
}

fn parse_path(path: &str) -> Result<Vec<Segment>, String> {
    let bytes = path.as_bytes();
    let mut segments = Vec::new();
    let mut i = 0;
    if path.is_empty() {
        return Ok(segments);
    }
    while i < bytes.len() {
        let dotted = bytes[i] == b'.';
        if dotted {
            i += 1;
        } else if bytes[i] != b'[' || segments.is_empty() {
            return Err(format!("expected `.` at `{}`", &path[i..]));
        }
        match bytes.get(i) {
            None => return Err("the path ends with `.`".to_string()),
            Some(b'[') => {
                let close = path[i..].find(']').ok_or("`[` is not closed with `]`")? + i;
                let inner = path[i + 1..close].trim();
                if let Some(key) = quoted(inner) {
                    segments.push(Segment::Key(key?));
                } else {
                    let index = inner.parse::<i64>().map_err(|_| format!("`[{inner}]` is not an array index"))?;
                    segments.push(Segment::Index(index));
                }
                i = close + 1;
            }
            Some(b'"') => {
                let close = path[i + 1..].find('"').ok_or("a quoted key is not closed")? + i + 1;
                segments.push(Segment::Key(unescaped(&path[i + 1..close])?));
                i = close + 1;
            }
            Some(c) if c.is_ascii_digit() => {
                let len = path[i..].find(|c: char| !c.is_ascii_digit()).unwrap_or(path.len() - i);
                segments.push(Segment::Numeric(path[i..i + len].to_string()));
                i += len;
            }
            Some(c) if c.is_ascii_alphabetic() || *c == b'_' => {
                let len = path[i..].find(|c: char| !is_word(c)).unwrap_or(path.len() - i);
                segments.push(Segment::Key(path[i..i + len].to_string()));
                i += len;
            }
            Some(_) => {
                let rest: String = path[i..].chars().take(12).collect();
                return Err(format!("unexpected `{rest}`; keys with other characters need quotes, as in .\"my-key\""));
            }
        }
    }
    Ok(segments)
}

/// `"key"` → `Some(Ok(key))`; anything not starting with a quote → `None`.
fn quoted(inner: &str) -> Option<Result<String, String>> {
    let body = inner.strip_prefix('"')?;
    Some(match body.strip_suffix('"') {
        Some(key) => unescaped(key),
        None => Err("a quoted key is not closed".to_string()),
    })
}

fn unescaped(key: &str) -> Result<String, String> {
    if key.contains('\\') {
        Err("escapes inside quoted keys are not supported".to_string())
    } else {
        Ok(key.to_string())
    }
}

/// The path with every `.N` rewritten as `.[N]`.
fn bracketed(segments: &[Segment]) -> String {
    let mut out = String::new();
    for segment in segments {
        match segment {
            Segment::Key(key)
                if !key.is_empty() && !key.starts_with(|c: char| c.is_ascii_digit()) && key.chars().all(is_word) =>
            {
                out.push('.');
                out.push_str(key);
            }
            Segment::Key(key) => {
                out.push_str(".\"");
                out.push_str(key);
                out.push('"');
            }
            Segment::Index(i) => out.push_str(&format!(".[{i}]")),
            Segment::Numeric(digits) => out.push_str(&format!(".[{digits}]")),
        }
    }
    out
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn walk<'a>(payload: &'a Value, segments: &[Segment]) -> Result<&'a Value, String> {
    let mut current = payload;
    let mut done = String::new();
    for segment in segments {
        let here = if done.is_empty() { "the payload".to_string() } else { format!("`{done}`") };
        current = match (segment, current) {
            (Segment::Key(key), Value::Object(map)) => {
                map.get(key).ok_or_else(|| format!("{here} has no key `{key}`"))?
            }
            (Segment::Numeric(digits), Value::Object(map)) => {
                map.get(digits).ok_or_else(|| format!("{here} has no key `{digits}`"))?
            }
            (Segment::Index(i), Value::Array(items)) => {
                let len = items.len() as i64;
                let at = if *i < 0 { len + i } else { *i };
                usize::try_from(at)
                    .ok()
                    .and_then(|at| items.get(at))
                    .ok_or_else(|| format!("index {i} is out of range ({here} has {})", items_count(items.len())))?
            }
            (Segment::Numeric(digits), Value::Array(items)) => {
                let len = items.len();
                digits
                    .parse::<usize>()
                    .ok()
                    .and_then(|at| items.get(at))
                    .ok_or_else(|| format!("index {digits} is out of range ({here} has {})", items_count(len)))?
            }
            (Segment::Key(key), other) => {
                return Err(format!("{here} is {}, so it has no key `{key}`", kind(other)));
            }
            (Segment::Index(i), other) => {
                return Err(format!("{here} is {}, not an array, so it has no index {i}", kind(other)));
            }
            (Segment::Numeric(d), other) => {
                return Err(format!("{here} is {}, so it has no element {d}", kind(other)));
            }
        };
        done.push_str(&bracketed(std::slice::from_ref(segment)));
    }
    Ok(current)
}

fn items_count(n: usize) -> String {
    if n == 1 { "1 item".to_string() } else { format!("{n} items") }
}

fn compact(value: &Value) -> String {
    // Serializing a `Value` cannot fail: its map keys are always strings.
    serde_json::to_string(value).unwrap_or_default()
}

/// How Dagu prints a resolved value.
fn display(value: &Value) -> String {
    match value {
        Value::Null => "<nil>".to_string(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Array(_) | Value::Object(_) => compact(value),
    }
}

/// Shell quoting state of the command text before a reference.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum Quote {
    #[default]
    None,
    Single,
    Double,
}

#[derive(Debug, Default)]
struct QuoteTracker {
    state: Quote,
    escaped: bool,
}

impl QuoteTracker {
    fn advance(&mut self, text: &str) {
        for c in text.chars() {
            if self.escaped {
                self.escaped = false;
                continue;
            }
            self.state = match (self.state, c) {
                (Quote::Single, '\'') => Quote::None,
                (Quote::Single, _) => Quote::Single,
                (state, '\\') => {
                    self.escaped = true;
                    state
                }
                (Quote::None, '\'') => Quote::Single,
                (Quote::None, '"') => Quote::Double,
                (Quote::Double, '"') => Quote::None,
                (state, _) => state,
            };
        }
    }

    /// Why `value` is unsafe at the current position, if it is.
    fn unsafe_char(&self, value: &str) -> Option<String> {
        let (bad, place): (&[char], &str) = match self.state {
            Quote::Single => (&['\''], "inside '…'"),
            Quote::Double => (&['"', '$', '`', '\\'], "inside \"…\""),
            Quote::None => (
                &[
                    ' ', '\t', '\n', '\r', ';', '&', '|', '<', '>', '(', ')', '$', '`', '\\', '"', '\'', '*', '?', '[',
                    '#', '~', '{',
                ],
                "outside quotes",
            ),
        };
        let c = value.chars().find(|c| bad.contains(c))?;
        let shown = match c {
            '\n' => "a newline".to_string(),
            '\r' => "a carriage return".to_string(),
            '\t' => "a tab".to_string(),
            ' ' => "a space".to_string(),
            c => format!("`{c}`"),
        };
        Some(format!(
            "the value contains {shown}, which the shell interprets {place}; Dagu inserts payload values without \
             escaping, so a sender could change the command"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn paths_parse() {
        assert_eq!(
            parse_path(".commits.[0].author.name").unwrap(),
            vec![
                Segment::Key("commits".into()),
                Segment::Index(0),
                Segment::Key("author".into()),
                Segment::Key("name".into())
            ]
        );
        assert_eq!(parse_path(".a[1]").unwrap(), vec![Segment::Key("a".into()), Segment::Index(1)]);
        assert_eq!(parse_path(".a.0").unwrap(), vec![Segment::Key("a".into()), Segment::Numeric("0".into())]);
        assert_eq!(parse_path(".\"my-key\"").unwrap(), vec![Segment::Key("my-key".into())]);
        assert_eq!(parse_path(".[\"x y\"]").unwrap(), vec![Segment::Key("x y".into())]);
        for bad in [".", ".a.", ".a-b", ".a..b", ".[x]", ".[1", ".\"open", ".a]"] {
            assert!(parse_path(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn references_and_tokens() {
        let refs =
            references("a ${WEBHOOK_PAYLOAD.x.[0].y} $WEBHOOK_PAYLOAD ${HOME} $WEBHOOK_PAYLOAD_2 ${WEBHOOK_PAYLOAD}");
        assert_eq!(refs.len(), 3);
        assert_eq!(refs[0].token(), "WEBHOOK_PAYLOAD.x.y");
        assert!(!refs[1].braced);
        assert_eq!(refs[2].token(), "WEBHOOK_PAYLOAD");
    }

    #[test]
    fn negative_index_and_limits() {
        let p = json!({"a": [1, 2, 3]});
        assert_eq!(expand("${WEBHOOK_PAYLOAD.a.[-1]}", &p).0, "3");
        let (_, d) = expand("${WEBHOOK_PAYLOAD.a.[-4]}", &p);
        assert_eq!(d[0].code, "undefined_value");
        let tight = Limits { output: 8, ..Limits::default() };
        let (out, d) = expand_with("${WEBHOOK_PAYLOAD} ${WEBHOOK_PAYLOAD}", &p, &tight);
        assert_eq!(out, r#"{"a":[1,2,3]}"#);
        assert_eq!(d.last().map(|d| d.code), Some("limit_exceeded"));
    }

    #[test]
    fn multibyte_text_is_kept() {
        let p = json!({"name": "Zoë"});
        let (out, d) = expand("écho « ${WEBHOOK_PAYLOAD.name} » $€ ${WEBHOOK_PAYLOAD.ünï}", &p);
        assert_eq!(out, "écho « Zoë » $€ ${WEBHOOK_PAYLOAD.ünï}");
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].code, "syntax_error");
    }
}
