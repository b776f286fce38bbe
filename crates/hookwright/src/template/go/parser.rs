//! Parser: tokens to a tree of nodes, with Go's parse-time checks (undefined variables and
//! functions, misplaced `{{end}}` / `{{else}}` / `{{break}}`, empty pipelines, …).

use super::funcs;
use super::lexer::{Kw, LexError, Tok, Token, lex, unquote, unquote_char};

/// Byte span in the template source.
pub(crate) type Span = (usize, usize);

/// Maximum nesting of control structures and parenthesized pipelines.
const MAX_PARSE_DEPTH: usize = 100;

/// A node of a template body.
#[derive(Debug, Clone)]
pub(crate) enum Node {
    Text(String, Span),
    Action(Pipe),
    If(Box<Branch>),
    Range(Box<Branch>),
    With(Box<Branch>),
    Template { name: String, pipe: Option<Pipe>, span: Span },
    Break,
    Continue,
}

/// `if` / `range` / `with` with its bodies.
#[derive(Debug, Clone)]
pub(crate) struct Branch {
    pub pipe: Pipe,
    pub list: Vec<Node>,
    pub else_list: Option<Vec<Node>>,
    pub span: Span,
}

/// A pipeline with optional variable declarations.
#[derive(Debug, Clone)]
pub(crate) struct Pipe {
    pub decl: Vec<String>,
    pub is_assign: bool,
    pub cmds: Vec<Cmd>,
    pub span: Span,
}

/// One command of a pipeline: operands separated by spaces.
#[derive(Debug, Clone)]
pub(crate) struct Cmd {
    pub args: Vec<Arg>,
    pub span: Span,
}

/// An operand.
#[derive(Debug, Clone)]
pub(crate) struct Arg {
    pub kind: ArgKind,
    pub span: Span,
}

/// Literal numbers.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Num {
    Int(i64),
    Float(f64),
}

/// The kinds of operands.
#[derive(Debug, Clone)]
pub(crate) enum ArgKind {
    Dot,
    Nil,
    Bool(bool),
    Str(String),
    Num(Num),
    /// `.A.B`
    Field(Vec<String>),
    /// `$x.A.B`
    Var(String, Vec<String>),
    /// A function name (namespaced names like `coll.Dict` included).
    Func(String),
    /// `(pipeline).A.B` or `func.A`
    Chain(Box<Arg>, Vec<String>),
    /// `(pipeline)`
    Pipe(Box<Pipe>),
}

impl Arg {
    /// Source-like rendering, for messages.
    pub(crate) fn describe(&self) -> String {
        match &self.kind {
            ArgKind::Dot => ".".into(),
            ArgKind::Nil => "nil".into(),
            ArgKind::Bool(b) => b.to_string(),
            ArgKind::Str(s) => format!("{s:?}"),
            ArgKind::Num(Num::Int(i)) => i.to_string(),
            ArgKind::Num(Num::Float(f)) => f.to_string(),
            ArgKind::Field(f) => f.iter().map(|s| format!(".{s}")).collect(),
            ArgKind::Var(v, f) => format!("{v}{}", f.iter().map(|s| format!(".{s}")).collect::<String>()),
            ArgKind::Func(n) => n.clone(),
            ArgKind::Chain(a, f) => {
                format!("{}{}", a.describe(), f.iter().map(|s| format!(".{s}")).collect::<String>())
            }
            ArgKind::Pipe(_) => "(...)".into(),
        }
    }
}

/// A named template definition found while parsing.
#[derive(Debug, Clone)]
pub(crate) struct Define {
    pub name: String,
    pub body: Vec<Node>,
}

/// The result of parsing one source text.
#[derive(Debug, Clone)]
pub(crate) struct Parsed {
    pub main: Vec<Node>,
    pub defines: Vec<Define>,
}

/// A parse error with its span.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ParseError {
    pub message: String,
    pub start: usize,
    pub end: usize,
}

