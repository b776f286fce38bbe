//! Go's `fmt` package, the parts templates use: `%v` of floats, `Sprint`, `Sprintln`,
//! `Sprintf` with the common verbs, flags, width and precision, and `strconv.Quote`.

use super::value::{Val, to_v, write_v};

/// Decimal digits of |f| (no leading zeros, trailing zeros trimmed) and the decimal point
/// position: value = 0.d1d2d3… × 10^dp. Zero has no digits and dp 0.
fn decimal(f: f64, sig: Option<usize>) -> (Vec<u8>, i32) {
    let a = f.abs();
    if a == 0.0 {
        return (Vec::new(), 0);
    }
    let s = match sig {
        None => format!("{a:e}"),
        Some(n) => format!("{:.*e}", n.saturating_sub(1), a),
    };
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let mut digits: Vec<u8> = mant.bytes().filter(u8::is_ascii_digit).collect();
    while digits.len() > 1 && digits.last() == Some(&b'0') {
        digits.pop();
    }
    if digits == [b'0'] {
        return (Vec::new(), 0);
    }
    (digits, exp + 1)
}

fn fmt_e(digits: &[u8], dp: i32, prec: usize, upper: bool) -> String {
    let mut s = String::new();
    s.push(digits.first().map_or('0', |&d| d as char));
    if prec > 0 {
        s.push('.');
        for i in 1..=prec {
            s.push(digits.get(i).map_or('0', |&d| d as char));
        }
    }
    s.push(if upper { 'E' } else { 'e' });
    let exp = if digits.is_empty() { 0 } else { dp - 1 };
    s.push(if exp < 0 { '-' } else { '+' });
    let e = exp.unsigned_abs();
    if e < 10 {
        s.push('0');
    }
    s.push_str(&e.to_string());
    s
}

fn fmt_f(digits: &[u8], dp: i32, prec: usize) -> String {
    let mut s = String::new();
    if dp > 0 {
        for i in 0..dp as usize {
            s.push(digits.get(i).map_or('0', |&d| d as char));
        }
    } else {
        s.push('0');
    }
    if prec > 0 {
        s.push('.');
        for i in 0..prec as i64 {
            let idx = dp as i64 + i;
            let d = if idx < 0 { b'0' } else { digits.get(idx as usize).copied().unwrap_or(b'0') };
            s.push(d as char);
        }
    }
    s
}

fn special(f: f64) -> Option<&'static str> {
    if f.is_nan() {
        Some("NaN")
    } else if f.is_infinite() {
        Some(if f > 0.0 { "+Inf" } else { "-Inf" })
    } else {
        None
    }
}

/// `%g` with an optional precision (None = shortest), sign included.
pub(crate) fn float_g(f: f64, prec: Option<usize>, upper: bool) -> String {
    if let Some(s) = special(f) {
        return s.into();
    }
    let neg = f.is_sign_negative();
    let shortest = prec.is_none();
    let p = prec.map(|p| p.max(1));
    let (digits, dp) = decimal(f, p);
    let nd = digits.len() as i32;
    let mut prec = p.map_or(nd, |p| p as i32);
    let mut eprec = prec;
    if eprec > nd && nd >= dp {
        eprec = nd;
    }
    if shortest {
        eprec = 6;
    }
    let exp = dp - 1;
    let body = if !digits.is_empty() && (exp < -4 || exp >= eprec) {
        if prec > nd {
            prec = nd;
        }
        fmt_e(&digits, dp, (prec - 1).max(0) as usize, upper)
    } else {
        if prec > dp {
            prec = nd;
        }
        fmt_f(&digits, dp, (prec - dp).max(0) as usize)
    };
    if neg { format!("-{body}") } else { body }
}

/// `%e` with precision.
pub(crate) fn float_e(f: f64, prec: usize, upper: bool) -> String {
    if let Some(s) = special(f) {
        return s.into();
    }
    let (digits, dp) = decimal(f, Some(prec + 1));
    let body = fmt_e(&digits, dp, prec, upper);
    if f.is_sign_negative() { format!("-{body}") } else { body }
}

/// `%f` with precision.
pub(crate) fn float_f(f: f64, prec: usize) -> String {
    if let Some(s) = special(f) {
        return s.into();
    }
    let prec = prec.min(1000);
    format!("{f:.prec$}")
}

/// Go's `%v` for float64: `%g` with the shortest round-trip digits, in exponent form when the
/// decimal exponent is below -4 or at least 6 (`1e+06`), as `strconv.FormatFloat(f, 'g', -1, 64)`.
pub(crate) fn float_shortest(f: f64) -> String {
    float_g(f, None, false)
}

