//! Tokenizer for Go `text/template` source.
//!
//! Produces a flat token list. Text between actions is emitted with trim markers (`{{- ` and
//! ` -}}`) already applied; comments are dropped. Every token carries its byte span.

/// Keywords of the template language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kw {
    If,
    Else,
    End,
    Range,
    With,
    Define,
    Template,
    Block,
    Break,
    Continue,
}

impl Kw {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Kw::If => "if",
            Kw::Else => "else",
            Kw::End => "end",
            Kw::Range => "range",
            Kw::With => "with",
            Kw::Define => "define",
            Kw::Template => "template",
            Kw::Block => "block",
            Kw::Break => "break",
            Kw::Continue => "continue",
        }
    }
}

/// One lexical item.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tok {
    /// Plain text outside actions (already trimmed).
    Text(String),
    /// `{{`
    LeftDelim,
    /// `}}`
    RightDelim,
    /// Run of spaces inside an action.
    Space,
    /// Function name or other bare word.
    Ident(String),
    /// `.Name` (stored without the dot).
    Field(String),
    /// `$` or `$name` (stored with the dollar).
    Var(String),
    /// Interpreted or raw string literal, raw source text (quotes included).
    Str(String),
    /// Character constant, raw source text (quotes included).
    Char(String),
    /// Number literal, raw text.
    Number(String),
    /// `true` / `false`.
    Bool(bool),
    /// `nil`.
    Nil,
    /// `.`
    Dot,
    /// `|`
    Pipe,
    /// `(`
    LParen,
    /// `)`
    RParen,
    /// `:=`
    Declare,
    /// `=`
    Assign,
    /// Any other printable ASCII character (`,` and friends).
    Other(char),
    /// Keyword.
    Kw(Kw),
    /// End of input.
    Eof,
}

/// A token with its byte span.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token {
    pub tok: Tok,
    pub start: usize,
    pub end: usize,
}

/// A lexical error with its byte span.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LexError {
    pub message: String,
    pub start: usize,
    pub end: usize,
}

const LEFT: &str = "{{";
const RIGHT: &str = "}}";

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

fn is_alnum(c: char) -> bool {
    c == '_' || c.is_alphabetic() || c.is_numeric()
}

/// `U+0040 '@'`, as Go's `%#U`.
pub(crate) fn describe_char(c: char) -> String {
    if c.is_control() { format!("U+{:04X}", c as u32) } else { format!("U+{:04X} '{}'", c as u32, c) }
}

struct Lexer<'a> {
    src: &'a str,
    pos: usize,
    toks: Vec<Token>,
    paren_depth: usize,
}

/// Tokenizes `src`.
pub(crate) fn lex(src: &str) -> Result<Vec<Token>, LexError> {
    let mut lx = Lexer { src, pos: 0, toks: Vec::new(), paren_depth: 0 };
    lx.run()?;
    Ok(lx.toks)
}

impl<'a> Lexer<'a> {
    fn rest(&self) -> &'a str {
        self.src.get(self.pos..).unwrap_or("")
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn emit(&mut self, tok: Tok, start: usize) {
        self.toks.push(Token { tok, start, end: self.pos });
    }

    fn err<T>(&self, message: impl Into<String>, start: usize, end: usize) -> Result<T, LexError> {
        Err(LexError { message: message.into(), start, end: end.max(start) })
    }

    /// At a right delimiter? Returns (is_delim, has_trim_marker).
    fn at_right_delim(&self) -> (bool, bool) {
        let r = self.rest();
        let mut chars = r.chars();
        if let (Some(a), Some('-')) = (chars.next(), chars.next())
            && is_space(a)
            && r.get(a.len_utf8() + 1..).is_some_and(|s| s.starts_with(RIGHT))
        {
            return (true, true);
        }
        (r.starts_with(RIGHT), false)
    }

    fn skip_spaces(&mut self) {
        while let Some(c) = self.peek() {
            if !is_space(c) {
                break;
            }
            self.pos += c.len_utf8();
        }
    }