impl From<LexError> for ParseError {
    fn from(e: LexError) -> Self {
        ParseError { message: e.message, start: e.start, end: e.end }
    }
}

type PResult<T> = Result<T, ParseError>;

/// Parses template source.
pub(crate) fn parse(src: &str) -> PResult<Parsed> {
    let toks = lex(src)?;
    let mut p = Parser { toks, pos: 0, vars: vec!["$".into()], defines: Vec::new(), depth: 0, range_depth: 0 };
    let main = p.parse_top()?;
    Ok(Parsed { main, defines: p.defines })
}

/// Whether a body has no effect (only whitespace text), as Go's `IsEmptyTree`.
pub(crate) fn is_empty_body(nodes: &[Node]) -> bool {
    nodes.iter().all(|n| matches!(n, Node::Text(t, _) if t.trim().is_empty()))
}

enum Stop {
    End,
    Else(Span),
}

enum Item {
    Node(Node),
    Stop(Stop),
}

struct Parser {
    toks: Vec<Token>,
    pos: usize,
    vars: Vec<String>,
    defines: Vec<Define>,
    depth: usize,
    range_depth: usize,
}

const NAMESPACES: &[&str] = &["coll", "data", "tmpl", "strings", "math", "conv", "time"];

fn describe_tok(t: &Tok) -> String {
    match t {
        Tok::Text(s) => format!("{s:?}"),
        Tok::LeftDelim => "\"{{\"".into(),
        Tok::RightDelim => "\"}}\"".into(),
        Tok::Space => "space".into(),
        Tok::Ident(s) => format!("{s:?}"),
        Tok::Field(s) => format!("\".{s}\""),
        Tok::Var(s) => format!("{s:?}"),
        Tok::Str(s) | Tok::Char(s) | Tok::Number(s) => format!("{s:?}"),
        Tok::Bool(b) => format!("\"{b}\""),
        Tok::Nil => "\"nil\"".into(),
        Tok::Dot => "\".\"".into(),
        Tok::Pipe => "\"|\"".into(),
        Tok::LParen => "\"(\"".into(),
        Tok::RParen => "\")\"".into(),
        Tok::Declare => "\":=\"".into(),
        Tok::Assign => "\"=\"".into(),
        Tok::Other(c) => format!("{:?}", c.to_string()),
        Tok::Kw(k) => format!("<{}>", k.name()),
        Tok::Eof => "EOF".into(),
    }
}

impl Parser {
    fn peek(&self) -> &Token {
        // The token list always ends with Eof, and `next` never moves past it.
        let i = self.pos.min(self.toks.len().saturating_sub(1));
        &self.toks[i]
    }

    fn next(&mut self) -> Token {
        let t = self.peek().clone();
        self.pos += 1;
        t
    }

    fn skip_space(&mut self) {
        while matches!(self.peek().tok, Tok::Space) {
            self.next();
        }
    }

    fn peek_non_space(&mut self) -> &Token {
        self.skip_space();
        self.peek()
    }

    fn next_non_space(&mut self) -> Token {
        self.skip_space();
        self.next()
    }

    fn err<T>(&self, message: impl Into<String>, span: Span) -> PResult<T> {
        Err(ParseError { message: message.into(), start: span.0, end: span.1.max(span.0) })
    }

    fn unexpected<T>(&self, t: &Token, context: &str) -> PResult<T> {
        self.err(format!("unexpected {} in {context}", describe_tok(&t.tok)), (t.start, t.end))
    }

