//! Runtime values: JSON data seen the way Go's `text/template` sees `map[string]interface{}`.

use std::collections::BTreeMap;
use std::rc::Rc;

use super::gofmt::float_shortest;

/// Deepest nesting of arrays/objects a value may have (data or built by functions).
pub(crate) const MAX_VALUE_DEPTH: u32 = 200;

/// A template value.
#[derive(Debug, Clone)]
pub(crate) enum Val {
    /// Go's invalid `reflect.Value`: a missing map key. Prints as `<no value>`.
    Missing,
    /// A nil interface (JSON `null`). Prints as `<nil>` inside containers.
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(Rc<str>),
    Arr(Rc<List>),
    Map(Rc<Dict>),
}

/// An array with its cached nesting depth.
#[derive(Debug)]
pub(crate) struct List {
    pub items: Vec<Val>,
    pub depth: u32,
}

/// An object (a Go map: iterated and printed in sorted key order) with its cached depth and
/// the Go type it stands for.
#[derive(Debug)]
pub(crate) struct Dict {
    pub map: BTreeMap<String, Val>,
    pub depth: u32,
    pub shape: Shape,
}

/// The Go type behind an object, when the data comes typed (Grafana's template data);
/// JSON data and maps built by functions are [`Shape::Any`].
#[derive(Debug, Clone, Copy)]
pub(crate) enum Shape {
    /// `map[string]interface{}`: a missing key is `<no value>`.
    Any,
    /// `map[string]string` (Alertmanager's `KV`): a missing key is `""` (under
    /// `missingkey=zero`, and always for `index`).
    Strings,
    /// `map[string]float64`: a missing key is `0`; `nil` marks a nil map (JSON `null`).
    Floats { nil: bool },
    /// A Go struct: a missing field is an error, and JSON uses the struct's field tags.
    Struct(&'static StructDef),
}

/// A Go struct type: its name (for messages) and its fields in declaration order.
#[derive(Debug)]
pub(crate) struct StructDef {
    pub go_type: &'static str,
    pub fields: &'static [Field],
}

/// A struct field: the Go name (the key in the map), its JSON name (`None` for `json:"-"`)
/// and when `omitempty` drops it.
#[derive(Debug)]
pub(crate) struct Field {
    pub name: &'static str,
    pub json: Option<&'static str>,
    pub omit: Omit,
}

/// When a struct field is left out of JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Omit {
    /// No `omitempty`.
    Never,
    /// `omitempty` on a value: false, 0, "", empty map or slice.
    Empty,
    /// `omitempty` on a pointer: only nil (a pointer to 0 is written).
    Nil,
}

impl Dict {
    /// What looking up an absent key gives (Go's `missingkey=zero` for typed maps), or `None`
    /// when that is an error (a struct has no such field).
    pub(crate) fn absent(&self) -> Option<Val> {
        match self.shape {
            Shape::Any => Some(Val::Missing),
            Shape::Strings => Some(Val::str("")),
            Shape::Floats { .. } => Some(Val::Float(0.0)),
            Shape::Struct(_) => None,
        }
    }

    /// Go type name, for messages.
    pub(crate) fn go_type(&self) -> &'static str {
        match self.shape {
            Shape::Any => "map[string]interface {}",
            Shape::Strings => "template.KV",
            Shape::Floats { .. } => "map[string]float64",
            Shape::Struct(def) => def.go_type,
        }
    }
}

/// The value would nest deeper than [`MAX_VALUE_DEPTH`].
#[derive(Debug)]
pub(crate) struct TooDeep;

impl Val {
    pub(crate) fn str(s: impl Into<Rc<str>>) -> Val {
        Val::Str(s.into())
    }

    fn depth(&self) -> u32 {
        match self {
            Val::Arr(l) => l.depth,
            Val::Map(d) => d.depth,
            _ => 0,
        }
    }

    /// Builds an array, checking the nesting depth.
    pub(crate) fn list(items: Vec<Val>) -> Result<Val, TooDeep> {
        let depth = 1 + items.iter().map(Val::depth).max().unwrap_or(0);
        if depth > MAX_VALUE_DEPTH {
            return Err(TooDeep);
        }
        Ok(Val::Arr(Rc::new(List { items, depth })))
    }

    /// Builds an object, checking the nesting depth.
    pub(crate) fn dict(map: BTreeMap<String, Val>) -> Result<Val, TooDeep> {
        let depth = 1 + map.values().map(Val::depth).max().unwrap_or(0);
        if depth > MAX_VALUE_DEPTH {
            return Err(TooDeep);
        }
        Ok(Val::Map(Rc::new(Dict { map, depth, shape: Shape::Any })))
    }

