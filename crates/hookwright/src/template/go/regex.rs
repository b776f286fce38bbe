//! A small RE2-style regular expression engine for `match` and `reReplaceAll`.
//!
//! Supported: literals, `.`, classes (`[a-z]`, `[^…]`, `[[:alpha:]]`), `\d \w \s \D \W \S`,
//! `\b \B \A \z`, anchors `^ $`, groups (capturing, `(?:…)`, `(?P<name>…)`, `(?<name>…)`),
//! flags `(?i)`, `(?m)`, `(?s)`, `(?U)`, alternation, greedy and lazy quantifiers
//! `* + ? {m} {m,} {m,n}`. Matching is a Pike VM (leftmost-first, like Go's `regexp`), so time is
//! linear in the input; a step budget bounds it further.

use std::rc::Rc;

/// Largest repeat count, as RE2.
const MAX_REPEAT: u32 = 1000;
/// Largest compiled program.
const MAX_PROG: usize = 20_000;
/// Deepest group nesting.
const MAX_NEST: usize = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Look {
    BeginText,
    EndText,
    BeginLine,
    EndLine,
    WordBoundary,
    NotWordBoundary,
}

#[derive(Debug, Clone)]
enum Node {
    Empty,
    Char(char, bool),
    Class(Rc<Vec<(char, char)>>, bool, bool),
    Any(bool),
    Look(Look),
    Cap(Box<Node>, usize),
    Concat(Vec<Node>),
    Alt(Vec<Node>),
    Rep(Box<Node>, u32, Option<u32>, bool),
}

#[derive(Debug, Clone)]
enum Inst {
    Char(char, bool),
    Class(Rc<Vec<(char, char)>>, bool, bool),
    Any(bool),
    Split(usize, usize),
    Jmp(usize),
    Save(usize),
    Look(Look),
    Match,
}

/// A compiled regular expression.
#[derive(Debug, Clone)]
pub(crate) struct Regex {
    prog: Vec<Inst>,
    ncap: usize,
    names: Vec<Option<String>>,
}

/// The step budget ran out.
#[derive(Debug)]
pub(crate) struct BudgetExceeded;

#[derive(Clone, Copy)]
struct Flags {
    fold: bool,
    multi: bool,
    dotall: bool,
    ungreedy: bool,
}

struct ReParser<'a> {
    src: &'a str,
    chars: Vec<char>,
    pos: usize,
    ncap: usize,
    names: Vec<Option<String>>,
    depth: usize,
}

fn perr(msg: &str, what: &str) -> String {
    format!("error parsing regexp: {msg}: `{what}`")
}

impl Regex {
    /// Compiles `pattern`; errors read like Go's (`error parsing regexp: …`).
    pub(crate) fn new(pattern: &str) -> Result<Regex, String> {
        let mut p =
            ReParser { src: pattern, chars: pattern.chars().collect(), pos: 0, ncap: 1, names: vec![None], depth: 0 };
        let flags = Flags { fold: false, multi: false, dotall: false, ungreedy: false };
        let node = p.parse_alt(flags)?;
        if p.pos < p.chars.len() {
            // Only an unmatched ')' stops the top level early.
            return Err(perr("unexpected )", pattern));
        }
        let mut prog = vec![Inst::Save(0)];
        compile(&node, &mut prog)?;
        prog.push(Inst::Save(1));
        prog.push(Inst::Match);
        Ok(Regex { prog, ncap: p.ncap * 2, names: p.names })
    }