    fn run(&mut self) -> Result<(), LexError> {
        loop {
            let text_start = self.pos;
            let rest = self.rest();
            let Some(rel) = rest.find(LEFT) else {
                if !rest.is_empty() {
                    self.pos = self.src.len();
                    self.emit(Tok::Text(rest.to_string()), text_start);
                }
                break;
            };
            let delim_at = text_start + rel;
            let after = self.src.get(delim_at + LEFT.len()..).unwrap_or("");
            let mut after_chars = after.chars();
            let left_trim = after_chars.next() == Some('-') && after_chars.next().is_some_and(is_space);
            let mut text = &rest[..rel];
            if left_trim {
                text = text.trim_end_matches(is_space);
            }
            if !text.is_empty() {
                self.toks.push(Token {
                    tok: Tok::Text(text.to_string()),
                    start: text_start,
                    end: text_start + text.len(),
                });
            }
            self.pos = delim_at + LEFT.len();
            let after_marker = if left_trim { 2 } else { 0 };
            if self.src.get(self.pos + after_marker..).is_some_and(|s| s.starts_with("/*")) {
                self.pos += after_marker;
                self.lex_comment(delim_at)?;
                continue;
            }
            self.toks.push(Token { tok: Tok::LeftDelim, start: delim_at, end: self.pos });
            self.pos += after_marker;
            self.paren_depth = 0;
            self.lex_action(delim_at)?;
        }
        let end = self.src.len();
        self.toks.push(Token { tok: Tok::Eof, start: end, end });
        Ok(())
    }

    fn lex_comment(&mut self, delim_at: usize) -> Result<(), LexError> {
        let body = self.pos + 2;
        let Some(rel) = self.src.get(body..).and_then(|s| s.find("*/")) else {
            return self.err("unclosed comment", delim_at, delim_at + 2);
        };
        self.pos = body + rel + 2;
        let (delim, trim) = self.at_right_delim();
        if !delim {
            return self.err("comment ends before closing delimiter", delim_at, self.pos);
        }
        self.pos += if trim { 2 + RIGHT.len() } else { RIGHT.len() };
        if trim {
            self.skip_spaces();
        }
        Ok(())
    }

    fn lex_action(&mut self, delim_at: usize) -> Result<(), LexError> {
        loop {
            let (delim, trim) = self.at_right_delim();
            if delim {
                if self.paren_depth > 0 {
                    return self.err("unclosed left paren", delim_at, self.pos);
                }
                let start = self.pos;
                self.pos += if trim { 2 + RIGHT.len() } else { RIGHT.len() };
                self.emit(Tok::RightDelim, start);
                if trim {
                    self.skip_spaces();
                }
                return Ok(());
            }
            let start = self.pos;
            let Some(c) = self.next() else {
                return self.err("unclosed action", delim_at, delim_at + LEFT.len());
            };
            match c {
                c if is_space(c) => self.lex_space(start),
                '=' => self.emit(Tok::Assign, start),
                ':' => {
                    if self.next() != Some('=') {
                        return self.err("expected :=", start, self.pos);
                    }
                    self.emit(Tok::Declare, start);
                }
                '|' => self.emit(Tok::Pipe, start),
                '"' => self.lex_quote(start)?,
                '`' => self.lex_raw(start)?,
                '$' => self.lex_field_or_var(start, true)?,
                '\'' => self.lex_char(start)?,
                '.' => {
                    if self.peek().is_some_and(|d| d.is_ascii_digit()) {
                        self.pos = start;
                        self.lex_number(start)?;
                    } else {
                        self.lex_field_or_var(start, false)?;
                    }
                }
                '+' | '-' | '0'..='9' => {
                    self.pos = start;
                    self.lex_number(start)?;
                }
                c if is_alnum(c) => {
                    self.pos = start;
                    self.lex_ident(start)?;
                }
                '(' => {
                    self.paren_depth += 1;
                    self.emit(Tok::LParen, start);
                }
                ')' => {
                    if self.paren_depth == 0 {
                        return self.err("unexpected right paren", start, self.pos);
                    }
                    self.paren_depth -= 1;
                    self.emit(Tok::RParen, start);
                }
                c if c.is_ascii() && !c.is_ascii_control() => self.emit(Tok::Other(c), start),
                c => {
                    return self.err(
                        format!("unrecognized character in action: {}", describe_char(c)),
                        start,
                        self.pos,
                    );
                }
            }
        }
    }

    fn lex_space(&mut self, start: usize) {
        let mut count = 1;
        while let Some(c) = self.peek() {
            if !is_space(c) {
                break;
            }
            self.pos += c.len_utf8();
            count += 1;
        }
        // A space followed by "-}}" belongs to the trim marker.
        let last_space = self.pos - 1;
        if self.src.get(last_space..).is_some_and(|s| s.len() >= 4 && s[1..].starts_with("-}}")) {
            self.pos = last_space;
            if count == 1 {
                return;
            }
        }
        self.emit(Tok::Space, start);
    }

    fn at_terminator(&self) -> bool {
        match self.peek() {
            None => true,
            Some(c) => is_space(c) || matches!(c, '.' | ',' | '|' | ':' | ')' | '(' | '}'),
        }
    }