    /// The same object typed as `shape` (other values are returned unchanged).
    pub(crate) fn shaped(self, shape: Shape) -> Val {
        match self {
            Val::Map(d) => {
                let d =
                    Rc::try_unwrap(d).unwrap_or_else(|d| Dict { map: d.map.clone(), depth: d.depth, shape: d.shape });
                Val::Map(Rc::new(Dict { shape, ..d }))
            }
            other => other,
        }
    }

    /// Converts JSON data.
    pub(crate) fn from_json(v: &serde_json::Value) -> Result<Val, TooDeep> {
        Self::from_json_at(v, 0)
    }

    fn from_json_at(v: &serde_json::Value, depth: u32) -> Result<Val, TooDeep> {
        if depth > MAX_VALUE_DEPTH {
            return Err(TooDeep);
        }
        Ok(match v {
            serde_json::Value::Null => Val::Null,
            serde_json::Value::Bool(b) => Val::Bool(*b),
            serde_json::Value::Number(n) => {
                if let Some(i) = n.as_i64() {
                    Val::Int(i)
                } else {
                    Val::Float(n.as_f64().unwrap_or(0.0))
                }
            }
            serde_json::Value::String(s) => Val::str(s.as_str()),
            serde_json::Value::Array(a) => {
                let items = a.iter().map(|x| Self::from_json_at(x, depth + 1)).collect::<Result<Vec<_>, _>>()?;
                Val::list(items)?
            }
            serde_json::Value::Object(o) => {
                let mut map = BTreeMap::new();
                for (k, x) in o {
                    map.insert(k.clone(), Self::from_json_at(x, depth + 1)?);
                }
                Val::dict(map)?
            }
        })
    }

    /// Go's truthiness: false, 0, nil, and empty strings/arrays/maps are false.
    pub(crate) fn truth(&self) -> bool {
        match self {
            Val::Missing | Val::Null => false,
            Val::Bool(b) => *b,
            Val::Int(i) => *i != 0,
            Val::Float(f) => *f != 0.0,
            Val::Str(s) => !s.is_empty(),
            Val::Arr(a) => !a.items.is_empty(),
            Val::Map(m) => !m.map.is_empty(),
        }
    }

    /// Go type name, for messages.
    pub(crate) fn type_name(&self) -> &'static str {
        match self {
            Val::Missing | Val::Null => "<nil>",
            Val::Bool(_) => "bool",
            Val::Int(_) => "int",
            Val::Float(_) => "float64",
            Val::Str(_) => "string",
            Val::Arr(_) => "[]interface {}",
            Val::Map(m) => m.go_type(),
        }
    }

    /// Missing values become nil when passed on (Go passes the zero interface).
    pub(crate) fn or_null(self) -> Val {
        match self {
            Val::Missing => Val::Null,
            v => v,
        }
    }

    /// Approximate size, used to charge steps for copies.
    pub(crate) fn shallow_len(&self) -> usize {
        match self {
            Val::Str(s) => s.len(),
            Val::Arr(a) => a.items.len(),
            Val::Map(m) => m.map.len(),
            _ => 1,
        }
    }
}

/// Appends Go's `%v` rendering of `v` (`fmt.Sprint` of one operand).
pub(crate) fn write_v(out: &mut String, v: &Val) {
    match v {
        Val::Missing => out.push_str("<no value>"),
        Val::Null => out.push_str("<nil>"),
        Val::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Val::Int(i) => out.push_str(&i.to_string()),
        Val::Float(f) => out.push_str(&float_shortest(*f)),
        Val::Str(s) => out.push_str(s),
        Val::Arr(a) => {
            out.push('[');
            for (i, x) in a.items.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                write_v(out, x);
            }
            out.push(']');
        }
        Val::Map(m) => {
            out.push_str("map[");
            for (i, (k, x)) in m.map.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                out.push_str(k);
                out.push(':');
                write_v(out, x);
            }
            out.push(']');
        }
    }
}

/// `%v` of one value as a string.
pub(crate) fn to_v(v: &Val) -> String {
    let mut s = String::new();
    write_v(&mut s, v);
    s
}

/// Error raised by JSON encoding.
#[derive(Debug)]
pub(crate) struct JsonError(pub String);

/// Go `encoding/json` output: compact when `indent` is `None`, else `MarshalIndent(v, "", indent)`.
pub(crate) fn to_json(v: &Val, indent: Option<&str>) -> Result<String, JsonError> {
    let mut out = String::new();
    write_json(&mut out, v, indent, 0)?;
    Ok(out)
}

fn newline(out: &mut String, indent: Option<&str>, level: usize) {
    if let Some(ind) = indent {
        out.push('\n');
        for _ in 0..level {
            out.push_str(ind);
        }
    }
}