/// `fmt.Sprint`: spaces between operands when neither side is a string.
pub(crate) fn sprint(args: &[Val]) -> String {
    let mut out = String::new();
    for (i, a) in args.iter().enumerate() {
        if i > 0 && !matches!(a, Val::Str(_)) && !matches!(args[i - 1], Val::Str(_)) {
            out.push(' ');
        }
        write_v(&mut out, &print_arg(a));
    }
    out
}

/// `fmt.Sprintln`: always spaces, newline at the end.
pub(crate) fn sprintln(args: &[Val]) -> String {
    let mut out = String::new();
    for (i, a) in args.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        write_v(&mut out, &print_arg(a));
    }
    out.push('\n');
    out
}

/// An operand as fmt sees it: a missing value arrives as nil.
fn print_arg(v: &Val) -> Val {
    match v {
        Val::Missing => Val::Null,
        v => v.clone(),
    }
}

/// `strconv.Quote`.
pub(crate) fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if is_print(c) => out.push(c),
            c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// Approximation of Go's `unicode.IsPrint`.
pub(crate) fn is_print(c: char) -> bool {
    if c == ' ' {
        return true;
    }
    if c.is_control() || c.is_whitespace() {
        return false;
    }
    let v = c as u32;
    // Format characters, surrogates, private use and non-characters.
    !matches!(v, 0xAD | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x206F | 0xFEFF | 0xE000..=0xF8FF | 0xFFF9..=0xFFFB)
        && (v & 0xFFFE != 0xFFFE)
}

#[derive(Default, Clone, Copy)]
struct Spec {
    minus: bool,
    plus: bool,
    sharp: bool,
    space: bool,
    zero: bool,
    width: Option<usize>,
    prec: Option<usize>,
}

/// Largest width or precision honoured; bigger ones are clamped (Go errors above 1e6).
const MAX_WIDTH: usize = 100_000;

fn pad(out: &mut String, s: &str, spec: &Spec, numeric: bool) {
    let len = s.chars().count();
    let width = spec.width.unwrap_or(0);
    if len >= width {
        out.push_str(s);
        return;
    }
    let fill = width - len;
    if spec.minus {
        out.push_str(s);
        out.extend(std::iter::repeat_n(' ', fill));
    } else if spec.zero && numeric {
        // Zeros go after the sign.
        let (sign, rest) = match s.chars().next() {
            Some(c @ ('+' | '-' | ' ')) => (Some(c), &s[1..]),
            _ => (None, s),
        };
        if let Some(c) = sign {
            out.push(c);
        }
        out.extend(std::iter::repeat_n('0', fill));
        out.push_str(rest);
    } else if spec.zero {
        out.extend(std::iter::repeat_n('0', fill));
        out.push_str(s);
    } else {
        out.extend(std::iter::repeat_n(' ', fill));
        out.push_str(s);
    }
}

fn sign_of(neg: bool, spec: &Spec) -> &'static str {
    if neg {
        "-"
    } else if spec.plus {
        "+"
    } else if spec.space {
        " "
    } else {
        ""
    }
}

fn fmt_int(out: &mut String, i: i64, verb: char, spec: &Spec) -> bool {
    let neg = i < 0;
    let u = i.unsigned_abs();
    let mut digits = match verb {
        'd' | 'v' => u.to_string(),
        'x' => format!("{u:x}"),
        'X' => format!("{u:X}"),
        'o' | 'O' => format!("{u:o}"),
        'b' => format!("{u:b}"),
        'c' => {
            let c = u32::try_from(i).ok().and_then(char::from_u32).unwrap_or('\u{FFFD}');
            pad(out, &c.to_string(), spec, false);
            return true;
        }
        'q' => {
            let c = u32::try_from(i).ok().and_then(char::from_u32).unwrap_or('\u{FFFD}');
            let q = quote(&c.to_string());
            let inner = &q[1..q.len() - 1];
            let inner = if inner == "\\\"" {
                "\""
            } else if c == '\'' {
                "\\'"
            } else {
                inner
            };
            pad(out, &format!("'{inner}'"), spec, false);
            return true;
        }
        'U' => {
            let s = format!("U+{:04X}", u);
            pad(out, &s, spec, false);
            return true;
        }
        _ => return false,
    };
    if let Some(p) = spec.prec {
        let p = p.min(MAX_WIDTH);
        if p == 0 && u == 0 {
            digits.clear();
        }
        while digits.len() < p {
            digits.insert(0, '0');
        }
    }
    let prefix = if spec.sharp {
        match verb {
            'x' => "0x",
            'X' => "0X",
            'o' if !digits.starts_with('0') => "0",
            'b' => "0b",
            _ => "",
        }
    } else if verb == 'O' {
        "0o"
    } else {
        ""
    };
    let s = format!("{}{prefix}{digits}", sign_of(neg, spec));
    let zero_ok = spec.prec.is_none();
    let spec2 = Spec { zero: spec.zero && zero_ok && !spec.minus, ..*spec };
    pad(out, &s, &spec2, true);
    true
}