    fn lex_field_or_var(&mut self, start: usize, var: bool) -> Result<(), LexError> {
        if self.at_terminator() {
            self.emit(if var { Tok::Var("$".into()) } else { Tok::Dot }, start);
            return Ok(());
        }
        while self.peek().is_some_and(is_alnum) {
            self.next();
        }
        if !self.at_terminator() {
            let c = self.peek().unwrap_or(' ');
            return self.err(format!("bad character {}", describe_char(c)), self.pos, self.pos + c.len_utf8());
        }
        let word = &self.src[start..self.pos];
        if var {
            self.emit(Tok::Var(word.to_string()), start);
        } else {
            self.emit(Tok::Field(word[1..].to_string()), start);
        }
        Ok(())
    }

    fn lex_ident(&mut self, start: usize) -> Result<(), LexError> {
        while self.peek().is_some_and(is_alnum) {
            self.next();
        }
        if !self.at_terminator() {
            let c = self.peek().unwrap_or(' ');
            return self.err(format!("bad character {}", describe_char(c)), self.pos, self.pos + c.len_utf8());
        }
        let word = &self.src[start..self.pos];
        let tok = match word {
            "if" => Tok::Kw(Kw::If),
            "else" => Tok::Kw(Kw::Else),
            "end" => Tok::Kw(Kw::End),
            "range" => Tok::Kw(Kw::Range),
            "with" => Tok::Kw(Kw::With),
            "define" => Tok::Kw(Kw::Define),
            "template" => Tok::Kw(Kw::Template),
            "block" => Tok::Kw(Kw::Block),
            "break" => Tok::Kw(Kw::Break),
            "continue" => Tok::Kw(Kw::Continue),
            "nil" => Tok::Nil,
            "true" => Tok::Bool(true),
            "false" => Tok::Bool(false),
            _ => Tok::Ident(word.to_string()),
        };
        self.emit(tok, start);
        Ok(())
    }

    fn accept(&mut self, valid: &str) -> bool {
        match self.peek() {
            Some(c) if valid.contains(c) => {
                self.pos += c.len_utf8();
                true
            }
            _ => false,
        }
    }

    fn accept_run(&mut self, valid: &str) {
        while self.accept(valid) {}
    }

    fn lex_number(&mut self, start: usize) -> Result<(), LexError> {
        self.accept("+-");
        let mut digits = "0123456789_";
        if self.accept("0") {
            if self.accept("xX") {
                digits = "0123456789abcdefABCDEF_";
            } else if self.accept("oO") {
                digits = "01234567_";
            } else if self.accept("bB") {
                digits = "01_";
            }
        }
        self.accept_run(digits);
        if self.accept(".") {
            self.accept_run(digits);
        }
        if digits.len() == 11 && self.accept("eE") {
            self.accept("+-");
            self.accept_run("0123456789_");
        }
        if digits.len() == 23 && self.accept("pP") {
            self.accept("+-");
            self.accept_run("0123456789_");
        }
        if self.peek().is_some_and(is_alnum) {
            self.next();
            return self.err(format!("bad number syntax: {:?}", &self.src[start..self.pos]), start, self.pos);
        }
        self.emit(Tok::Number(self.src[start..self.pos].to_string()), start);
        Ok(())
    }

    fn lex_quote(&mut self, start: usize) -> Result<(), LexError> {
        self.lex_escaped(start, '"', "unterminated quoted string")?;
        self.emit(Tok::Str(self.src[start..self.pos].to_string()), start);
        Ok(())
    }

    fn lex_raw(&mut self, start: usize) -> Result<(), LexError> {
        let Some(rel) = self.rest().find('`') else {
            return self.err("unterminated raw quoted string", start, self.src.len());
        };
        self.pos += rel + 1;
        self.emit(Tok::Str(self.src[start..self.pos].to_string()), start);
        Ok(())
    }

    fn lex_char(&mut self, start: usize) -> Result<(), LexError> {
        self.lex_escaped(start, '\'', "unterminated character constant")?;
        self.emit(Tok::Char(self.src[start..self.pos].to_string()), start);
        Ok(())
    }

    /// Reads up to and including the closing `close`, skipping backslash escapes; a newline or
    /// the end of the source first is `unterminated`.
    fn lex_escaped(&mut self, start: usize, close: char, unterminated: &str) -> Result<(), LexError> {
        loop {
            match self.next() {
                Some('\\') => match self.next() {
                    Some('\n') | None => return self.err(unterminated, start, self.pos),
                    Some(_) => {}
                },
                Some('\n') | None => return self.err(unterminated, start, self.pos),
                Some(c) if c == close => return Ok(()),
                Some(_) => {}
            }
        }
    }
}