fn write_json(out: &mut String, v: &Val, indent: Option<&str>, level: usize) -> Result<(), JsonError> {
    match v {
        Val::Missing | Val::Null => out.push_str("null"),
        Val::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Val::Int(i) => out.push_str(&i.to_string()),
        Val::Float(f) => out.push_str(&json_float(*f)?),
        Val::Str(s) => json_string(out, s),
        Val::Arr(a) => {
            if a.items.is_empty() {
                out.push_str("[]");
                return Ok(());
            }
            out.push('[');
            for (i, x) in a.items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, indent, level + 1);
                write_json(out, x, indent, level + 1)?;
            }
            newline(out, indent, level);
            out.push(']');
        }
        Val::Map(m) => {
            let entries: Vec<(&str, &Val)> = match m.shape {
                Shape::Floats { nil: true } if m.map.is_empty() => {
                    out.push_str("null");
                    return Ok(());
                }
                // A struct marshals its tagged fields in declaration order.
                Shape::Struct(def) => def
                    .fields
                    .iter()
                    .filter_map(|f| {
                        let v = m.map.get(f.name).unwrap_or(&Val::Null);
                        let omitted = match f.omit {
                            Omit::Never => false,
                            Omit::Empty => !v.truth(),
                            Omit::Nil => matches!(v, Val::Missing | Val::Null),
                        };
                        f.json.filter(|_| !omitted).map(|j| (j, v))
                    })
                    .collect(),
                _ => m.map.iter().map(|(k, v)| (k.as_str(), v)).collect(),
            };
            if entries.is_empty() {
                out.push_str("{}");
                return Ok(());
            }
            out.push('{');
            for (i, (k, x)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, indent, level + 1);
                json_string(out, k);
                out.push(':');
                if indent.is_some() {
                    out.push(' ');
                }
                write_json(out, x, indent, level + 1)?;
            }
            newline(out, indent, level);
            out.push('}');
        }
    }
    Ok(())
}

/// Go's float64 JSON encoding (`'f'` format, or `'e'` outside [1e-6, 1e21)).
pub(crate) fn json_float(f: f64) -> Result<String, JsonError> {
    if !f.is_finite() {
        return Err(JsonError(format!("json: unsupported value: {}", float_shortest(f))));
    }
    // Whole numbers below 2^53 print as integers (and skip float formatting); -0 keeps its sign.
    if f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0 && !(f == 0.0 && f.is_sign_negative()) {
        return Ok((f as i64).to_string());
    }
    let abs = f.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        // Rust's `{:e}` gives shortest digits like "1e21" / "1.5e-7"; Go writes "1e+21" / "1.5e-07"
        // and then trims the exponent's leading zero again for JSON.
        let s = format!("{f:e}");
        let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
        let (sign, digits) = match exp.strip_prefix('-') {
            Some(d) => ('-', d),
            None => ('+', exp),
        };
        return Ok(format!("{mant}e{sign}{digits}"));
    }
    // Shortest round-trip digits in plain notation.
    let s = format!("{f}");
    Ok(s)
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// The bytes [`json_string`] looks at twice: control characters, `"` `\` `<` `>` `&`, and E2,
/// the lead byte of U+2028 and U+2029 (E2 80 A8 / E2 80 A9 in UTF-8). Every other byte, of
/// ASCII or of a multi-byte character, is copied as is.
static SPECIAL: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = b < 0x20 || matches!(b as u8, b'"' | b'\\' | b'<' | b'>' | b'&' | 0xe2);
        b += 1;
    }
    table
};

/// The first byte at or after `i` that [`SPECIAL`] marks, or the end: eight bytes at a time
/// while none of them can be special, then one at a time.
fn plain_until(bytes: &[u8], mut i: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Whether some byte of `w` is below `n` (n ≤ 0x80); bytes of 0x80 and up never are.
    let below = |w: u64, n: u8| w.wrapping_sub(ONES * u64::from(n)) & !w & HIGH != 0;
    let has = |w: u64, b: u8| below(w ^ (ONES * u64::from(b)), 1);
    while let Some(chunk) = bytes.get(i..i + 8) {
        let Ok(word) = <[u8; 8]>::try_from(chunk) else { break };
        let w = u64::from_le_bytes(word);
        if below(w, 0x20) || has(w, b'"') || has(w, b'\\') || has(w, b'<') || has(w, b'>') || has(w, b'&') {
            break;
        }
        // E2 is the only special byte of 0x80 and up: test it only when the word has one.
        if w & HIGH != 0 && has(w, 0xe2) {
            break;
        }
        i += 8;
    }
    while i < bytes.len() && !SPECIAL[usize::from(bytes[i])] {
        i += 1;
    }
    i
}

