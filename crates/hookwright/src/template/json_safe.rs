//! Keeping a JSON body valid while values are inserted into it, and telling where a broken body
//! went wrong in the template.
//!
//! Three pieces:
//! - [`StringState`] follows the template's literal text and tells whether an insertion point sits
//!   inside a JSON string literal (`"text": "{{ x }}"`) or outside any string (`"n": {{ x }}`).
//! - [`escape_str_into`] and [`write_json`] turn an inserted value into JSON string content or a
//!   JSON value.
//! - [`OutputMap`] remembers which template bytes produced which output bytes, so that
//!   [`check_json`] can point an `invalid_json_output` diagnostic at the template.

use super::{Diagnostic, Severity};

/// Where an insertion point sits in a JSON body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Slot {
    /// Inside a string literal: the value becomes escaped string content.
    InString,
    /// Outside any string: the value becomes a JSON value.
    Value,
    /// The body is not JSON: the value is inserted as text.
    Text,
}

/// Whether the JSON text seen so far has left a string literal open.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct StringState {
    in_string: bool,
    escaped: bool,
}

impl StringState {
    /// Follows `text`, a piece of the body's literal text.
    pub(crate) fn advance(&mut self, text: &str) {
        for b in text.bytes() {
            if !self.in_string {
                self.in_string = b == b'"';
            } else if self.escaped {
                self.escaped = false;
            } else if b == b'\\' {
                self.escaped = true;
            } else if b == b'"' {
                self.in_string = false;
            }
        }
    }

    /// The slot of a value inserted here.
    pub(crate) fn slot(&self) -> Slot {
        if self.in_string { Slot::InString } else { Slot::Value }
    }
}

/// Appends `s` escaped as the content of a JSON string: `"` and `\` get a backslash, `\n`, `\r`,
/// `\t`, `\b` and `\f` their short escapes, other control characters `\u00XX`; everything else,
/// emoji and `</script>` included, is kept as is.
pub(crate) fn escape_str_into(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bytes = s.as_bytes();
    let mut plain = 0;
    let mut i = 0;
    loop {
        while i < bytes.len() && !ESCAPED[usize::from(bytes[i])] {
            i += 1;
        }
        let Some(&b) = bytes.get(i) else { break };
        out.push_str(&s[plain..i]);
        i += 1;
        plain = i;
        let short = match b {
            b'"' => '"',
            b'\\' => '\\',
            b'\n' => 'n',
            b'\r' => 'r',
            b'\t' => 't',
            0x08 => 'b',
            0x0c => 'f',
            _ => {
                out.push_str("\\u00");
                out.push(HEX[usize::from(b >> 4)] as char);
                out.push(HEX[usize::from(b & 15)] as char);
                continue;
            }
        };
        out.push('\\');
        out.push(short);
    }
    out.push_str(&s[plain..]);
}

/// The bytes [`escape_str_into`] escapes: control characters, `"` and `\`.
static ESCAPED: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = b < 0x20 || b == b'"' as usize || b == b'\\' as usize;
        b += 1;
    }
    table
};

/// `s` as a quoted JSON string.
pub(crate) fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    escape_str_into(&mut out, s);
    out.push('"');
    out
}

/// How deep [`write_json`] descends into nested values before giving up.
const MAX_DEPTH: usize = 128;

/// Appends a minijinja value as compact JSON: none and undefined are `null`, numbers as JSON
/// numbers (non-finite floats become `null`), sequences and iterables arrays, maps objects (keys
/// that are not strings are written as their text). Fails on values nested deeper than 128 levels
/// or that the engine reports as invalid.
pub(crate) fn write_json(out: &mut String, value: &minijinja::Value) -> Result<(), String> {
    write_json_at(out, value, 0)
}