    fn enter(&mut self, span: Span) -> PResult<()> {
        self.depth += 1;
        if self.depth > MAX_PARSE_DEPTH {
            return self.err("template nested too deeply", span);
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    fn expect_right_delim(&mut self, context: &str) -> PResult<Token> {
        let t = self.next_non_space();
        if t.tok != Tok::RightDelim {
            return self.unexpected(&t, context);
        }
        Ok(t)
    }

    fn parse_top(&mut self) -> PResult<Vec<Node>> {
        let mut list = Vec::new();
        loop {
            let t = self.peek().clone();
            match t.tok {
                Tok::Eof => return Ok(list),
                Tok::LeftDelim => {
                    // Look past the delimiter for `define`.
                    let save = self.pos;
                    self.next();
                    if matches!(self.peek_non_space().tok, Tok::Kw(Kw::Define)) {
                        let kw = self.next();
                        self.parse_define((t.start, kw.end))?;
                        continue;
                    }
                    self.pos = save;
                    match self.text_or_action()? {
                        Item::Node(n) => list.push(n),
                        Item::Stop(Stop::End) => {
                            return self.err("unexpected {{end}}", (t.start, self.prev_end()));
                        }
                        Item::Stop(Stop::Else(span)) => return self.err("unexpected {{else}}", span),
                    }
                }
                _ => {
                    if let Item::Node(n) = self.text_or_action()? {
                        list.push(n);
                    }
                }
            }
        }
    }

    fn prev_end(&self) -> usize {
        let last = self.toks.len().saturating_sub(1);
        self.pos.checked_sub(1).and_then(|i| self.toks.get(i.min(last))).map_or(0, |t| t.end)
    }

    fn parse_define(&mut self, open: Span) -> PResult<()> {
        const CONTEXT: &str = "define clause";
        let t = self.next_non_space();
        let name = match &t.tok {
            Tok::Str(s) => unquote(s).map_err(|m| ParseError { message: m, start: t.start, end: t.end })?,
            _ => return self.unexpected(&t, CONTEXT),
        };
        self.expect_right_delim(CONTEXT)?;
        let saved_vars = std::mem::replace(&mut self.vars, vec!["$".into()]);
        let saved_range = std::mem::replace(&mut self.range_depth, 0);
        let (body, stop) = self.item_list(open, "define")?;
        self.vars = saved_vars;
        self.range_depth = saved_range;
        if let Stop::Else(span) = stop {
            return self.err("unexpected {{else}} in define clause", span);
        }
        self.add_define(Define { name, body }, open)
    }

    /// Records a definition; as Go, redefining a non-empty template in one source is an error.
    fn add_define(&mut self, d: Define, span: Span) -> PResult<()> {
        match self.defines.iter_mut().find(|x| x.name == d.name) {
            None => self.defines.push(d),
            Some(old) if is_empty_body(&old.body) => *old = d,
            Some(_) if is_empty_body(&d.body) => {}
            Some(_) => return self.err(format!("template: multiple definition of template {:?}", d.name), span),
        }
        Ok(())
    }

    /// Parses nodes until `{{end}}` or `{{else}}`.
    fn item_list(&mut self, open: Span, what: &str) -> PResult<(Vec<Node>, Stop)> {
        let mut list = Vec::new();
        loop {
            if matches!(self.peek().tok, Tok::Eof) {
                return self.err(format!("unexpected EOF: missing {{{{end}}}} for {{{{{what}}}}}"), open);
            }
            match self.text_or_action()? {
                Item::Node(n) => list.push(n),
                Item::Stop(s) => return Ok((list, s)),
            }
        }
    }

    fn text_or_action(&mut self) -> PResult<Item> {
        let t = self.next();
        match t.tok {
            Tok::Text(s) => Ok(Item::Node(Node::Text(s, (t.start, t.end)))),
            Tok::LeftDelim => self.action(t.start),
            _ => self.unexpected(&t, "input"),
        }
    }

    fn action(&mut self, delim_start: usize) -> PResult<Item> {
        let t = self.peek_non_space().clone();
        let open = (delim_start, t.end);
        match t.tok {
            Tok::Kw(Kw::Block) => {
                self.next();
                self.block(open).map(Item::Node)
            }
            Tok::Kw(Kw::Break) | Tok::Kw(Kw::Continue) => {
                self.next();
                let is_break = t.tok == Tok::Kw(Kw::Break);
                let word = if is_break { "break" } else { "continue" };
                self.expect_right_delim(&format!("{{{{{word}}}}}"))?;
                if self.range_depth == 0 {
                    return self.err(format!("{{{{{word}}}}} outside {{{{range}}}}"), open);
                }
                Ok(Item::Node(if is_break { Node::Break } else { Node::Continue }))
            }
            Tok::Kw(Kw::Else) => {
                self.next();
                // "else if" / "else with": leave the keyword for the caller.
                let next = self.peek_non_space().clone();
                if !matches!(next.tok, Tok::Kw(Kw::If) | Tok::Kw(Kw::With)) {
                    self.expect_right_delim("else")?;
                }
                Ok(Item::Stop(Stop::Else(open)))
            }
            Tok::Kw(Kw::End) => {
                self.next();
                self.expect_right_delim("end")?;
                Ok(Item::Stop(Stop::End))
            }
            Tok::Kw(Kw::If) => {
                self.next();
                self.control(open, Kw::If).map(|b| Item::Node(Node::If(Box::new(b))))
            }
            Tok::Kw(Kw::Range) => {
                self.next();
                self.control(open, Kw::Range).map(|b| Item::Node(Node::Range(Box::new(b))))
            }
            Tok::Kw(Kw::With) => {
                self.next();
                self.control(open, Kw::With).map(|b| Item::Node(Node::With(Box::new(b))))
            }
            Tok::Kw(Kw::Template) => {
                self.next();
                self.template(open).map(Item::Node)
            }
            Tok::Kw(Kw::Define) => self.err("unexpected {{define}}: define is only allowed at the top level", open),
            _ => {
                let pipe = self.pipeline("command", &Tok::RightDelim)?;
                Ok(Item::Node(Node::Action(pipe)))
            }
        }
    }

    fn control(&mut self, open: Span, kw: Kw) -> PResult<Branch> {
        self.enter(open)?;
        let mark = self.vars.len();
        let result = self.control_inner(open, kw);
        self.vars.truncate(mark);
        self.leave();
        result
    }

    fn control_inner(&mut self, open: Span, kw: Kw) -> PResult<Branch> {
        let pipe = self.pipeline(kw.name(), &Tok::RightDelim)?;
        if kw == Kw::Range {
            self.range_depth += 1;
        }
        let body = self.item_list(open, kw.name());
        if kw == Kw::Range {
            self.range_depth -= 1;
        }
        let (list, stop) = body?;
        let else_list = match stop {
            Stop::End => None,
            Stop::Else(else_span) => {
                let next = self.peek_non_space().clone();
                let chained = match (kw, &next.tok) {
                    (Kw::If, Tok::Kw(Kw::If)) => true,
                    (Kw::With, Tok::Kw(Kw::With)) => true,
                    (_, Tok::Kw(Kw::If | Kw::With)) => return self.unexpected(&next, "else"),
                    _ => false,
                };
                if chained {
                    self.next();
                    let inner = self.control((else_span.0, next.end), kw)?;
                    let node = if kw == Kw::If { Node::If(Box::new(inner)) } else { Node::With(Box::new(inner)) };
                    Some(vec![node])
                } else {
                    let (list, stop) = self.item_list(open, kw.name())?;
                    if let Stop::Else(span) = stop {
                        return self.err("expected end; found {{else}}", span);
                    }
                    Some(list)
                }
            }
        };
        Ok(Branch { pipe, list, else_list, span: open })
    }

    fn template_name(&mut self, context: &str) -> PResult<String> {
        let t = self.next_non_space();
        match &t.tok {
            Tok::Str(s) => unquote(s).map_err(|m| ParseError { message: m, start: t.start, end: t.end }),
            _ => self.unexpected(&t, context),
        }
    }

    fn template(&mut self, open: Span) -> PResult<Node> {
        const CONTEXT: &str = "template clause";
        let name = self.template_name(CONTEXT)?;
        let pipe = if matches!(self.peek_non_space().tok, Tok::RightDelim) {
            self.next();
            None
        } else {
            Some(self.pipeline(CONTEXT, &Tok::RightDelim)?)
        };
        let span = (open.0, self.prev_end());
        Ok(Node::Template { name, pipe, span })
    }

    fn block(&mut self, open: Span) -> PResult<Node> {
        const CONTEXT: &str = "block clause";
        self.enter(open)?;
        let name = self.template_name(CONTEXT)?;
        let pipe = self.pipeline(CONTEXT, &Tok::RightDelim)?;
        let span = (open.0, self.prev_end());
        let saved_vars = std::mem::replace(&mut self.vars, vec!["$".into()]);
        let saved_range = std::mem::replace(&mut self.range_depth, 0);
        let body = self.item_list(open, "block");
        self.vars = saved_vars;
        self.range_depth = saved_range;
        self.leave();
        let (body, stop) = body?;
        if let Stop::Else(span) = stop {
            return self.err("unexpected {{else}} in block clause", span);
        }
        self.add_define(Define { name: name.clone(), body }, open)?;
        Ok(Node::Template { name, pipe: Some(pipe), span })
    }

    fn pipeline(&mut self, context: &str, end: &Tok) -> PResult<Pipe> {
        let start = self.peek_non_space().start;
        let mut decl = Vec::new();
        let mut is_assign = false;
        // Declarations: `$x :=`, `$x =`, `$i, $e :=`.
        loop {
            let v = self.peek_non_space().clone();
            let Tok::Var(name) = &v.tok else { break };
            let save = self.pos;
            self.next();
            let next = self.peek_non_space().clone();
            match next.tok {
                Tok::Declare | Tok::Assign => {
                    self.next();
                    is_assign = next.tok == Tok::Assign;
                    if is_assign && !self.vars.iter().any(|x| x == name) {
                        return self.err(format!("undefined variable {name:?}"), (v.start, v.end));
                    }
                    decl.push(name.clone());
                    self.vars.push(name.clone());
                    break;
                }
                Tok::Other(',') => {
                    self.next();
                    decl.push(name.clone());
                    self.vars.push(name.clone());
                    if context == "range" && decl.len() < 2 {
                        if matches!(self.peek_non_space().tok, Tok::Var(_)) {
                            continue;
                        }
                        let t = self.peek().clone();
                        return self.err("range can only initialize variables", (t.start, t.end));
                    }
                    return self.err(format!("too many declarations in {context}"), (v.start, next.end));
                }
                _ => {
                    self.pos = save;
                    if !decl.is_empty() {
                        // `$i, $e` without `:=`.
                        let t = self.peek_non_space().clone();
                        return self.unexpected(&t, context);
                    }
                    break;
                }
            }
        }
        let mut cmds = Vec::new();
        loop {
            let t = self.peek_non_space().clone();
            if &t.tok == end {
                self.next();
                let pipe = Pipe { decl, is_assign, cmds, span: (start, t.end) };
                self.check_pipeline(&pipe, context, (start, t.end))?;
                return Ok(pipe);
            }
            match t.tok {
                Tok::Bool(_)
                | Tok::Char(_)
                | Tok::Dot
                | Tok::Field(_)
                | Tok::Ident(_)
                | Tok::Number(_)
                | Tok::Nil
                | Tok::Str(_)
                | Tok::Var(_)
                | Tok::LParen => {
                    let cmd = self.command()?;
                    cmds.push(cmd);
                }
                _ => return self.unexpected(&t, context),
            }
        }
    }

    fn check_pipeline(&self, pipe: &Pipe, context: &str, span: Span) -> PResult<()> {
        if pipe.cmds.is_empty() {
            return self.err(format!("missing value for {context}"), span);
        }
        for (i, c) in pipe.cmds.iter().enumerate().skip(1) {
            if let Some(a) = c.args.first()
                && matches!(a.kind, ArgKind::Bool(_) | ArgKind::Dot | ArgKind::Nil | ArgKind::Num(_) | ArgKind::Str(_))
            {
                return self.err(format!("non executable command in pipeline stage {}", i + 1), a.span);
            }
        }
        Ok(())
    }

    fn command(&mut self) -> PResult<Cmd> {
        let start = self.peek_non_space().start;
        let mut args = Vec::new();
        loop {
            self.skip_space();
            if let Some(a) = self.operand()? {
                args.push(a);
            }
            let t = self.next();
            match t.tok {
                Tok::Space => continue,
                Tok::RightDelim | Tok::RParen => {
                    self.pos -= 1;
                }
                Tok::Pipe => {}
                _ => return self.unexpected(&t, "operand"),
            }
            break;
        }
        let end = args.last().map_or(start, |a: &Arg| a.span.1);
        if args.is_empty() {
            return self.err("empty command", (start, start + 1));
        }
        Ok(Cmd { args, span: (start, end) })
    }

    fn operand(&mut self) -> PResult<Option<Arg>> {
        let Some(term) = self.term()? else { return Ok(None) };
        if !matches!(self.peek().tok, Tok::Field(_)) {
            return Ok(Some(term));
        }
        let mut fields = Vec::new();
        let mut end = term.span.1;
        while let Tok::Field(f) = &self.peek().tok {
            fields.push(f.clone());
            end = self.peek().end;
            self.next();
        }
        let span = (term.span.0, end);
        let kind = match term.kind {
            ArgKind::Field(mut first) => {
                first.extend(fields);
                ArgKind::Field(first)
            }
            ArgKind::Var(name, mut first) => {
                first.extend(fields);
                ArgKind::Var(name, first)
            }
            ArgKind::Bool(_) | ArgKind::Str(_) | ArgKind::Num(_) | ArgKind::Nil | ArgKind::Dot => {
                return self.err(format!("unexpected . after term {:?}", term.describe()), span);
            }
            _ => ArgKind::Chain(Box::new(term), fields),
        };
        Ok(Some(Arg { kind, span }))
    }

    fn term(&mut self) -> PResult<Option<Arg>> {
        let t = self.next_non_space();
        let span = (t.start, t.end);
        let kind = match &t.tok {
            Tok::Ident(name) => {
                let mut name = name.clone();
                let mut span = span;
                if NAMESPACES.contains(&name.as_str())
                    && let Tok::Field(f) = &self.peek().tok
                {
                    name = format!("{name}.{f}");
                    span.1 = self.peek().end;
                    self.next();
                }
                if !funcs::is_function(&name) {
                    return self.err(format!("function {name:?} not defined"), span);
                }
                return Ok(Some(Arg { kind: ArgKind::Func(name), span }));
            }
            Tok::Dot => ArgKind::Dot,
            Tok::Nil => ArgKind::Nil,
            Tok::Var(name) => {
                if !self.vars.iter().any(|v| v == name) {
                    return self.err(format!("undefined variable {name:?}"), span);
                }
                ArgKind::Var(name.clone(), Vec::new())
            }
            Tok::Field(f) => ArgKind::Field(vec![f.clone()]),
            Tok::Bool(b) => ArgKind::Bool(*b),
            Tok::Number(text) => ArgKind::Num(parse_number(text).ok_or_else(|| ParseError {
                message: format!("illegal number syntax: {text:?}"),
                start: t.start,
                end: t.end,
            })?),
            Tok::Char(text) => {
                let v = unquote_char(text).map_err(|m| ParseError { message: m, start: t.start, end: t.end })?;
                ArgKind::Num(Num::Int(v))
            }
            Tok::Str(text) => {
                ArgKind::Str(unquote(text).map_err(|m| ParseError { message: m, start: t.start, end: t.end })?)
            }
            Tok::LParen => {
                self.enter(span)?;
                let pipe = self.pipeline("parenthesized pipeline", &Tok::RParen);
                self.leave();
                let pipe = pipe?;
                let span = (t.start, pipe.span.1);
                return Ok(Some(Arg { kind: ArgKind::Pipe(Box::new(pipe)), span }));
            }
            _ => {
                self.pos -= 1;
                return Ok(None);
            }
        };
        Ok(Some(Arg { kind, span }))
    }
}

/// Parses a Go number literal: ints (decimal, hex, octal, binary, underscores) become `Int`;
/// anything with a fraction or exponent becomes `Float`.
pub(crate) fn parse_number(text: &str) -> Option<Num> {
    let (neg, body) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if body.is_empty() || body.starts_with('_') || body.ends_with('_') || body.contains("__") {
        return None;
    }
    let clean: String = body.chars().filter(|&c| c != '_').collect();
    let lower = clean.to_ascii_lowercase();
    let int = if let Some(h) = lower.strip_prefix("0x") {
        if h.contains(['.', 'p']) {
            return None;
        }
        u64::from_str_radix(h, 16).ok()
    } else if let Some(o) = lower.strip_prefix("0o") {
        u64::from_str_radix(o, 8).ok()
    } else if let Some(b) = lower.strip_prefix("0b") {
        u64::from_str_radix(b, 2).ok()
    } else if lower.contains(['.', 'e']) {
        None
    } else if lower.len() > 1 && lower.starts_with('0') {
        u64::from_str_radix(&lower[1..], 8).ok()
    } else {
        lower.parse::<u64>().ok()
    };
    if let Some(u) = int {
        let v = i64::try_from(u).ok().or(if neg && u == 1u64 << 63 { Some(i64::MIN) } else { None });
        return match v {
            Some(v) if neg && v == i64::MIN => Some(Num::Int(v)),
            Some(v) => Some(Num::Int(if neg { -v } else { v })),
            None => Some(Num::Float(if neg { -(u as f64) } else { u as f64 })),
        };
    }
    if lower.starts_with("0x") || lower.starts_with("0o") || lower.starts_with("0b") {
        return None;
    }
    if !lower.contains(['.', 'e']) {
        return None;
    }
    let f: f64 = lower.parse().ok()?;
    if !f.is_finite() {
        return None;
    }
    Some(Num::Float(if neg { -f } else { f }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert!(matches!(parse_number("42"), Some(Num::Int(42))));
        assert!(matches!(parse_number("-0x1F"), Some(Num::Int(-31))));
        assert!(matches!(parse_number("1_000"), Some(Num::Int(1000))));
        assert!(matches!(parse_number("1.5"), Some(Num::Float(f)) if f == 1.5));
        assert!(matches!(parse_number("1e3"), Some(Num::Float(f)) if f == 1000.0));
        assert!(matches!(parse_number(".5"), Some(Num::Float(f)) if f == 0.5));
        assert!(parse_number("-").is_none());
        assert!(parse_number("0x").is_none());
    }

    #[test]
    fn errors() {
        let e = |s: &str| parse(s).unwrap_err().message;
        assert_eq!(e("{{end}}"), "unexpected {{end}}");
        assert_eq!(e("{{ nope 1 }}"), "function \"nope\" not defined");
        assert_eq!(e("{{ $x }}"), "undefined variable \"$x\"");
        assert_eq!(e("{{ }}"), "missing value for command");
        assert_eq!(e("{{break}}"), "{{break}} outside {{range}}");
        assert!(e("x{{if .a}}y").starts_with("unexpected EOF"));
        assert_eq!(parse("x{{if .a}}y").unwrap_err().start, 1);
    }

    #[test]
    fn structure() {
        let p =
            parse(r#"{{define "a"}}A{{end}}{{if .x}}1{{else if .y}}2{{else}}3{{end}}{{block "b" .}}B{{end}}"#).unwrap();
        assert_eq!(p.defines.len(), 2);
        assert_eq!(p.main.len(), 2);
        let p = parse("{{ coll.Dict \"a\" 1 | data.ToJSON }}{{ $x := 1 }}{{ $x.y }}").unwrap();
        assert_eq!(p.main.len(), 3);
    }
}