    /// Index of a named group.
    fn group_index(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n.as_deref() == Some(name))
    }

    /// Whether the regex matches anywhere in `text`.
    pub(crate) fn is_match(&self, text: &str, budget: &mut u64) -> Result<bool, BudgetExceeded> {
        Ok(self.find_at(text, 0, budget)?.is_some())
    }

    /// Leftmost-first match starting the search at byte `start`: capture positions.
    fn find_at(
        &self,
        text: &str,
        start: usize,
        budget: &mut u64,
    ) -> Result<Option<Vec<Option<usize>>>, BudgetExceeded> {
        let n = self.prog.len();
        let mut visited = vec![0u64; n];
        let mut generation = 1u64;
        let mut clist: Vec<(usize, Vec<Option<usize>>)> = Vec::new();
        let mut nlist: Vec<(usize, Vec<Option<usize>>)> = Vec::new();
        let mut matched: Option<Vec<Option<usize>>> = None;
        let mut pos = start;
        let mut stack: Vec<(usize, Vec<Option<usize>>)> = Vec::new();
        loop {
            if matched.is_none() {
                self.add(
                    &mut clist,
                    &mut visited,
                    generation,
                    0,
                    vec![None; self.ncap],
                    pos,
                    text,
                    &mut stack,
                    budget,
                )?;
            }
            if clist.is_empty() {
                break;
            }
            let c = text.get(pos..).and_then(|s| s.chars().next());
            let next_pos = pos + c.map_or(0, char::len_utf8);
            generation += 1;
            nlist.clear();
            for (pc, caps) in clist.drain(..) {
                let ok = match &self.prog[pc] {
                    Inst::Match => {
                        matched = Some(caps);
                        break;
                    }
                    Inst::Char(ch, fold) => c.is_some_and(|c| char_eq(c, *ch, *fold)),
                    Inst::Class(ranges, neg, fold) => c.is_some_and(|c| class_has(ranges, *fold, c) != *neg),
                    Inst::Any(dotall) => c.is_some_and(|c| *dotall || c != '\n'),
                    _ => false,
                };
                if ok {
                    self.add(&mut nlist, &mut visited, generation, pc + 1, caps, next_pos, text, &mut stack, budget)?;
                }
            }
            std::mem::swap(&mut clist, &mut nlist);
            if c.is_none() {
                break;
            }
            pos = next_pos;
        }
        Ok(matched)
    }

    #[allow(clippy::too_many_arguments)]
    fn add(
        &self,
        list: &mut Vec<(usize, Vec<Option<usize>>)>,
        visited: &mut [u64],
        generation: u64,
        pc: usize,
        caps: Vec<Option<usize>>,
        pos: usize,
        text: &str,
        stack: &mut Vec<(usize, Vec<Option<usize>>)>,
        budget: &mut u64,
    ) -> Result<(), BudgetExceeded> {
        stack.clear();
        stack.push((pc, caps));
        while let Some((pc, mut caps)) = stack.pop() {
            if *budget == 0 {
                return Err(BudgetExceeded);
            }
            *budget -= 1;
            let Some(slot) = visited.get_mut(pc) else { continue };
            if *slot == generation {
                continue;
            }
            *slot = generation;
            match &self.prog[pc] {
                Inst::Jmp(x) => stack.push((*x, caps)),
                Inst::Split(x, y) => {
                    stack.push((*y, caps.clone()));
                    stack.push((*x, caps));
                }
                Inst::Save(i) => {
                    if let Some(s) = caps.get_mut(*i) {
                        *s = Some(pos);
                    }
                    stack.push((pc + 1, caps));
                }
                Inst::Look(l) => {
                    if look_holds(*l, text, pos) {
                        stack.push((pc + 1, caps));
                    }
                }
                _ => list.push((pc, caps)),
            }
        }
        Ok(())
    }

    /// Go's `ReplaceAllString`: `$1`, `${1}`, `$name`, `${name}` expand; `$$` is a dollar.
    pub(crate) fn replace_all(&self, text: &str, repl: &str, budget: &mut u64) -> Result<String, BudgetExceeded> {
        let mut out = String::new();
        let mut last_end = 0usize;
        let mut search = 0usize;
        let end = text.len();
        while search <= end {
            let Some(caps) = self.find_at(text, search, budget)? else { break };
            let (Some(a0), Some(a1)) = (caps[0], caps[1]) else { break };
            out.push_str(text.get(last_end..a0).unwrap_or(""));
            if a1 > last_end || a0 == 0 {
                self.expand(&mut out, repl, text, &caps);
            }
            last_end = a1;
            let width = text.get(search..).and_then(|s| s.chars().next()).map_or(0, char::len_utf8);
            if search + width > a1 {
                search += width;
            } else if search + 1 > a1 {
                search += 1;
            } else {
                search = a1;
            }
            if width == 0 && search > end {
                break;
            }
        }
        out.push_str(text.get(last_end..).unwrap_or(""));
        Ok(out)
    }

    fn expand(&self, out: &mut String, template: &str, text: &str, caps: &[Option<usize>]) {
        let mut rest = template;
        while let Some(i) = rest.find('$') {
            out.push_str(&rest[..i]);
            rest = &rest[i + 1..];
            if let Some(r) = rest.strip_prefix('$') {
                out.push('$');
                rest = r;
                continue;
            }
            let (name, after) = if let Some(r) = rest.strip_prefix('{') {
                match r.find('}') {
                    Some(j) if j > 0 && r[..j].chars().all(|c| c == '_' || c.is_alphanumeric()) => {
                        (&r[..j], &r[j + 1..])
                    }
                    _ => {
                        out.push('$');
                        continue;
                    }
                }
            } else {
                let j = rest.find(|c: char| !(c == '_' || c.is_alphanumeric())).unwrap_or(rest.len());
                if j == 0 {
                    out.push('$');
                    continue;
                }
                (&rest[..j], &rest[j..])
            };
            rest = after;
            let idx = if name.bytes().all(|b| b.is_ascii_digit()) {
                name.parse::<usize>().ok()
            } else {
                self.group_index(name)
            };
            if let Some(g) = idx
                && let (Some(Some(s)), Some(Some(e))) = (caps.get(2 * g), caps.get(2 * g + 1))
            {
                out.push_str(text.get(*s..*e).unwrap_or(""));
            }
        }
        out.push_str(rest);
    }
}