/// Go's JSON string escaping with HTML escaping on (`<`, `>`, `&`, U+2028, U+2029).
pub(crate) fn json_string(out: &mut String, s: &str) {
    out.reserve(s.len() + 2);
    out.push('"');
    json_string_content(out, s);
    out.push('"');
}

/// [`json_string`] without the quotes.
pub(crate) fn json_string_content(out: &mut String, s: &str) {
    let bytes = s.as_bytes();
    let mut plain = 0;
    let mut i = 0;
    loop {
        i = plain_until(bytes, i);
        let Some(&b) = bytes.get(i) else { break };
        let wide = b == 0xe2 && bytes.get(i + 1) == Some(&0x80) && matches!(bytes.get(i + 2), Some(0xa8 | 0xa9));
        if b == 0xe2 && !wide {
            i += 1;
            continue;
        }
        out.push_str(&s[plain..i]);
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x08 => out.push_str("\\b"),
            0x0c => out.push_str("\\f"),
            b'<' => out.push_str("\\u003c"),
            b'>' => out.push_str("\\u003e"),
            b'&' => out.push_str("\\u0026"),
            0xe2 if bytes[i + 2] == 0xa8 => out.push_str("\\u2028"),
            0xe2 => out.push_str("\\u2029"),
            _ => {
                let v = if wide { 0x2000 | u32::from(bytes[i + 2] - 0x80) } else { u32::from(b) };
                out.push_str("\\u");
                for shift in [12, 8, 4, 0] {
                    out.push(HEX[((v >> shift) & 0xf) as usize] as char);
                }
            }
        }
        i += if wide { 3 } else { 1 };
        plain = i;
    }
    out.push_str(&s[plain..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_floats_print_as_before() {
        // The general path for these: shortest digits in plain notation.
        for f in [0.0f64, -0.0, 1.0, -1.0, 93.0, 1e15, 1e16, 1e20, 9_007_199_254_740_991.0, 9_007_199_254_740_992.0] {
            assert_eq!(json_float(f).unwrap(), format!("{f}"), "{f}");
        }
    }

    #[test]
    fn plain_runs_stop_at_every_special_byte() {
        for special in [0u8, 0x1f, b'"', b'\\', b'<', b'>', b'&', 0xe2] {
            for at in 0..20 {
                let mut bytes = vec![b'a'; 20];
                bytes[at] = special;
                assert_eq!(plain_until(&bytes, 0), at, "{special:#x} at {at}");
                for other in [0x20u8, 0x7f, 0x80, 0xe1, 0xe3, 0xff, b'!', b'=', b'?', b'[', b']', b'%'] {
                    let mut bytes = bytes.clone();
                    bytes[(at + 1) % 20] = other;
                    assert_eq!(plain_until(&bytes, 0), at, "{special:#x} at {at} next to {other:#x}");
                }
            }
        }
        assert_eq!(plain_until(&[0x80; 19], 0), 19);
    }

    #[test]
    fn json_strings_escape_like_go() {
        let mut out = String::new();
        json_string(&mut out, "a\"b\\c\n\u{1}<>&\u{2028}\u{2029}\u{2027}é\u{8}\u{c}\r\t");
        assert_eq!(
            out,
            r#""a\"b\\c\n\u0001\u003c\u003e\u0026\u2028\u2029\u{2027}é\b\f\r\t""#.replace("\\u{2027}", "\u{2027}")
        );
    }

    #[test]
    fn prints_like_go() {
        let v = Val::from_json(&serde_json::json!({"b": [1, "x", null, 1.5], "a": true})).unwrap();
        assert_eq!(to_v(&v), "map[a:true b:[1 x <nil> 1.5]]");
        assert_eq!(to_v(&Val::Float(1e6)), "1e+06");
        assert_eq!(to_v(&Val::Float(123456.0)), "123456");
        assert_eq!(to_v(&Val::Float(0.0001)), "0.0001");
        assert_eq!(to_v(&Val::Float(0.00001)), "1e-05");
    }

    #[test]
    fn json_like_go() {
        let v =
            Val::from_json(&serde_json::json!({"z": "<a&b>\u{2028}", "a": [1.0, 1e21, 1e-7, 0.5], "e": {}})).unwrap();
        assert_eq!(to_json(&v, None).unwrap(), r#"{"a":[1,1e+21,1e-7,0.5],"e":{},"z":"\u003ca\u0026b\u003e\u2028"}"#);
        let v = Val::from_json(&serde_json::json!({"a": [1], "b": []})).unwrap();
        assert_eq!(to_json(&v, Some("  ")).unwrap(), "{\n  \"a\": [\n    1\n  ],\n  \"b\": []\n}");
    }
}