fn fmt_float(out: &mut String, f: f64, verb: char, spec: &Spec) -> bool {
    let prec = spec.prec.map(|p| p.min(MAX_WIDTH));
    let body = match verb {
        'v' | 'g' => float_g(f, prec, false),
        'G' => float_g(f, prec, true),
        'e' => float_e(f, prec.unwrap_or(6), false),
        'E' => float_e(f, prec.unwrap_or(6), true),
        'f' | 'F' => float_f(f, prec.unwrap_or(6)),
        _ => return false,
    };
    let body = if !body.starts_with('-') && (spec.plus || spec.space) && !f.is_nan() {
        format!("{}{body}", if spec.plus { "+" } else { " " })
    } else {
        body
    };
    let spec2 = Spec { zero: spec.zero && !spec.minus && f.is_finite(), ..*spec };
    pad(out, &body, &spec2, true);
    true
}

fn fmt_str(out: &mut String, s: &str, verb: char, spec: &Spec) -> bool {
    let s: std::borrow::Cow<'_, str> = match spec.prec {
        Some(p) if matches!(verb, 's' | 'v' | 'q') => s.chars().take(p).collect::<String>().into(),
        _ => s.into(),
    };
    match verb {
        's' | 'v' => pad(out, &s, spec, false),
        'q' => {
            let q = if spec.sharp && !s.contains('`') { format!("`{s}`") } else { quote(&s) };
            pad(out, &q, spec, false);
        }
        'x' | 'X' => {
            let mut h = String::new();
            for (i, b) in s.bytes().enumerate() {
                if spec.space && i > 0 {
                    h.push(' ');
                }
                if verb == 'x' {
                    h.push_str(&format!("{b:02x}"));
                } else {
                    h.push_str(&format!("{b:02X}"));
                }
            }
            pad(out, &h, spec, false);
        }
        _ => return false,
    }
    true
}

/// Formats one operand with one verb; false when the verb does not apply to the value.
fn fmt_arg(out: &mut String, v: &Val, verb: char, spec: &Spec, depth: u32) -> bool {
    match v {
        Val::Missing | Val::Null => {
            if verb == 'v' {
                pad(out, "<nil>", spec, false);
                true
            } else {
                false
            }
        }
        Val::Bool(b) => match verb {
            'v' | 't' => {
                pad(out, if *b { "true" } else { "false" }, spec, false);
                true
            }
            _ => false,
        },
        Val::Int(i) => match verb {
            'e' | 'E' | 'f' | 'F' | 'g' | 'G' => fmt_float(out, *i as f64, verb, spec),
            _ => fmt_int(out, *i, verb, spec),
        },
        Val::Float(f) => match verb {
            'd' | 'x' | 'X' | 'o' | 'b' | 'c' if f.fract() == 0.0 && f.abs() < 9.0e15 => {
                fmt_int(out, *f as i64, verb, spec)
            }
            _ => fmt_float(out, *f, verb, spec),
        },
        Val::Str(s) => fmt_str(out, s, verb, spec),
        Val::Arr(a) => {
            if depth > 64 {
                return false;
            }
            let mut inner = String::from("[");
            for (i, x) in a.items.iter().enumerate() {
                if i > 0 {
                    inner.push(' ');
                }
                format_one(&mut inner, x, verb, &Spec { width: spec.width, ..*spec }, depth + 1);
            }
            inner.push(']');
            out.push_str(&inner);
            true
        }
        Val::Map(m) => {
            if depth > 64 {
                return false;
            }
            out.push_str("map[");
            for (i, (k, x)) in m.map.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                format_one(out, &Val::str(k.as_str()), verb, spec, depth + 1);
                out.push(':');
                format_one(out, x, verb, spec, depth + 1);
            }
            out.push(']');
            true
        }
    }
}

fn format_one(out: &mut String, v: &Val, verb: char, spec: &Spec, depth: u32) {
    if !fmt_arg(out, v, verb, spec, depth) {
        bad_verb(out, verb, v);
    }
}

fn bad_verb(out: &mut String, verb: char, v: &Val) {
    out.push_str("%!");
    out.push(verb);
    out.push('(');
    match v {
        Val::Missing | Val::Null => out.push_str("<nil>"),
        v => {
            out.push_str(v.type_name());
            out.push('=');
            out.push_str(&to_v(v));
        }
    }
    out.push(')');
}