fn is_word(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn look_holds(l: Look, text: &str, pos: usize) -> bool {
    let prev = text.get(..pos).and_then(|s| s.chars().next_back());
    let next = text.get(pos..).and_then(|s| s.chars().next());
    match l {
        Look::BeginText => pos == 0,
        Look::EndText => pos == text.len(),
        Look::BeginLine => pos == 0 || prev == Some('\n'),
        Look::EndLine => pos == text.len() || next == Some('\n'),
        Look::WordBoundary => is_word(prev) != is_word(next),
        Look::NotWordBoundary => is_word(prev) == is_word(next),
    }
}

fn char_eq(c: char, want: char, fold: bool) -> bool {
    if c == want {
        return true;
    }
    fold && (c.to_lowercase().eq(want.to_lowercase()))
}

fn class_has(ranges: &[(char, char)], fold: bool, c: char) -> bool {
    let hit = |c: char| ranges.iter().any(|&(a, b)| a <= c && c <= b);
    if hit(c) {
        return true;
    }
    if fold {
        let mut alts = c.to_lowercase().chain(c.to_uppercase());
        return alts.any(hit);
    }
    false
}

fn compile(node: &Node, prog: &mut Vec<Inst>) -> Result<(), String> {
    if prog.len() > MAX_PROG {
        return Err("error parsing regexp: expression too large".into());
    }
    match node {
        Node::Empty => {}
        Node::Char(c, f) => prog.push(Inst::Char(*c, *f)),
        Node::Class(r, n, f) => prog.push(Inst::Class(r.clone(), *n, *f)),
        Node::Any(d) => prog.push(Inst::Any(*d)),
        Node::Look(l) => prog.push(Inst::Look(*l)),
        Node::Cap(inner, i) => {
            prog.push(Inst::Save(2 * i));
            compile(inner, prog)?;
            prog.push(Inst::Save(2 * i + 1));
        }
        Node::Concat(items) => {
            for it in items {
                compile(it, prog)?;
            }
        }
        Node::Alt(branches) => {
            // split L1, next; L1: a; jmp end; next: split L2, …
            let mut jumps = Vec::new();
            for (i, b) in branches.iter().enumerate() {
                if i + 1 < branches.len() {
                    let split = prog.len();
                    prog.push(Inst::Split(split + 1, 0));
                    compile(b, prog)?;
                    jumps.push(prog.len());
                    prog.push(Inst::Jmp(0));
                    let next = prog.len();
                    prog[split] = Inst::Split(split + 1, next);
                } else {
                    compile(b, prog)?;
                }
            }
            let end = prog.len();
            for j in jumps {
                prog[j] = Inst::Jmp(end);
            }
        }
        Node::Rep(inner, min, max, greedy) => {
            for _ in 0..*min {
                compile(inner, prog)?;
                if prog.len() > MAX_PROG {
                    return Err("error parsing regexp: expression too large".into());
                }
            }
            match max {
                None => {
                    // L1: split L2, L3; L2: inner; jmp L1; L3:
                    let l1 = prog.len();
                    prog.push(Inst::Split(0, 0));
                    compile(inner, prog)?;
                    prog.push(Inst::Jmp(l1));
                    let l3 = prog.len();
                    prog[l1] = if *greedy { Inst::Split(l1 + 1, l3) } else { Inst::Split(l3, l1 + 1) };
                }
                Some(max) => {
                    let mut splits = Vec::new();
                    for _ in *min..*max {
                        splits.push(prog.len());
                        prog.push(Inst::Split(0, 0));
                        compile(inner, prog)?;
                        if prog.len() > MAX_PROG {
                            return Err("error parsing regexp: expression too large".into());
                        }
                    }
                    let end = prog.len();
                    for s in splits {
                        prog[s] = if *greedy { Inst::Split(s + 1, end) } else { Inst::Split(end, s + 1) };
                    }
                }
            }
        }
    }
    Ok(())
}

fn perl_class(c: char) -> Option<(Vec<(char, char)>, bool)> {
    let digits = vec![('0', '9')];
    let word = vec![('0', '9'), ('A', 'Z'), ('_', '_'), ('a', 'z')];
    let space = vec![('\t', '\n'), ('\u{c}', '\r'), (' ', ' ')];
    Some(match c {
        'd' => (digits, false),
        'D' => (digits, true),
        'w' => (word, false),
        'W' => (word, true),
        's' => (space, false),
        'S' => (space, true),
        _ => return None,
    })
}

fn posix_class(name: &str) -> Option<Vec<(char, char)>> {
    Some(match name {
        "alnum" => vec![('0', '9'), ('A', 'Z'), ('a', 'z')],
        "alpha" => vec![('A', 'Z'), ('a', 'z')],
        "ascii" => vec![('\0', '\u{7f}')],
        "blank" => vec![('\t', '\t'), (' ', ' ')],
        "cntrl" => vec![('\0', '\u{1f}'), ('\u{7f}', '\u{7f}')],
        "digit" => vec![('0', '9')],
        "graph" => vec![('!', '~')],
        "lower" => vec![('a', 'z')],
        "print" => vec![(' ', '~')],
        "punct" => vec![('!', '/'), (':', '@'), ('[', '`'), ('{', '~')],
        "space" => vec![('\t', '\r'), (' ', ' ')],
        "upper" => vec![('A', 'Z')],
        "word" => vec![('0', '9'), ('A', 'Z'), ('_', '_'), ('a', 'z')],
        "xdigit" => vec![('0', '9'), ('A', 'F'), ('a', 'f')],
        _ => return None,
    })
}

fn negate(ranges: &[(char, char)]) -> Vec<(char, char)> {
    let mut sorted = ranges.to_vec();
    sorted.sort();
    let mut out = Vec::new();
    let mut next = 0u32;
    for (a, b) in sorted {
        if (a as u32) > next
            && let (Some(x), Some(y)) = (char::from_u32(next), char::from_u32(a as u32 - 1))
        {
            out.push((x, y));
        }
        next = next.max(b as u32 + 1);
    }
    if next <= 0x10FFFF
        && let Some(x) = char::from_u32(next).or(char::from_u32(0xE000))
    {
        out.push((x, '\u{10FFFF}'));
    }
    out
}

impl ReParser<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn parse_alt(&mut self, flags: Flags) -> Result<Node, String> {
        let mut flags = flags;
        let mut branches = vec![self.parse_concat(&mut flags)?];
        while self.eat('|') {
            branches.push(self.parse_concat(&mut flags)?);
        }
        Ok(if branches.len() == 1 { branches.pop().unwrap_or(Node::Empty) } else { Node::Alt(branches) })
    }

    fn parse_concat(&mut self, flags: &mut Flags) -> Result<Node, String> {
        let mut items: Vec<Node> = Vec::new();
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            let Some(atom) = self.parse_atom(flags)? else { continue };
            let atom = self.parse_repeat(atom, *flags)?;
            items.push(atom);
        }
        Ok(match items.len() {
            0 => Node::Empty,
            1 => items.pop().unwrap_or(Node::Empty),
            _ => Node::Concat(items),
        })
    }

    fn parse_repeat(&mut self, atom: Node, flags: Flags) -> Result<Node, String> {
        let mut atom = atom;
        let mut repeated = false;
        loop {
            let op_start = self.pos;
            let (min, max) = match self.peek() {
                Some('*') => {
                    self.pos += 1;
                    (0, None)
                }
                Some('+') => {
                    self.pos += 1;
                    (1, None)
                }
                Some('?') => {
                    self.pos += 1;
                    (0, Some(1))
                }
                Some('{') => match self.parse_braces()? {
                    Some(r) => r,
                    None => return Ok(atom),
                },
                _ => return Ok(atom),
            };
            if repeated {
                let op: String = self.chars[op_start.saturating_sub(1)..self.pos].iter().collect();
                return Err(perr("invalid nested repetition operator", &op));
            }
            let mut greedy = true;
            if self.eat('?') {
                greedy = false;
            }
            if flags.ungreedy {
                greedy = !greedy;
            }
            atom = Node::Rep(Box::new(atom), min, max, greedy);
            repeated = true;
        }
    }

    /// `{m}`, `{m,}`, `{m,n}`; `None` (and no input consumed) when it is a literal `{`.
    fn parse_braces(&mut self) -> Result<Option<(u32, Option<u32>)>, String> {
        let save = self.pos;
        self.pos += 1;
        let num = |p: &mut Self| -> Option<u32> {
            let s = p.pos;
            while p.peek().is_some_and(|c| c.is_ascii_digit()) {
                p.pos += 1;
            }
            if s == p.pos {
                return None;
            }
            let t: String = p.chars[s..p.pos].iter().collect();
            Some(t.parse::<u32>().unwrap_or(u32::MAX))
        };
        let Some(min) = num(self) else {
            self.pos = save;
            return Ok(None);
        };
        let max =
            if self.eat(',') { if self.peek() == Some('}') { None } else { Some(num(self)) } } else { Some(Some(min)) };
        let max = match max {
            Some(None) => {
                self.pos = save;
                return Ok(None);
            }
            Some(Some(m)) => Some(m),
            None => None,
        };
        if !self.eat('}') {
            self.pos = save;
            return Ok(None);
        }
        let text: String = self.chars[save..self.pos].iter().collect();
        if min > MAX_REPEAT || max.is_some_and(|m| m > MAX_REPEAT || m < min) {
            return Err(perr("invalid repeat count", &text));
        }
        Ok(Some((min, max)))
    }

    fn parse_atom(&mut self, flags: &mut Flags) -> Result<Option<Node>, String> {
        let Some(c) = self.next_char() else { return Ok(Some(Node::Empty)) };
        Ok(Some(match c {
            '(' => return self.parse_group(flags),
            '[' => self.parse_class(*flags)?,
            '.' => Node::Any(flags.dotall),
            '^' => Node::Look(if flags.multi { Look::BeginLine } else { Look::BeginText }),
            '$' => Node::Look(if flags.multi { Look::EndLine } else { Look::EndText }),
            '\\' => self.parse_escape(*flags)?,
            '*' | '+' | '?' => return Err(perr("missing argument to repetition operator", &c.to_string())),
            c => Node::Char(c, flags.fold),
        }))
    }

    fn next_char(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += 1;
        Some(c)
    }

    fn parse_group(&mut self, flags: &mut Flags) -> Result<Option<Node>, String> {
        self.depth += 1;
        if self.depth > MAX_NEST {
            return Err(perr("expression nests too deeply", self.src));
        }
        let mut inner_flags = *flags;
        let mut capture: Option<Option<String>> = Some(None);
        if self.eat('?') {
            if self.eat('P') || self.peek() == Some('<') {
                if !self.eat('<') {
                    return Err(perr("invalid or unsupported Perl syntax", "(?P"));
                }
                let start = self.pos;
                while self.peek().is_some_and(|c| c == '_' || c.is_alphanumeric()) {
                    self.pos += 1;
                }
                let name: String = self.chars[start..self.pos].iter().collect();
                if name.is_empty() || !self.eat('>') {
                    return Err(perr("invalid named capture", self.src));
                }
                capture = Some(Some(name));
            } else {
                // Flags: (?flags) or (?flags:re)
                let mut neg = false;
                loop {
                    match self.next_char() {
                        Some('i') => inner_flags.fold = !neg,
                        Some('m') => inner_flags.multi = !neg,
                        Some('s') => inner_flags.dotall = !neg,
                        Some('U') => inner_flags.ungreedy = !neg,
                        Some('-') if !neg => neg = true,
                        Some(')') => {
                            // Flags apply to the rest of the current group.
                            *flags = inner_flags;
                            self.depth -= 1;
                            return Ok(None);
                        }
                        Some(':') => break,
                        _ => return Err(perr("invalid or unsupported Perl syntax", self.src)),
                    }
                }
                capture = None;
            }
        }
        let index = if let Some(name) = capture {
            let i = self.ncap;
            self.ncap += 1;
            self.names.push(name);
            Some(i)
        } else {
            None
        };
        let inner = self.parse_alt(inner_flags)?;
        if !self.eat(')') {
            return Err(perr("missing closing )", self.src));
        }
        self.depth -= 1;
        Ok(Some(match index {
            Some(i) => Node::Cap(Box::new(inner), i),
            None => inner,
        }))
    }

    fn parse_escape(&mut self, flags: Flags) -> Result<Node, String> {
        let Some(c) = self.next_char() else {
            return Err(perr("trailing backslash at end of expression", ""));
        };
        if let Some((r, neg)) = perl_class(c) {
            return Ok(Node::Class(Rc::new(r), neg, false));
        }
        Ok(match c {
            'b' => Node::Look(Look::WordBoundary),
            'B' => Node::Look(Look::NotWordBoundary),
            'A' => Node::Look(Look::BeginText),
            'z' => Node::Look(Look::EndText),
            _ => Node::Char(self.escape_char(c)?, flags.fold),
        })
    }

    /// A single-character escape (after the backslash).
    fn escape_char(&mut self, c: char) -> Result<char, String> {
        Ok(match c {
            'n' => '\n',
            't' => '\t',
            'r' => '\r',
            'f' => '\u{c}',
            'v' => '\u{b}',
            'a' => '\u{7}',
            '0'..='7' => {
                let mut v = c.to_digit(8).unwrap_or(0);
                for _ in 0..2 {
                    match self.peek().and_then(|d| d.to_digit(8)) {
                        Some(d) => {
                            v = v * 8 + d;
                            self.pos += 1;
                        }
                        None => break,
                    }
                }
                char::from_u32(v).unwrap_or('\0')
            }
            'x' => {
                let hex: String = if self.eat('{') {
                    let s = self.pos;
                    while self.peek().is_some_and(|d| d != '}') {
                        self.pos += 1;
                    }
                    let h: String = self.chars[s..self.pos].iter().collect();
                    if !self.eat('}') {
                        return Err(perr("invalid escape sequence", "\\x{"));
                    }
                    h
                } else {
                    let h: String =
                        self.chars.get(self.pos..self.pos + 2).map(|s| s.iter().collect()).unwrap_or_default();
                    self.pos = (self.pos + 2).min(self.chars.len());
                    h
                };
                u32::from_str_radix(&hex, 16)
                    .ok()
                    .and_then(char::from_u32)
                    .ok_or_else(|| perr("invalid escape sequence", &format!("\\x{hex}")))?
            }
            c if c.is_ascii_punctuation() => c,
            c => return Err(perr("invalid escape sequence", &format!("\\{c}"))),
        })
    }

    fn parse_class(&mut self, flags: Flags) -> Result<Node, String> {
        let start = self.pos - 1;
        let neg = self.eat('^');
        let mut ranges: Vec<(char, char)> = Vec::new();
        let mut first = true;
        loop {
            let Some(c) = self.next_char() else {
                let text: String = self.chars[start..].iter().collect();
                return Err(perr("missing closing ]", &text));
            };
            if c == ']' && !first {
                break;
            }
            first = false;
            if c == '[' && self.peek() == Some(':') {
                let rest: String = self.chars[self.pos..].iter().collect();
                if let Some(end) = rest.get(1..).and_then(|r| r.find(":]")).map(|e| e + 1) {
                    let name = &rest[1..end];
                    let (neg_posix, name) = match name.strip_prefix('^') {
                        Some(n) => (true, n),
                        None => (false, name),
                    };
                    if let Some(r) = posix_class(name) {
                        self.pos += rest[..end + 2].chars().count();
                        if neg_posix {
                            ranges.extend(negate(&r));
                        } else {
                            ranges.extend(r);
                        }
                        continue;
                    }
                    return Err(perr("invalid character class range", &format!("[{}", &rest[..end + 2])));
                }
            }
            let lo = if c == '\\' {
                let Some(e) = self.next_char() else {
                    return Err(perr("trailing backslash at end of expression", ""));
                };
                if let Some((r, n)) = perl_class(e) {
                    if n {
                        ranges.extend(negate(&r));
                    } else {
                        ranges.extend(r);
                    }
                    continue;
                }
                self.escape_char(e)?
            } else {
                c
            };
            // A range?
            if self.peek() == Some('-') && self.chars.get(self.pos + 1).is_some_and(|&n| n != ']') {
                self.pos += 1;
                let Some(h) = self.next_char() else { continue };
                let hi = if h == '\\' {
                    let Some(e) = self.next_char() else {
                        return Err(perr("trailing backslash at end of expression", ""));
                    };
                    self.escape_char(e)?
                } else {
                    h
                };
                if hi < lo {
                    return Err(perr("invalid character class range", &format!("{lo}-{hi}")));
                }
                ranges.push((lo, hi));
            } else {
                ranges.push((lo, lo));
            }
        }
        Ok(Node::Class(Rc::new(ranges), neg, flags.fold))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, t: &str) -> bool {
        Regex::new(p).unwrap().is_match(t, &mut 1_000_000).unwrap()
    }

    fn r(p: &str, t: &str, repl: &str) -> String {
        Regex::new(p).unwrap().replace_all(t, repl, &mut 1_000_000).unwrap()
    }

    #[test]
    fn matching() {
        assert!(m("^a.c$", "abc"));
        assert!(!m("^a.c$", "abcd"));
        assert!(m(r"\d{2,3}", "x123"));
        assert!(m("(?i)HELLO", "say hello"));
        assert!(m("[a-c]+x|foo", "bbx"));
        assert!(!m("[^a-c]", "abc"));
        assert!(m(r"\bword\b", "a word here"));
        assert!(m("[[:digit:]]", "a1"));
    }

    #[test]
    fn replacing() {
        assert_eq!(r("(\\w+)@(\\w+)", "joe@host", "$2 at ${1}"), "host at joe");
        assert_eq!(r("a*", "baaac", "-"), "-b-c-");
        assert_eq!(r("x", "axbxc", "$$"), "a$b$c");
        assert_eq!(r("(a)", "a", "$1x"), "");
        assert_eq!(r("(?P<n>a)", "a", "<$n>"), "<a>");
        assert_eq!(r(":[0-9]+$", "host:9090", ""), "host");
        assert_eq!(r("a+?", "aaa", "b"), "bbb");
    }

    #[test]
    fn errors_and_budget() {
        assert!(Regex::new("(ab").unwrap_err().contains("missing closing )"));
        assert!(Regex::new("a{1001}").unwrap_err().contains("invalid repeat count"));
        assert!(Regex::new("*a").is_err());
        assert!(Regex::new("a**").is_err());
        assert!(Regex::new("[[:]]").is_ok());
        assert!(Regex::new("[[:nope:]]").is_err());
        for p in ["[", "(", "(?", "(?P<", "\\", "a{2", "[a-", "[\\", "x{2,1}", "(?i", "[[:", "\\x{zz}", "\\p"] {
            let _ = Regex::new(p);
        }
        let re = Regex::new("(a*)*b").unwrap();
        let text = "a".repeat(5000);
        assert!(re.is_match(&text, &mut 1000).is_err());
    }
}