fn write_json_at(out: &mut String, value: &minijinja::Value, depth: usize) -> Result<(), String> {
    use minijinja::value::ValueKind;
    if depth > MAX_DEPTH {
        return Err(format!("the value is nested deeper than {MAX_DEPTH} levels"));
    }
    match value.kind() {
        ValueKind::Undefined | ValueKind::None => out.push_str("null"),
        ValueKind::Bool => out.push_str(if value.is_true() { "true" } else { "false" }),
        ValueKind::Number => write_number(out, value),
        ValueKind::String => {
            out.push('"');
            escape_str_into(out, value.as_str().unwrap_or_default());
            out.push('"');
        }
        ValueKind::Bytes => {
            let text = String::from_utf8_lossy(value.as_bytes().unwrap_or_default());
            out.push_str(&quote(&text));
        }
        ValueKind::Map => {
            out.push('{');
            let keys = value.try_iter().map_err(|e| e.to_string())?;
            for (i, key) in keys.enumerate() {
                if i > 0 {
                    out.push(',');
                }
                match key.as_str() {
                    Some(k) => out.push_str(&quote(k)),
                    None => out.push_str(&quote(&key.to_string())),
                }
                out.push(':');
                let item = value.get_item(&key).map_err(|e| e.to_string())?;
                write_json_at(out, &item, depth + 1)?;
            }
            out.push('}');
        }
        ValueKind::Seq | ValueKind::Iterable => {
            out.push('[');
            let items = value.try_iter().map_err(|e| e.to_string())?;
            for (i, item) in items.enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json_at(out, &item, depth + 1)?;
            }
            out.push(']');
        }
        ValueKind::Plain => out.push_str(&quote(&value.to_string())),
        ValueKind::Invalid => return Err(value.to_string()),
        // `ValueKind` is non-exhaustive: a future kind is written as its text.
        _ => out.push_str(&quote(&value.to_string())),
    }
    Ok(())
}

fn write_number(out: &mut String, value: &minijinja::Value) {
    if value.is_integer() {
        // Integers print the same in minijinja and JSON (i128/u128 included).
        out.push_str(&value.to_string());
        return;
    }
    match f64::try_from(value.clone()).ok().and_then(serde_json::Number::from_f64) {
        Some(n) => out.push_str(&n.to_string()),
        None => out.push_str("null"),
    }
}

/// What produced a run of output bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Origin {
    /// Literal template text copied from this byte offset on.
    Literal(usize),
    /// A value inserted by the expression spanning these template bytes.
    Expr(usize, usize),
    /// Output whose origin is not known (a filter block's text, say).
    Unknown,
}

/// Which template bytes produced which output bytes, in output order.
#[derive(Debug, Default, Clone)]
pub(crate) struct OutputMap {
    /// `(output start, origin)`, sorted by output start.
    runs: Vec<(usize, Origin)>,
}

impl OutputMap {
    /// Records that output from byte `at` on was produced by `origin`.
    pub(crate) fn push(&mut self, at: usize, origin: Origin) {
        if let Some(last) = self.runs.last_mut()
            && last.0 == at
        {
            last.1 = origin;
            return;
        }
        self.runs.push((at, origin));
    }

    #[cfg(test)]
    pub(crate) fn runs_for_test(&self) -> Vec<(usize, Origin)> {
        self.runs.clone()
    }

    /// The template span `(start, end)` that produced output byte `at`.
    pub(crate) fn source_span(&self, at: usize) -> (usize, usize) {
        let i = self.runs.partition_point(|(start, _)| *start <= at);
        // Walk back over runs of unknown origin to the nearest known one.
        for (start, origin) in self.runs[..i].iter().rev() {
            match *origin {
                Origin::Literal(src) => {
                    let here = src + (at - start);
                    return (here, here + 1);
                }
                Origin::Expr(s, e) => return (s, e),
                Origin::Unknown => {}
            }
        }
        (0, 0)
    }
}

/// Parses `output` as JSON. When it is not valid, returns an `invalid_json_output` error placed
/// at the template position that produced the offending byte (`map` translates output offsets).
/// When the parser wanted a comma, the diagnostic points just after the value that needs one.
/// The map is asked for only when the output is not valid.
pub(crate) fn check_json(output: &str, source: &str, map: impl FnOnce() -> OutputMap) -> Option<Diagnostic> {
    let err = validate(output).err()?;
    let map = map();
    let at = output_offset(output, err.line(), err.column());
    let text = err.to_string();
    let what = text.rsplit_once(" at line ").map_or(text.as_str(), |(m, _)| m);
    let (line, column) = super::line_column(output, at);
    let wants_comma = what.starts_with("expected `,`");
    let trailing_comma = what == "trailing comma";
    // The last output byte before the offending one that is not whitespace.
    let last = output[..at].trim_end().len().checked_sub(1);
    let (start, end) = match last {
        // A missing comma goes right after the value before it.
        Some(last) if wants_comma => {
            let (s, e) = map.source_span(last);
            if e == s + 1 { (e, e) } else { (s, e) }
        }
        // A trailing comma is the byte before the closing bracket.
        Some(last) if trailing_comma => map.source_span(last),
        _ => map.source_span(at),
    };
    let hint = if wants_comma { "; a comma is probably missing after this" } else { "" };
    Some(Diagnostic::at(
        Severity::Error,
        "invalid_json_output",
        format!("the rendered body is not valid JSON: {what} (output line {line}, column {column}){hint}"),
        source,
        start,
        end,
    ))
}

