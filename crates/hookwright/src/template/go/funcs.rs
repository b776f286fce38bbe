//! Functions: Go's builtins, Alertmanager/Prometheus' template functions and the gomplate-style
//! namespaces Grafana adds (`coll`, `data`, `tmpl`).

use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::Arc;

use super::exec::{Exec, R, Tree};
use super::gofmt::{float_g, sprint, sprintf, sprintln};
use super::parser::{self, Span};
use super::value::{Val, to_json, to_v};

/// Name, minimum and maximum (None = variadic) argument count.
const FUNCS: &[(&str, usize, Option<usize>)] = &[
    // Go builtins.
    ("and", 1, None),
    ("or", 1, None),
    ("not", 1, Some(1)),
    ("eq", 1, None),
    ("ne", 2, Some(2)),
    ("lt", 2, Some(2)),
    ("le", 2, Some(2)),
    ("gt", 2, Some(2)),
    ("ge", 2, Some(2)),
    ("len", 1, Some(1)),
    ("index", 1, None),
    ("slice", 1, None),
    ("print", 0, None),
    ("printf", 1, None),
    ("println", 0, None),
    ("html", 0, None),
    ("js", 0, None),
    ("urlquery", 0, None),
    ("call", 1, None),
    // Alertmanager / Prometheus.
    ("toUpper", 1, Some(1)),
    ("toLower", 1, Some(1)),
    ("title", 1, Some(1)),
    ("trimSpace", 1, Some(1)),
    ("join", 2, Some(2)),
    ("match", 2, Some(2)),
    ("reReplaceAll", 3, Some(3)),
    ("safeHtml", 1, Some(1)),
    ("stringSlice", 0, None),
    ("humanize", 1, Some(1)),
    ("humanize1024", 1, Some(1)),
    ("humanizeDuration", 1, Some(1)),
    ("humanizePercentage", 1, Some(1)),
    ("humanizeTimestamp", 1, Some(1)),
    // Grafana's gomplate-style namespaces.
    ("coll.Dict", 0, None),
    ("coll.Slice", 0, None),
    ("coll.Append", 2, Some(2)),
    ("data.JSON", 1, Some(1)),
    ("data.ToJSON", 1, Some(1)),
    ("data.ToJSONPretty", 2, Some(2)),
    ("tmpl.Exec", 1, Some(2)),
    ("tmpl.Inline", 1, Some(3)),
];

/// Whether `name` is a known function (checked at parse time, as Go does).
pub(crate) fn is_function(name: &str) -> bool {
    FUNCS.iter().any(|(n, _, _)| *n == name)
}

/// Go's "wrong number of args" check.
pub(crate) fn check_arity(ex: &Exec, name: &str, argc: usize, span: Span) -> R<()> {
    let Some(&(_, min, max)) = FUNCS.iter().find(|(n, _, _)| *n == name) else {
        return Err(ex.fail("syntax_error", format!("function {name:?} not defined"), span));
    };
    let msg = match max {
        None if argc < min => format!("wrong number of args for {name}: want at least {min} got {argc}"),
        Some(max) if max == min && argc != min => format!("wrong number of args for {name}: want {min} got {argc}"),
        Some(max) if argc < min || argc > max => {
            format!("wrong number of args for {name}: want {min} to {max} got {argc}")
        }
        _ => return Ok(()),
    };
    Err(ex.fail("render_error", msg, span))
}

/// Numbers compare by value whether JSON made them ints or floats.
enum Basic<'a> {
    Bool(bool),
    Num(f64, Option<i64>),
    Str(&'a str),
    Nil,
    Other,
}

fn basic(v: &Val) -> Basic<'_> {
    match v {
        Val::Bool(b) => Basic::Bool(*b),
        Val::Int(i) => Basic::Num(*i as f64, Some(*i)),
        Val::Float(f) => Basic::Num(*f, None),
        Val::Str(s) => Basic::Str(s),
        Val::Missing | Val::Null => Basic::Nil,
        Val::Arr(_) | Val::Map(_) => Basic::Other,
    }
}