/// `fmt.Sprintf`.
pub(crate) fn sprintf(format: &str, args: &[Val]) -> String {
    let mut out = String::new();
    let mut arg = 0usize;
    let mut chars = format.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut spec = Spec::default();
        // Flags.
        while let Some(&(_, f)) = chars.peek() {
            match f {
                '-' => {
                    spec.minus = true;
                    spec.zero = false;
                }
                '+' => spec.plus = true,
                '#' => spec.sharp = true,
                ' ' => spec.space = true,
                '0' => spec.zero = !spec.minus,
                _ => break,
            }
            chars.next();
        }
        // Width.
        if chars.peek().map(|&(_, c)| c) == Some('*') {
            chars.next();
            match args.get(arg) {
                Some(Val::Int(w)) => {
                    if *w < 0 {
                        spec.minus = true;
                        spec.zero = false;
                    }
                    spec.width = Some((w.unsigned_abs() as usize).min(MAX_WIDTH));
                }
                _ => out.push_str("%!(BADWIDTH)"),
            }
            arg += 1;
        } else {
            let mut w: Option<usize> = None;
            while let Some(&(_, d)) = chars.peek() {
                let Some(v) = d.to_digit(10) else { break };
                w = Some((w.unwrap_or(0) * 10 + v as usize).min(MAX_WIDTH));
                chars.next();
            }
            spec.width = w;
        }
        // Precision.
        if chars.peek().map(|&(_, c)| c) == Some('.') {
            chars.next();
            if chars.peek().map(|&(_, c)| c) == Some('*') {
                chars.next();
                match args.get(arg) {
                    Some(Val::Int(p)) if *p >= 0 => spec.prec = Some((*p as usize).min(MAX_WIDTH)),
                    _ => out.push_str("%!(BADPREC)"),
                }
                arg += 1;
            } else {
                let mut p = 0usize;
                while let Some(&(_, d)) = chars.peek() {
                    let Some(v) = d.to_digit(10) else { break };
                    p = (p * 10 + v as usize).min(MAX_WIDTH);
                    chars.next();
                }
                spec.prec = Some(p);
            }
        }
        let Some((_, verb)) = chars.next() else {
            out.push_str("%!(NOVERB)");
            break;
        };
        if verb == '%' {
            out.push('%');
            continue;
        }
        let Some(v) = args.get(arg) else {
            out.push_str("%!");
            out.push(verb);
            out.push_str("(MISSING)");
            continue;
        };
        arg += 1;
        let v = print_arg(v);
        format_one(&mut out, &v, verb, &spec, 0);
    }
    if arg < args.len() {
        out.push_str("%!(EXTRA ");
        for (i, v) in args[arg..].iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            let v = print_arg(v);
            match v {
                Val::Null => out.push_str("<nil>"),
                ref v => {
                    out.push_str(v.type_name());
                    out.push('=');
                    out.push_str(&to_v(v));
                }
            }
        }
        out.push(')');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn g_format() {
        assert_eq!(float_g(1234567.0, Some(4), false), "1.235e+06");
        assert_eq!(float_g(1.2345, Some(4), false), "1.234");
        assert_eq!(float_g(12.345, Some(4), false), "12.35");
        assert_eq!(float_g(1000.0, Some(4), false), "1000");
        assert_eq!(float_g(0.0, Some(4), false), "0");
        assert_eq!(float_g(100.0, None, false), "100");
        assert_eq!(float_g(1e21, None, false), "1e+21");
        assert_eq!(float_g(-2.5, None, false), "-2.5");
        assert_eq!(float_g(12.0, Some(4), false), "12");
        assert_eq!(float_e(1234.5678, 2, false), "1.23e+03");
        assert_eq!(float_f(2.005, 2), "2.00");
    }

    #[test]
    fn printf() {
        let s = |f: &str, a: &[Val]| sprintf(f, a);
        assert_eq!(s("%s=%d", &[Val::str("a"), Val::Int(3)]), "a=3");
        assert_eq!(s("%5.2f|%-4s|%04d", &[Val::Float(1.23456), Val::str("ab"), Val::Int(-7)]), " 1.23|ab  |-007");
        assert_eq!(
            s("%q %x %X %t %%", &[Val::str("a\"b"), Val::Int(255), Val::str("hi"), Val::Bool(true)]),
            "\"a\\\"b\" ff 6869 true %"
        );
        assert_eq!(s("%d", &[Val::str("x")]), "%!d(string=x)");
        assert_eq!(s("%s %s", &[Val::str("x")]), "x %!s(MISSING)");
        assert_eq!(s("%s", &[Val::str("x"), Val::Int(1)]), "x%!(EXTRA int=1)");
        assert_eq!(s("%v", &[Val::Null]), "<nil>");
        assert_eq!(sprint(&[Val::Int(1), Val::Int(2), Val::str("a"), Val::Int(3)]), "1 2a3");
    }
}