/// Parses `text` as JSON exactly as `serde_json::from_str::<Value>` does (same errors, same
/// positions) without building the value.
pub(crate) fn validate(text: &str) -> Result<(), serde_json::Error> {
    serde_json::from_str::<Valid>(text).map(|_| ())
}

/// Any JSON value, parsed and dropped.
struct Valid;

impl<'de> serde::Deserialize<'de> for Valid {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Valid, D::Error> {
        d.deserialize_any(Valid)
    }
}

impl<'de> serde::de::Visitor<'de> for Valid {
    type Value = Valid;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any valid JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<Valid, E> {
        Ok(Valid)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Valid, E> {
        Ok(Valid)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Valid, E> {
        Ok(Valid)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Valid, E> {
        Ok(Valid)
    }
    fn visit_str<E>(self, _: &str) -> Result<Valid, E> {
        Ok(Valid)
    }
    fn visit_unit<E>(self) -> Result<Valid, E> {
        Ok(Valid)
    }
    fn visit_none<E>(self) -> Result<Valid, E> {
        Ok(Valid)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Valid, D::Error> {
        d.deserialize_any(Valid)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Valid, A::Error> {
        while seq.next_element::<Valid>()?.is_some() {}
        Ok(Valid)
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Valid, A::Error> {
        while map.next_entry::<Valid, Valid>()?.is_some() {}
        Ok(Valid)
    }
}

/// Byte offset in `text` of serde_json's 1-based `line` and `column` (column counts bytes; the
/// offending byte is the one before it, or the end of the text).
fn output_offset(text: &str, line: usize, column: usize) -> usize {
    let line_start =
        if line <= 1 { 0 } else { text.match_indices('\n').nth(line - 2).map_or(text.len(), |(i, _)| i + 1) };
    let mut at = (line_start + column.saturating_sub(1)).min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_state_follows_escapes() {
        let mut s = StringState::default();
        s.advance(r#"{"a": "x\"y"#);
        assert_eq!(s.slot(), Slot::InString);
        s.advance(r#"\\", "n": "#);
        assert_eq!(s.slot(), Slot::Value);
    }

    #[test]
    fn escaping() {
        let mut out = String::new();
        escape_str_into(&mut out, "a\"b\\c\nd\u{1}\u{1f}é😀</script>\t");
        assert_eq!(out, r#"a\"b\\c\nd\u0001\u001fé😀</script>\t"#);
        let back: String = serde_json::from_str(&format!("\"{out}\"")).unwrap();
        assert_eq!(back, "a\"b\\c\nd\u{1}\u{1f}é😀</script>\t");
    }

    #[test]
    fn values_as_json() {
        let mut out = String::new();
        let v = minijinja::Value::from(vec![
            minijinja::Value::from(1),
            minijinja::Value::from(1.5),
            minijinja::Value::from(f64::NAN),
            minijinja::Value::from("q\""),
            minijinja::Value::from(()),
            minijinja::Value::from(true),
        ]);
        write_json(&mut out, &v).unwrap();
        assert_eq!(out, r#"[1,1.5,null,"q\"",null,true]"#);
    }

    #[test]
    fn offsets_from_serde_positions() {
        let text = "{\n  \"é\": 1\n  \"b\": 2\n}";
        let err = serde_json::from_str::<serde_json::Value>(text).unwrap_err();
        let at = output_offset(text, err.line(), err.column());
        assert_eq!(&text[at..at + 3], "\"b\"");
    }

    #[test]
    fn validation_agrees_with_value_parsing() {
        for text in
            ["{\"a\": [1, 2.5, -3e400]}", "[\"\\ud800\"]", "{\"a\" 1}", "[1,]", "1 2", "\"\u{1}\"", "", "{\"a\":{}}"]
        {
            let by_value = serde_json::from_str::<serde_json::Value>(text).map(|_| ()).map_err(|e| e.to_string());
            assert_eq!(validate(text).map_err(|e| e.to_string()), by_value, "{text}");
        }
    }
}