fn num_eq(a: f64, ai: Option<i64>, b: f64, bi: Option<i64>) -> bool {
    match (ai, bi) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

fn num_lt(a: f64, ai: Option<i64>, b: f64, bi: Option<i64>) -> bool {
    match (ai, bi) {
        (Some(x), Some(y)) => x < y,
        _ => a < b,
    }
}

const INCOMPATIBLE: &str = "incompatible types for comparison";
const BAD_TYPE: &str = "invalid type for comparison";

fn eq2(a: &Val, b: &Val) -> Result<bool, String> {
    Ok(match (basic(a), basic(b)) {
        (Basic::Bool(x), Basic::Bool(y)) => x == y,
        (Basic::Num(x, xi), Basic::Num(y, yi)) => num_eq(x, xi, y, yi),
        (Basic::Str(x), Basic::Str(y)) => x == y,
        (Basic::Nil, Basic::Nil) => true,
        (Basic::Nil, _) | (_, Basic::Nil) => false,
        (Basic::Other, Basic::Other) => return Err(format!("non-comparable type {}: {}", to_v(a), a.type_name())),
        _ => return Err(INCOMPATIBLE.into()),
    })
}

fn lt2(a: &Val, b: &Val) -> Result<bool, String> {
    match (basic(a), basic(b)) {
        (Basic::Nil | Basic::Other | Basic::Bool(_), _) | (_, Basic::Nil | Basic::Other) => Err(BAD_TYPE.into()),
        (Basic::Num(x, xi), Basic::Num(y, yi)) => Ok(num_lt(x, xi, y, yi)),
        (Basic::Str(x), Basic::Str(y)) => Ok(x < y),
        (_, Basic::Bool(_)) | (Basic::Num(..), Basic::Str(_)) | (Basic::Str(_), Basic::Num(..)) => {
            Err(INCOMPATIBLE.into())
        }
    }
}

fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\0' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

fn js_escape(s: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '"' => out.push_str("\\\""),
            '<' => out.push_str("\\u003C"),
            '>' => out.push_str("\\u003E"),
            '&' => out.push_str("\\u0026"),
            '=' => out.push_str("\\u003D"),
            c if (c as u32) < 0x20 => {
                out.push_str("\\u00");
                out.push(HEX[(c as u32 >> 4) as usize] as char);
                out.push(HEX[(c as u32 & 0xf) as usize] as char);
            }
            c if c.is_ascii() || super::gofmt::is_print(c) => out.push(c),
            c => out.push_str(&format!("\\u{:04X}", c as u32)),
        }
    }
    out
}

fn query_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            b' ' => out.push('+'),
            b => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// `cases.Title`: first letter of each word upper-cased, the rest lower-cased.
fn title(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_word = false;
    let mut prev_apostrophe_ok = false;
    for c in s.chars() {
        let wordish = c.is_alphanumeric() || c == '_';
        if wordish {
            if in_word {
                out.extend(c.to_lowercase());
            } else {
                out.extend(c.to_uppercase());
                in_word = true;
            }
            prev_apostrophe_ok = true;
        } else if (c == '\'' || c == '’') && in_word && prev_apostrophe_ok {
            // "it's" stays one word.
            out.push(c);
            prev_apostrophe_ok = false;
        } else {
            out.push(c);
            in_word = false;
            prev_apostrophe_ok = false;
        }
    }
    out
}

fn to_float(v: &Val) -> Result<f64, String> {
    match v {
        Val::Int(i) => Ok(*i as f64),
        Val::Float(f) => Ok(*f),
        Val::Str(s) => {
            let t = s.trim_start_matches('+');
            let lower = t.to_ascii_lowercase();
            let parsed = match lower.as_str() {
                "inf" | "infinity" => Some(if s.starts_with('-') { f64::NEG_INFINITY } else { f64::INFINITY }),
                "-inf" | "-infinity" => Some(f64::NEG_INFINITY),
                "nan" => Some(f64::NAN),
                _ if t.contains('_') || t.is_empty() => None,
                _ => t.parse::<f64>().ok(),
            };
            parsed.ok_or_else(|| format!("strconv.ParseFloat: parsing {:?}: invalid syntax", &**s))
        }
        Val::Missing | Val::Null => Err("can't convert <nil> to float".into()),
        other => Err(format!("can't convert {} to float", other.type_name())),
    }
}

fn g4(v: f64) -> String {
    float_g(v, Some(4), false)
}