/// Decodes a Go string literal (interpreted `"..."` or raw `` `...` ``).
pub(crate) fn unquote(lit: &str) -> Result<String, String> {
    if let Some(inner) = lit.strip_prefix('`').and_then(|s| s.strip_suffix('`')) {
        return Ok(inner.replace('\r', ""));
    }
    let Some(inner) = lit.strip_prefix('"').and_then(|s| s.strip_suffix('"')) else {
        return Err("invalid syntax".into());
    };
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars().peekable();
    let mut bytes: Vec<u8> = Vec::new();
    while let Some(c) = chars.next() {
        if c != '\\' {
            flush_bytes(&mut bytes, &mut out)?;
            out.push(c);
            continue;
        }
        let e = chars.next().ok_or("invalid syntax")?;
        match e {
            'x' | '0'..='7' => {
                let v = if e == 'x' {
                    let h: String = (0..2).filter_map(|_| chars.next()).collect();
                    u8::from_str_radix(&h, 16).map_err(|_| "invalid syntax")?
                } else {
                    let mut o = String::from(e);
                    for _ in 0..2 {
                        o.push(chars.next().ok_or("invalid syntax")?);
                    }
                    let v = u32::from_str_radix(&o, 8).map_err(|_| "invalid syntax")?;
                    u8::try_from(v).map_err(|_| "invalid syntax")?
                };
                bytes.push(v);
                continue;
            }
            _ => {}
        }
        flush_bytes(&mut bytes, &mut out)?;
        match e {
            'a' => out.push('\u{7}'),
            'b' => out.push('\u{8}'),
            'f' => out.push('\u{c}'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            'v' => out.push('\u{b}'),
            '\\' => out.push('\\'),
            '"' => out.push('"'),
            'u' | 'U' => {
                let n = if e == 'u' { 4 } else { 8 };
                let h: String = (0..n).filter_map(|_| chars.next()).collect();
                if h.len() != n {
                    return Err("invalid syntax".into());
                }
                let v = u32::from_str_radix(&h, 16).map_err(|_| "invalid syntax")?;
                out.push(char::from_u32(v).ok_or("invalid syntax")?);
            }
            _ => return Err("invalid syntax".into()),
        }
    }
    flush_bytes(&mut bytes, &mut out)?;
    Ok(out)
}

fn flush_bytes(bytes: &mut Vec<u8>, out: &mut String) -> Result<(), String> {
    if bytes.is_empty() {
        return Ok(());
    }
    // Byte escapes must form valid UTF-8 here since template strings are Rust strings.
    let s = String::from_utf8_lossy(bytes);
    out.push_str(&s);
    bytes.clear();
    Ok(())
}

/// Decodes a Go character constant like `'a'` or `'\n'` into its code point.
pub(crate) fn unquote_char(lit: &str) -> Result<i64, String> {
    let inner = lit.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')).ok_or("invalid syntax")?;
    let mut chars = inner.chars();
    let c = chars.next().ok_or("invalid syntax")?;
    if c != '\\' {
        if chars.next().is_some() {
            return Err("invalid syntax".into());
        }
        return Ok(c as i64);
    }
    let decoded = match inner {
        "\\'" => '\'' as i64,
        _ => {
            let s = unquote(&format!("\"{inner}\""))?;
            let mut it = s.chars();
            let c = it.next().ok_or("invalid syntax")?;
            if it.next().is_some() {
                // A byte escape above 0x7f decodes to the replacement char; take the byte value.
                return Err("invalid syntax".into());
            }
            c as i64
        }
    };
    Ok(decoded)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<Tok> {
        lex(src).unwrap().into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn trims_and_comments() {
        assert_eq!(
            kinds("a  {{- .x -}}  b{{/* c */}}d"),
            vec![
                Tok::Text("a".into()),
                Tok::LeftDelim,
                Tok::Field("x".into()),
                Tok::RightDelim,
                Tok::Text("b".into()),
                Tok::Text("d".into()),
                Tok::Eof
            ]
        );
    }

    #[test]
    fn numbers_and_fields() {
        assert_eq!(
            kinds("{{-3 $x.y}}"),
            vec![
                Tok::LeftDelim,
                Tok::Number("-3".into()),
                Tok::Space,
                Tok::Var("$x".into()),
                Tok::Field("y".into()),
                Tok::RightDelim,
                Tok::Eof
            ]
        );
    }

    #[test]
    fn errors() {
        assert_eq!(lex("ab {{ .x").unwrap_err().message, "unclosed action");
        assert_eq!(lex("{{ \"abc }}").unwrap_err().message, "unterminated quoted string");
        assert_eq!(lex("{{ 3x }}").unwrap_err().message, "bad number syntax: \"3x\"");
    }

    #[test]
    fn unquoting() {
        assert_eq!(unquote(r#""a\n\x41\u00e9""#).unwrap(), "a\nAé");
        assert_eq!(unquote("`a\\n`").unwrap(), "a\\n");
        assert_eq!(unquote_char("'a'").unwrap(), 97);
        assert_eq!(unquote_char(r"'\n'").unwrap(), 10);
    }
}