fn humanize(v: f64) -> String {
    if v == 0.0 || !v.is_finite() {
        return g4(v);
    }
    let mut v = v;
    if v.abs() >= 1.0 {
        let mut prefix = "";
        for p in ["k", "M", "G", "T", "P", "E", "Z", "Y"] {
            if v.abs() < 1000.0 {
                break;
            }
            prefix = p;
            v /= 1000.0;
        }
        return format!("{}{prefix}", g4(v));
    }
    let mut prefix = "";
    for p in ["m", "u", "n", "p", "f", "a", "z", "y"] {
        if v.abs() >= 1.0 {
            break;
        }
        prefix = p;
        v *= 1000.0;
    }
    format!("{}{prefix}", g4(v))
}

fn humanize1024(v: f64) -> String {
    if v.abs() <= 1.0 || !v.is_finite() {
        return g4(v);
    }
    let mut v = v;
    let mut prefix = "";
    for p in ["ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"] {
        if v.abs() < 1024.0 {
            break;
        }
        prefix = p;
        v /= 1024.0;
    }
    format!("{}{prefix}", g4(v))
}

fn humanize_duration(v: f64) -> String {
    if !v.is_finite() {
        return g4(v);
    }
    if v == 0.0 {
        return format!("{}s", g4(v));
    }
    if v.abs() >= 1.0 {
        let (sign, v) = if v < 0.0 { ("-", -v) } else { ("", v) };
        let duration = v as i64;
        let seconds = duration % 60;
        let minutes = (duration / 60) % 60;
        let hours = (duration / 60 / 60) % 24;
        let days = duration / 60 / 60 / 24;
        if days != 0 {
            return format!("{sign}{days}d {hours}h {minutes}m {seconds}s");
        }
        if hours != 0 {
            return format!("{sign}{hours}h {minutes}m {seconds}s");
        }
        if minutes != 0 {
            return format!("{sign}{minutes}m {seconds}s");
        }
        return format!("{sign}{}s", g4(v));
    }
    let mut v = v;
    let mut prefix = "";
    for p in ["m", "u", "n", "p", "f", "a", "z", "y"] {
        if v.abs() >= 1.0 {
            break;
        }
        prefix = p;
        v *= 1000.0;
    }
    format!("{}{prefix}s", g4(v))
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Prometheus' `humanizeTimestamp`: Go's `time.Time.String()` in UTC, millisecond precision.
fn humanize_timestamp(v: f64) -> Result<String, String> {
    if !v.is_finite() {
        return Ok(g4(v));
    }
    let ns = v * 1e9;
    if ns > i64::MAX as f64 || ns < i64::MIN as f64 {
        return Err(format!(
            "{} cannot be represented as a nanoseconds timestamp since it overflows int64",
            super::gofmt::float_shortest(v)
        ));
    }
    let ms = (ns as i64) / 1_000_000;
    let secs = ms.div_euclid(1000);
    let frac_ms = ms.rem_euclid(1000);
    let days = secs.div_euclid(86_400);
    let sod = secs.rem_euclid(86_400);
    let (y, mo, d) = civil_from_days(days);
    let mut s = format!("{y:04}-{mo:02}-{d:02} {:02}:{:02}:{:02}", sod / 3600, (sod / 60) % 60, sod % 60);
    if frac_ms != 0 {
        let f = format!("{frac_ms:03}");
        s.push('.');
        s.push_str(f.trim_end_matches('0'));
    }
    s.push_str(" +0000 UTC");
    Ok(s)
}

impl Exec {
    fn render_err(&self, name: &str, msg: impl std::fmt::Display, span: Span) -> super::exec::ExecError {
        self.fail("render_error", format!("error calling {name}: {msg}"), span)
    }

    /// A list printed element by element (Go's `[]string` argument); missing or nil is empty.
    pub(crate) fn want_strings(&self, v: &Val, span: Span) -> R<Vec<String>> {
        match v {
            Val::Arr(a) => Ok(a
                .items
                .iter()
                .map(|x| match x {
                    Val::Str(s) => s.to_string(),
                    other => to_v(other),
                })
                .collect()),
            Val::Missing | Val::Null => Ok(Vec::new()),
            other => Err(self.fail(
                "render_error",
                format!("wrong type for value; expected []string; got {}", other.type_name()),
                span,
            )),
        }
    }

    fn want_str(&self, v: &Val, span: Span) -> R<Rc<str>> {
        match v {
            Val::Str(s) => Ok(s.clone()),
            Val::Missing => Err(self.fail("render_error", "invalid value; expected string", span)),
            other => Err(self.fail(
                "render_error",
                format!(
                    "wrong type for value; expected string; got {}",
                    if matches!(other, Val::Null) { "interface {}" } else { other.type_name() }
                ),
                span,
            )),
        }
    }

    fn new_string(&mut self, s: String, span: Span) -> R<Val> {
        self.check_size(s.len(), span)?;
        self.charge(s.len() as u64 / 64, span)?;
        Ok(Val::str(s))
    }

    fn new_list(&mut self, items: Vec<Val>, span: Span) -> R<Val> {
        self.charge(items.len() as u64 / 4, span)?;
        Val::list(items).map_err(|_| self.fail("limit_exceeded", "value nested too deeply", span))
    }

    /// Go's evalArgs for html/js/urlquery: one string is used as is, else `fmt.Sprint`.
    fn text_arg(args: &[Val]) -> String {
        match args {
            [Val::Str(s)] => s.to_string(),
            _ => sprint(args),
        }
    }

    /// Calls a function with evaluated arguments (arity already checked).
    pub(crate) fn call_builtin(&mut self, name: &str, args: Vec<Val>, span: Span) -> R<Val> {
        match name {
            "not" => Ok(Val::Bool(!args[0].truth())),
            "eq" => {
                if args.len() < 2 {
                    return Err(self.render_err(name, "missing argument for comparison", span));
                }
                for b in &args[1..] {
                    if eq2(&args[0], b).map_err(|e| self.render_err(name, e, span))? {
                        return Ok(Val::Bool(true));
                    }
                }
                Ok(Val::Bool(false))
            }
            "ne" => Ok(Val::Bool(!eq2(&args[0], &args[1]).map_err(|e| self.render_err(name, e, span))?)),
            "lt" | "le" | "gt" | "ge" => {
                let less = lt2(&args[0], &args[1]).map_err(|e| self.render_err(name, e, span))?;
                let le = less || eq2(&args[0], &args[1]).map_err(|e| self.render_err(name, e, span))?;
                Ok(Val::Bool(match name {
                    "lt" => less,
                    "le" => le,
                    "gt" => !le,
                    _ => !less,
                }))
            }
            "len" => match &args[0] {
                Val::Str(s) => Ok(Val::Int(s.len() as i64)),
                Val::Arr(a) => Ok(Val::Int(a.items.len() as i64)),
                Val::Map(m) => Ok(Val::Int(m.map.len() as i64)),
                Val::Missing | Val::Null => Err(self.render_err(name, "len of nil pointer", span)),
                other => Err(self.render_err(name, format!("len of type {}", other.type_name()), span)),
            },
            "index" => self.index(&args, span),
            "slice" => self.slice(&args, span),
            "print" => {
                let s = sprint(&args);
                self.new_string(s, span)
            }
            "println" => {
                let s = sprintln(&args);
                self.new_string(s, span)
            }
            "printf" => {
                let f = self.want_str(&args[0], span)?;
                let s = sprintf(&f, &args[1..]);
                self.new_string(s, span)
            }
            "html" => {
                let s = html_escape(&Self::text_arg(&args));
                self.new_string(s, span)
            }
            "js" => {
                let s = js_escape(&Self::text_arg(&args));
                self.new_string(s, span)
            }
            "urlquery" => {
                let s = query_escape(&Self::text_arg(&args));
                self.new_string(s, span)
            }
            "call" => Err(self.render_err(
                name,
                match &args[0] {
                    Val::Missing | Val::Null => "call of nil".to_string(),
                    v => format!("non-function of type {}", v.type_name()),
                },
                span,
            )),
            "toUpper" => {
                let s = self.want_str(&args[0], span)?.to_uppercase();
                self.new_string(s, span)
            }
            "toLower" => {
                let s = self.want_str(&args[0], span)?.to_lowercase();
                self.new_string(s, span)
            }
            "title" => {
                let s = title(&self.want_str(&args[0], span)?);
                self.new_string(s, span)
            }
            "trimSpace" => {
                let s = self.want_str(&args[0], span)?.trim().to_string();
                self.new_string(s, span)
            }
            "safeHtml" => Ok(Val::Str(self.want_str(&args[0], span)?)),
            "join" => {
                let sep = self.want_str(&args[0], span)?;
                let parts = self.want_strings(&args[1], span)?;
                let s = parts.join(&sep);
                self.new_string(s, span)
            }
            "stringSlice" => {
                let mut items = Vec::with_capacity(args.len());
                for a in &args {
                    items.push(Val::Str(self.want_str(a, span)?));
                }
                self.new_list(items, span)
            }
            "match" => {
                let pattern = self.want_str(&args[0], span)?;
                let text = self.want_str(&args[1], span)?;
                let re = self.regex(&pattern).map_err(|e| self.render_err(name, e, span))?;
                let mut budget = self.regex_budget();
                let start = budget;
                let r = re.is_match(&text, &mut budget);
                self.charge((start - budget) / 1000, span)?;
                match r {
                    Ok(b) => Ok(Val::Bool(b)),
                    Err(_) => {
                        Err(self.fail("limit_exceeded", "regular expression evaluation exceeded its budget", span))
                    }
                }
            }
            "reReplaceAll" => {
                let pattern = self.want_str(&args[0], span)?;
                let repl = self.want_str(&args[1], span)?;
                let text = self.want_str(&args[2], span)?;
                let re = self.regex(&pattern).map_err(|e| {
                    self.render_err(name, format!("regexp: Compile({}): {e}", super::gofmt::quote(&pattern)), span)
                })?;
                let mut budget = self.regex_budget();
                let start = budget;
                let r = re.replace_all(&text, &repl, &mut budget);
                self.charge((start - budget) / 1000, span)?;
                match r {
                    Ok(s) => self.new_string(s, span),
                    Err(_) => {
                        Err(self.fail("limit_exceeded", "regular expression evaluation exceeded its budget", span))
                    }
                }
            }
            "humanize" | "humanize1024" | "humanizeDuration" | "humanizePercentage" | "humanizeTimestamp" => {
                let v = to_float(&args[0]).map_err(|e| self.render_err(name, e, span))?;
                let s = match name {
                    "humanize" => humanize(v),
                    "humanize1024" => humanize1024(v),
                    "humanizeDuration" => humanize_duration(v),
                    "humanizePercentage" => format!("{}%", g4(v * 100.0)),
                    _ => humanize_timestamp(v).map_err(|e| self.render_err(name, e, span))?,
                };
                Ok(Val::str(s))
            }
            "coll.Dict" => {
                let mut map = BTreeMap::new();
                let mut it = args.into_iter();
                while let Some(k) = it.next() {
                    let key = match k {
                        Val::Str(s) => s.to_string(),
                        other => to_v(&other.or_null()),
                    };
                    let v = it.next().map_or(Val::str(""), Val::or_null);
                    map.insert(key, v);
                }
                self.charge(map.len() as u64 / 8, span)?;
                Val::dict(map).map_err(|_| self.fail("limit_exceeded", "value nested too deeply", span))
            }
            "coll.Slice" => {
                let items = args.into_iter().map(Val::or_null).collect();
                self.new_list(items, span)
            }
            "coll.Append" => {
                let mut it = args.into_iter();
                let v = it.next().unwrap_or(Val::Null).or_null();
                match it.next() {
                    Some(Val::Arr(a)) => {
                        let mut items = Vec::with_capacity(a.items.len() + 1);
                        items.extend(a.items.iter().cloned());
                        items.push(v);
                        self.new_list(items, span)
                    }
                    Some(other) => Err(self.render_err(
                        name,
                        format!("expected an array or slice, but got {}", other.or_null().type_name()),
                        span,
                    )),
                    None => Err(self.render_err(name, "missing list", span)),
                }
            }
            "data.JSON" => {
                let s = self.want_str(&args[0], span)?;
                self.charge(s.len() as u64 / 64, span)?;
                let parsed: serde_json::Value = serde_json::from_str(&s)
                    .map_err(|e| self.render_err(name, format!("unable to parse JSON: {e}"), span))?;
                Val::from_json(&parsed).map_err(|_| self.fail("limit_exceeded", "value nested too deeply", span))
            }
            "data.ToJSON" => {
                let s = to_json(&args[0], None).map_err(|e| self.render_err(name, e.0, span))?;
                self.new_string(s, span)
            }
            "data.ToJSONPretty" => {
                let indent = self.want_str(&args[0], span)?;
                if indent.len() > 64 {
                    return Err(self.render_err(name, "indent is too long", span));
                }
                let s = to_json(&args[1], Some(&indent)).map_err(|e| self.render_err(name, e.0, span))?;
                self.new_string(s, span)
            }
            _ => Err(self.fail("syntax_error", format!("function {name:?} not defined"), span)),
        }
    }

    /// `tmpl.Exec name [context]`: a named template rendered to a string. Kept out of
    /// `call_builtin` so the recursive path through it uses little stack.
    #[inline(never)]
    pub(crate) fn tmpl_exec(&mut self, args: Vec<Val>, span: Span) -> R<Val> {
        let name = "tmpl.Exec";
        let tname = self.want_str(&args[0], span)?;
        let ctx = args.get(1).cloned().unwrap_or(Val::Null);
        let Some(tree) = self.trees.get(&*tname).cloned() else {
            return Err(self.render_err(name, format!("template {:?} not defined", &*tname), span));
        };
        let s = self.exec_to_string(&tree, ctx, span)?;
        self.new_string(s, span)
    }

    /// `tmpl.Inline [name] text [context]`: parses and renders template text.
    #[inline(never)]
    pub(crate) fn tmpl_inline(&mut self, args: Vec<Val>, span: Span) -> R<Val> {
        let name = "tmpl.Inline";
        let (text, ctx) = match args.len() {
            1 => (self.want_str(&args[0], span)?, self.root.clone()),
            2 => (self.want_str(&args[0], span)?, args[1].clone()),
            _ => (self.want_str(&args[1], span)?, args[2].clone()),
        };
        self.charge(text.len() as u64 / 16, span)?;
        let parsed = parser::parse(&text).map_err(|e| {
            let (line, col) = crate::template::line_column(&text, e.start);
            self.render_err(name, format!("template: <inline>:{line}:{col}: {}", e.message), span)
        })?;
        for d in parsed.defines {
            if parser::is_empty_body(&d.body) && self.trees.contains_key(&d.name) {
                continue;
            }
            Arc::make_mut(&mut self.trees)
                .insert(d.name.clone(), Arc::new(Tree { name: d.name, root: d.body, user: false }));
        }
        let tree = Arc::new(Tree { name: "<inline>".into(), root: parsed.main, user: false });
        let s = self.exec_to_string(&tree, ctx, span)?;
        self.new_string(s, span)
    }

    fn regex_budget(&self) -> u64 {
        self.steps_left().saturating_mul(1000).min(5_000_000)
    }

    fn index_arg(&self, name: &str, v: &Val, cap: usize, span: Span) -> R<usize> {
        let x: i64 = match v {
            Val::Int(i) => *i,
            Val::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => *f as i64,
            Val::Missing | Val::Null => return Err(self.render_err(name, "cannot index slice/array with nil", span)),
            other => {
                return Err(self.render_err(
                    name,
                    format!("cannot index slice/array with type {}", other.type_name()),
                    span,
                ));
            }
        };
        if x < 0 || x as u64 > cap as u64 {
            return Err(self.render_err(name, format!("index out of range: {x}"), span));
        }
        Ok(x as usize)
    }

    fn index(&mut self, args: &[Val], span: Span) -> R<Val> {
        let name = "index";
        let mut item = args[0].clone();
        if matches!(item, Val::Missing | Val::Null) {
            return Err(self.render_err(name, "index of untyped nil", span));
        }
        for idx in &args[1..] {
            item = match &item {
                Val::Missing | Val::Null => return Err(self.render_err(name, "index of nil pointer", span)),
                Val::Arr(a) => {
                    let x = self.index_arg(name, idx, a.items.len(), span)?;
                    match a.items.get(x) {
                        Some(v) => v.clone(),
                        None => return Err(self.render_err(name, format!("index out of range: {x}"), span)),
                    }
                }
                Val::Str(s) => {
                    let x = self.index_arg(name, idx, s.len(), span)?;
                    match s.as_bytes().get(x) {
                        Some(b) => Val::Int(i64::from(*b)),
                        None => return Err(self.render_err(name, format!("index out of range: {x}"), span)),
                    }
                }
                Val::Map(m) => match idx {
                    // Go's index gives the element type's zero value for an absent key.
                    Val::Str(k) => m.map.get(&**k).cloned().unwrap_or_else(|| m.absent().unwrap_or(Val::Missing)),
                    Val::Missing | Val::Null => {
                        return Err(self.render_err(name, "value is nil; should be of type string", span));
                    }
                    other => {
                        return Err(self.render_err(
                            name,
                            format!("value has type {}; should be string", other.type_name()),
                            span,
                        ));
                    }
                },
                other => {
                    return Err(self.render_err(name, format!("can't index item of type {}", other.type_name()), span));
                }
            };
        }
        Ok(item)
    }

    fn slice(&mut self, args: &[Val], span: Span) -> R<Val> {
        let name = "slice";
        let item = &args[0];
        let idx = &args[1..];
        if matches!(item, Val::Missing | Val::Null) {
            return Err(self.render_err(name, "slice of untyped nil", span));
        }
        if idx.len() > 3 {
            return Err(self.render_err(name, format!("too many slice indexes: {}", idx.len()), span));
        }
        let len = match item {
            Val::Str(s) => {
                if idx.len() == 3 {
                    return Err(self.render_err(name, "cannot 3-index slice a string", span));
                }
                s.len()
            }
            Val::Arr(a) => a.items.len(),
            other => {
                return Err(self.render_err(name, format!("can't slice item of type {}", other.type_name()), span));
            }
        };
        let mut bounds = [0usize, len, len];
        for (i, v) in idx.iter().enumerate() {
            bounds[i] = self.index_arg(name, v, len, span)?;
        }
        if bounds[0] > bounds[1] {
            return Err(self.render_err(name, format!("invalid slice index: {} > {}", bounds[0], bounds[1]), span));
        }
        if idx.len() == 3 && bounds[1] > bounds[2] {
            return Err(self.render_err(name, format!("invalid slice index: {} > {}", bounds[1], bounds[2]), span));
        }
        match item {
            Val::Str(s) => {
                let bytes = s.as_bytes().get(bounds[0]..bounds[1]).unwrap_or(&[]);
                let out = String::from_utf8_lossy(bytes).into_owned();
                self.new_string(out, span)
            }
            Val::Arr(a) => {
                let items = a.items.get(bounds[0]..bounds[1]).unwrap_or(&[]).to_vec();
                self.new_list(items, span)
            }
            _ => Ok(Val::Missing),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn humanizers() {
        assert_eq!(humanize(1234567.0), "1.235M");
        assert_eq!(humanize(0.00123), "1.23m");
        assert_eq!(humanize(0.0), "0");
        assert_eq!(humanize1024(1048576.0), "1Mi");
        assert_eq!(humanize_duration(899.99), "14m 59s");
        assert_eq!(humanize_duration(0.0015), "1.5ms");
        assert_eq!(humanize_duration(90061.0), "1d 1h 1m 1s");
        assert_eq!(format!("{}%", g4(0.1234567 * 100.0)), "12.35%");
        assert_eq!(humanize_timestamp(1435065584.128).unwrap(), "2015-06-23 13:19:44.128 +0000 UTC");
        assert_eq!(humanize_timestamp(0.0).unwrap(), "1970-01-01 00:00:00 +0000 UTC");
    }

    #[test]
    fn escapes() {
        assert_eq!(html_escape("<a href='x'>&\"</a>"), "&lt;a href=&#39;x&#39;&gt;&amp;&#34;&lt;/a&gt;");
        assert_eq!(js_escape("a'b\"<=>\n"), "a\\'b\\\"\\u003C\\u003D\\u003E\\u000A");
        assert_eq!(query_escape("a b&c=d/é"), "a+b%26c%3Dd%2F%C3%A9");
        assert_eq!(title("hello wORLD it's foo-bar"), "Hello World It's Foo-Bar");
    }
}
