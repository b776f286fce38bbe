//! The executor: walks parsed trees against data, with Go's `text/template` semantics and
//! hard bounds on steps, nesting and output.

use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;
use std::sync::Arc;

use super::parser::{Arg, ArgKind, Branch, Cmd, Node, Num, Pipe, Span};
use super::regex::Regex;
use super::value::{Val, write_v};
use crate::template::Limits;

/// Hard cap on template call nesting, whatever `Limits::depth` says (stack safety).
const HARD_DEPTH: u32 = 100;
/// Hard cap on structural nesting (lists inside control structures, nested pipelines).
const MAX_NEST: u32 = 150;
/// Most `<no value>` warnings collected.
const MAX_WARNINGS: usize = 20;

/// A named, parsed template body.
#[derive(Debug)]
pub(crate) struct Tree {
    pub name: String,
    pub root: Vec<Node>,
    /// Parsed from the user's source (spans point into it).
    pub user: bool,
}

/// An execution failure. `span` is `None` while the error sits in code that is not the user's
/// source (a built-in or inline template); the nearest user call site fills it in.
#[derive(Debug)]
pub(crate) struct ExecError {
    pub code: &'static str,
    pub message: String,
    pub span: Option<Span>,
}

pub(crate) type R<T> = Result<T, ExecError>;

#[derive(PartialEq, Eq)]
enum Flow {
    Normal,
    Break,
    Continue,
}

/// Execution state.
pub(crate) struct Exec {
    /// Shared with the template; copied only when `tmpl.Inline` defines templates.
    pub(crate) trees: Arc<HashMap<String, Arc<Tree>>>,
    limits: Limits,
    steps: u64,
    depth: u32,
    nest: u32,
    pub(crate) out: String,
    vars: Vec<(String, Val)>,
    user: bool,
    pub(crate) root: Val,
    pub(crate) warnings: Vec<(String, Span)>,
    regexes: HashMap<String, Rc<Regex>>,
}

impl Exec {
    pub(crate) fn new(trees: Arc<HashMap<String, Arc<Tree>>>, limits: Limits, root: Val) -> Exec {
        Exec {
            trees,
            limits,
            steps: 0,
            depth: 0,
            nest: 0,
            out: String::new(),
            vars: Vec::new(),
            user: true,
            root,
            warnings: Vec::new(),
            regexes: HashMap::new(),
        }
    }

    /// Runs `tree` with `dot` and returns the output.
    pub(crate) fn run(&mut self, tree: &Arc<Tree>, dot: Val) -> R<String> {
        self.vars = vec![("$".into(), dot.clone())];
        self.user = tree.user;
        self.exec_list(&dot, &tree.root)?;
        Ok(std::mem::take(&mut self.out))
    }

    // ---- bookkeeping -------------------------------------------------------------------------

    /// An error at `span` (when executing user source).
    pub(crate) fn fail(&self, code: &'static str, message: impl Into<String>, span: Span) -> ExecError {
        ExecError { code, message: message.into(), span: if self.user { Some(span) } else { None } }
    }

    pub(crate) fn step(&mut self, span: Span) -> R<()> {
        self.charge(1, span)
    }

    /// Charges `n` steps.
    pub(crate) fn charge(&mut self, n: u64, span: Span) -> R<()> {
        self.steps = self.steps.saturating_add(n);
        if self.steps > self.limits.steps {
            return Err(self.fail(
                "limit_exceeded",
                format!("evaluation exceeded the limit of {} steps", self.limits.steps),
                span,
            ));
        }
        Ok(())
    }

    /// Fails when a produced string is larger than the output limit.
    pub(crate) fn check_size(&self, len: usize, span: Span) -> R<()> {
        if len > self.limits.output {
            return Err(self.fail(
                "limit_exceeded",
                format!("output exceeds the limit of {} bytes", self.limits.output),
                span,
            ));
        }
        Ok(())
    }

    fn write(&mut self, s: &str, span: Span) -> R<()> {
        self.check_size(self.out.len().saturating_add(s.len()), span)?;
        self.out.push_str(s);
        Ok(())
    }

    fn enter(&mut self, span: Span) -> R<()> {
        self.nest += 1;
        if self.nest > MAX_NEST {
            return Err(self.fail("limit_exceeded", "template nesting is too deep", span));
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.nest = self.nest.saturating_sub(1);
    }

    fn var(&self, name: &str, span: Span) -> R<Val> {
        match self.vars.iter().rev().find(|(n, _)| n == name) {
            Some((_, v)) => Ok(v.clone()),
            None => Err(self.fail("undefined_value", format!("undefined variable: {name}"), span)),
        }
    }

    fn set_var(&mut self, name: &str, v: Val, span: Span) -> R<()> {
        match self.vars.iter_mut().rev().find(|(n, _)| n == name) {
            Some(slot) => {
                slot.1 = v;
                Ok(())
            }
            None => Err(self.fail("undefined_value", format!("undefined variable: {name}"), span)),
        }
    }

    /// A compiled regex, cached.
    pub(crate) fn regex(&mut self, pattern: &str) -> Result<Rc<Regex>, String> {
        if let Some(r) = self.regexes.get(pattern) {
            return Ok(r.clone());
        }
        let r = Rc::new(Regex::new(pattern)?);
        if self.regexes.len() < 64 {
            self.regexes.insert(pattern.to_string(), r.clone());
        }
        Ok(r)
    }

    /// Steps left, for engines with their own budget.
    pub(crate) fn steps_left(&self) -> u64 {
        self.limits.steps.saturating_sub(self.steps)
    }

    // ---- templates ---------------------------------------------------------------------------

    /// Executes the named template with `dot`, writing to the current output.
    pub(crate) fn call_template(&mut self, name: &str, dot: Val, span: Span) -> R<()> {
        let Some(tree) = self.trees.get(name).cloned() else {
            return Err(self.fail("render_error", format!("template {name:?} not defined"), span));
        };
        self.exec_tree(&tree, dot, span)
    }

    /// Executes a tree in a fresh variable scope, one level deeper.
    pub(crate) fn exec_tree(&mut self, tree: &Arc<Tree>, dot: Val, span: Span) -> R<()> {
        let max = self.limits.depth.min(HARD_DEPTH);
        if self.depth >= max {
            return Err(self.fail(
                "limit_exceeded",
                format!("template calls nest deeper than the limit of {}", self.limits.depth.min(HARD_DEPTH)),
                span,
            ));
        }
        self.depth += 1;
        let saved_vars = std::mem::replace(&mut self.vars, vec![("$".into(), dot.clone())]);
        let saved_user = self.user;
        self.user = tree.user;
        let r = self.exec_list(&dot, &tree.root);
        self.user = saved_user;
        self.vars = saved_vars;
        self.depth -= 1;
        match r {
            Ok(_) => Ok(()),
            Err(mut e) => {
                if e.span.is_none() && saved_user {
                    e.span = Some(span);
                    e.message = format!("in template {:?}: {}", tree.name, e.message);
                }
                Err(e)
            }
        }
    }

    /// Executes the named template into a string (for `tmpl.Exec`).
    pub(crate) fn exec_to_string(&mut self, tree: &Arc<Tree>, dot: Val, span: Span) -> R<String> {
        let saved = std::mem::take(&mut self.out);
        let r = self.exec_tree(tree, dot, span);
        let produced = std::mem::replace(&mut self.out, saved);
        r.map(|_| produced)
    }

    // ---- walking -----------------------------------------------------------------------------

    fn exec_list(&mut self, dot: &Val, nodes: &[Node]) -> R<Flow> {
        let span0 = (0, 0);
        self.enter(span0)?;
        let r = self.exec_nodes(dot, nodes);
        self.leave();
        r
    }

    fn exec_nodes(&mut self, dot: &Val, nodes: &[Node]) -> R<Flow> {
        for node in nodes {
            let flow = match node {
                Node::Text(t, span) => {
                    self.write(t, *span)?;
                    Flow::Normal
                }
                Node::Action(pipe) => {
                    self.exec_action(dot, pipe)?;
                    Flow::Normal
                }
                Node::If(b) => self.exec_if_with(dot, b, false)?,
                Node::With(b) => self.exec_if_with(dot, b, true)?,
                Node::Range(b) => {
                    self.exec_range(dot, b)?;
                    Flow::Normal
                }
                Node::Template { name, pipe, span } => {
                    self.exec_template_node(dot, name, pipe.as_ref(), *span)?;
                    Flow::Normal
                }
                Node::Break => Flow::Break,
                Node::Continue => Flow::Continue,
            };
            if flow != Flow::Normal {
                return Ok(flow);
            }
        }
        Ok(Flow::Normal)
    }

    #[inline(never)]
    fn exec_action(&mut self, dot: &Val, pipe: &Pipe) -> R<()> {
        self.step(pipe.span)?;
        let v = self.eval_pipeline(dot, pipe)?;
        if pipe.decl.is_empty() {
            self.print(&v, pipe)?;
        }
        Ok(())
    }

    #[inline(never)]
    fn exec_template_node(&mut self, dot: &Val, name: &str, pipe: Option<&Pipe>, span: Span) -> R<()> {
        self.step(span)?;
        let v = match pipe {
            Some(p) => self.eval_pipeline(dot, p)?,
            None => Val::Missing,
        };
        self.call_template(name, v, span)
    }

    fn print(&mut self, v: &Val, pipe: &Pipe) -> R<()> {
        if let Val::Missing = v {
            if self.user && self.warnings.len() < MAX_WARNINGS {
                let what = match pipe.cmds.as_slice() {
                    [Cmd { args, .. }] if args.len() == 1 => args[0].describe(),
                    _ => "the pipeline".into(),
                };
                self.warnings.push((format!("{what} has no value (printed as <no value>)"), pipe.span));
            }
            return self.write("<no value>", pipe.span);
        }
        if let Val::Str(s) = v {
            return self.write(s, pipe.span);
        }
        let mut s = String::new();
        write_v(&mut s, v);
        self.write(&s, pipe.span)
    }

    #[inline(never)]
    fn exec_if_with(&mut self, dot: &Val, b: &Branch, with: bool) -> R<Flow> {
        self.step(b.span)?;
        let mark = self.vars.len();
        let r = self.exec_if_with_inner(dot, b, with);
        self.vars.truncate(mark);
        r
    }

    fn exec_if_with_inner(&mut self, dot: &Val, b: &Branch, with: bool) -> R<Flow> {
        let v = self.eval_pipeline(dot, &b.pipe)?;
        if v.truth() {
            let dot = if with { &v } else { dot };
            self.exec_list(dot, &b.list)
        } else if let Some(e) = &b.else_list {
            self.exec_list(dot, e)
        } else {
            Ok(Flow::Normal)
        }
    }

    #[inline(never)]
    fn exec_range(&mut self, dot: &Val, b: &Branch) -> R<()> {
        self.step(b.span)?;
        let mark = self.vars.len();
        let r = self.exec_range_inner(dot, b);
        self.vars.truncate(mark);
        r
    }

    fn exec_range_inner(&mut self, dot: &Val, b: &Branch) -> R<()> {
        let v = self.eval_pipeline(dot, &b.pipe)?;
        let body_mark = self.vars.len();
        let mut iterations = 0u64;
        match &v {
            Val::Arr(a) => {
                for (i, e) in a.items.iter().enumerate() {
                    iterations += 1;
                    if self.range_iteration(b, body_mark, Val::Int(i as i64), e.clone())? == Flow::Break {
                        break;
                    }
                }
            }
            Val::Map(m) => {
                for (k, e) in m.map.iter() {
                    iterations += 1;
                    if self.range_iteration(b, body_mark, Val::str(k.as_str()), e.clone())? == Flow::Break {
                        break;
                    }
                }
            }
            Val::Int(n) => {
                if b.pipe.decl.len() > 1 {
                    return Err(self.fail(
                        "render_error",
                        format!("can't use {n} to iterate over more than one variable"),
                        b.pipe.span,
                    ));
                }
                for i in 0..(*n).max(0) {
                    iterations += 1;
                    if self.range_iteration(b, body_mark, Val::Int(i), Val::Int(i))? == Flow::Break {
                        break;
                    }
                }
            }
            Val::Missing | Val::Null => {}
            other => {
                let mut s = String::new();
                write_v(&mut s, other);
                return Err(self.fail("render_error", format!("range can't iterate over {s}"), b.pipe.span));
            }
        }
        if iterations == 0
            && let Some(e) = &b.else_list
        {
            self.exec_list(dot, e)?;
        }
        Ok(())
    }

    /// One iteration of `range`: sets the declared variables, runs the body.
    #[inline(never)]
    fn range_iteration(&mut self, b: &Branch, body_mark: usize, key: Val, elem: Val) -> R<Flow> {
        self.step(b.span)?;
        let ndecl = b.pipe.decl.len();
        if ndecl > 0 {
            if b.pipe.is_assign {
                self.set_var(&b.pipe.decl[ndecl - 1], elem.clone(), b.span)?;
                if ndecl > 1 {
                    self.set_var(&b.pipe.decl[0], key, b.span)?;
                }
            } else {
                // Declared variables sit on top of the stack: the last one takes the element,
                // the one before it the key.
                if let Some(slot) = body_mark.checked_sub(1).and_then(|i| self.vars.get_mut(i)) {
                    slot.1 = elem.clone();
                }
                if ndecl > 1
                    && let Some(slot) = body_mark.checked_sub(2).and_then(|i| self.vars.get_mut(i))
                {
                    slot.1 = key;
                }
            }
        }
        let flow = self.exec_list(&elem, &b.list);
        self.vars.truncate(body_mark);
        flow
    }

    // ---- evaluation --------------------------------------------------------------------------

    pub(crate) fn eval_pipeline(&mut self, dot: &Val, pipe: &Pipe) -> R<Val> {
        self.enter(pipe.span)?;
        let r = self.eval_pipeline_inner(dot, pipe);
        self.leave();
        r
    }

    fn eval_pipeline_inner(&mut self, dot: &Val, pipe: &Pipe) -> R<Val> {
        let mut value: Option<Val> = None;
        for cmd in &pipe.cmds {
            let v = self.eval_command(dot, cmd, value.take())?;
            // An interface holding nil is unwrapped to "no value", as Go does.
            value = Some(match v {
                Val::Null => Val::Missing,
                v => v,
            });
        }
        let value = value.unwrap_or(Val::Missing);
        for name in &pipe.decl {
            if pipe.is_assign {
                self.set_var(name, value.clone(), pipe.span)?;
            } else {
                self.vars.push((name.clone(), value.clone()));
            }
        }
        Ok(value)
    }

    fn not_a_function(&self, cmd: &Cmd, final_: &Option<Val>) -> R<()> {
        if cmd.args.len() > 1 || final_.is_some() {
            return Err(self.fail(
                "render_error",
                format!("can't give argument to non-function {}", cmd.args[0].describe()),
                cmd.span,
            ));
        }
        Ok(())
    }

    fn eval_command(&mut self, dot: &Val, cmd: &Cmd, final_: Option<Val>) -> R<Val> {
        let Some(first) = cmd.args.first() else {
            return Err(self.fail("syntax_error", "empty command", cmd.span));
        };
        match &first.kind {
            ArgKind::Field(names) => self.eval_field_chain(dot, dot.clone(), names, &cmd.args, final_, first.span),
            ArgKind::Chain(inner, names) => {
                let recv = self.eval_arg(dot, inner)?;
                self.eval_field_chain(dot, recv, names, &cmd.args, final_, first.span)
            }
            ArgKind::Func(name) => self.eval_function(dot, name, &cmd.args, final_, first.span),
            ArgKind::Pipe(p) => {
                self.not_a_function(cmd, &final_)?;
                self.eval_pipeline(dot, p)
            }
            ArgKind::Var(name, fields) => {
                let v = self.var(name, first.span)?;
                if fields.is_empty() {
                    self.not_a_function(cmd, &final_)?;
                    Ok(v)
                } else {
                    self.eval_field_chain(dot, v, fields, &cmd.args, final_, first.span)
                }
            }
            ArgKind::Dot => {
                self.not_a_function(cmd, &final_)?;
                Ok(dot.clone())
            }
            ArgKind::Nil => Err(self.fail("render_error", "nil is not a command", first.span)),
            _ => {
                self.not_a_function(cmd, &final_)?;
                Ok(self.literal(first))
            }
        }
    }

    fn literal(&self, a: &Arg) -> Val {
        match &a.kind {
            ArgKind::Bool(b) => Val::Bool(*b),
            ArgKind::Str(s) => Val::str(s.as_str()),
            ArgKind::Num(Num::Int(i)) => Val::Int(*i),
            ArgKind::Num(Num::Float(f)) => Val::Float(*f),
            ArgKind::Nil => Val::Null,
            _ => Val::Missing,
        }
    }

    /// Evaluates an operand used as an argument.
    pub(crate) fn eval_arg(&mut self, dot: &Val, a: &Arg) -> R<Val> {
        match &a.kind {
            ArgKind::Dot => Ok(dot.clone()),
            ArgKind::Field(names) => {
                self.eval_field_chain(dot, dot.clone(), names, std::slice::from_ref(a), None, a.span)
            }
            ArgKind::Var(name, fields) => {
                let v = self.var(name, a.span)?;
                if fields.is_empty() {
                    Ok(v)
                } else {
                    self.eval_field_chain(dot, v, fields, std::slice::from_ref(a), None, a.span)
                }
            }
            ArgKind::Pipe(p) => self.eval_pipeline(dot, p),
            ArgKind::Func(name) => self.eval_function(dot, name, std::slice::from_ref(a), None, a.span),
            ArgKind::Chain(inner, names) => {
                let recv = self.eval_arg(dot, inner)?;
                self.eval_field_chain(dot, recv, names, std::slice::from_ref(a), None, a.span)
            }
            _ => Ok(self.literal(a)),
        }
    }

    fn eval_field_chain(
        &mut self,
        dot: &Val,
        receiver: Val,
        names: &[String],
        args: &[Arg],
        final_: Option<Val>,
        span: Span,
    ) -> R<Val> {
        let Some((last, init)) = names.split_last() else { return Ok(receiver) };
        let mut recv = receiver;
        for name in init {
            recv = self.eval_field(dot, name, &[], None, recv, span)?;
        }
        self.eval_field(dot, last, args, final_, recv, span)
    }

    /// `receiver.name`, with `args[1..]` (and `final_`) as method arguments.
    fn eval_field(
        &mut self,
        dot: &Val,
        name: &str,
        args: &[Arg],
        final_: Option<Val>,
        recv: Val,
        span: Span,
    ) -> R<Val> {
        let has_args = args.len() > 1 || final_.is_some();
        match &recv {
            Val::Missing => Ok(Val::Missing),
            Val::Null => {
                Err(self.fail("undefined_value", format!("nil pointer evaluating interface {{}}.{name}"), span))
            }
            Val::Map(m) => {
                if let Some(v) = m.map.get(name) {
                    if has_args {
                        return Err(self.fail(
                            "render_error",
                            format!("{name} is not a method but has arguments"),
                            span,
                        ));
                    }
                    return Ok(v.clone());
                }
                if let Some(method) = KvMethod::of_map(name)
                    && is_kv(&m.map)
                {
                    let margs = self.method_args(dot, args, final_)?;
                    return self.kv_method(method, &recv, margs, span);
                }
                if has_args {
                    return Err(self.fail("render_error", format!("{name} is not a method but has arguments"), span));
                }
                m.absent().ok_or_else(|| {
                    self.fail("undefined_value", format!("can't evaluate field {name} in type {}", m.go_type()), span)
                })
            }
            Val::Arr(_) => {
                if let Some(method) = KvMethod::of_list(name) {
                    let margs = self.method_args(dot, args, final_)?;
                    return self.kv_method(method, &recv, margs, span);
                }
                Err(self.fail("undefined_value", format!("can't evaluate field {name} in type []interface {{}}"), span))
            }
            other => Err(self.fail(
                "undefined_value",
                format!("can't evaluate field {name} in type {}", other.type_name()),
                span,
            )),
        }
    }

    fn method_args(&mut self, dot: &Val, args: &[Arg], final_: Option<Val>) -> R<Vec<Val>> {
        let mut out = Vec::new();
        for a in args.iter().skip(1) {
            out.push(self.eval_arg(dot, a)?);
        }
        if let Some(f) = final_ {
            out.push(f);
        }
        Ok(out)
    }

    /// The Alertmanager/Grafana methods on KV maps, pair lists and alert lists.
    fn kv_method(&mut self, method: KvMethod, recv: &Val, args: Vec<Val>, span: Span) -> R<Val> {
        self.step(span)?;
        let want = if method == KvMethod::Remove { 1 } else { 0 };
        if args.len() != want {
            return Err(self.fail(
                "render_error",
                format!("wrong number of args for {}: want {want} got {}", method.name(), args.len()),
                span,
            ));
        }
        self.charge(recv.shallow_len() as u64 / 8, span)?;
        let too_deep = |s: &Self| s.fail("limit_exceeded", "value nested too deeply", span);
        match (method, recv) {
            (KvMethod::Firing | KvMethod::Resolved, Val::Arr(a)) => {
                let want = if method == KvMethod::Firing { "firing" } else { "resolved" };
                let items = a
                    .items
                    .iter()
                    .filter(|x| matches!(x, Val::Map(m) if matches!(m.map.get("Status"), Some(Val::Str(s)) if &**s == want)))
                    .cloned()
                    .collect();
                Val::list(items).map_err(|_| too_deep(self))
            }
            (KvMethod::SortedPairs, Val::Map(m)) => {
                let pairs = sorted_keys(&m.map)
                    .into_iter()
                    .map(|k| {
                        let mut p = BTreeMap::new();
                        p.insert("Name".to_string(), Val::str(k.as_str()));
                        p.insert("Value".to_string(), m.map.get(k.as_str()).cloned().unwrap_or(Val::Null));
                        Val::dict(p)
                    })
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|_| too_deep(self))?;
                Val::list(pairs).map_err(|_| too_deep(self))
            }
            (KvMethod::Names, Val::Map(m)) => {
                Val::list(sorted_keys(&m.map).into_iter().map(|k| Val::str(k.as_str())).collect())
                    .map_err(|_| too_deep(self))
            }
            (KvMethod::Values, Val::Map(m)) => Val::list(
                sorted_keys(&m.map).into_iter().map(|k| m.map.get(k.as_str()).cloned().unwrap_or(Val::Null)).collect(),
            )
            .map_err(|_| too_deep(self)),
            (KvMethod::Names | KvMethod::Values, Val::Arr(a)) => {
                let key = if method == KvMethod::Names { "Name" } else { "Value" };
                let mut items = Vec::with_capacity(a.items.len());
                for x in &a.items {
                    match x {
                        Val::Map(m) => items.push(m.map.get(key).cloned().unwrap_or(Val::Null)),
                        _ => {
                            return Err(self.fail(
                                "undefined_value",
                                format!("can't evaluate field {} in type []interface {{}}", method.name()),
                                span,
                            ));
                        }
                    }
                }
                Val::list(items).map_err(|_| too_deep(self))
            }
            (KvMethod::Remove, Val::Map(m)) => {
                let drop = self.want_strings(&args[0], span)?;
                let mut map = m.map.clone();
                map.retain(|k, _| !drop.contains(k));
                Val::dict(map).map(|v| v.shaped(m.shape)).map_err(|_| too_deep(self))
            }
            _ => Err(self.fail(
                "undefined_value",
                format!("can't evaluate field {} in type {}", method.name(), recv.type_name()),
                span,
            )),
        }
    }

    fn eval_function(&mut self, dot: &Val, name: &str, args: &[Arg], final_: Option<Val>, span: Span) -> R<Val> {
        self.step(span)?;
        let rest = args.get(1..).unwrap_or(&[]);
        let argc = rest.len() + usize::from(final_.is_some());
        super::funcs::check_arity(self, name, argc, span)?;
        if name == "and" || name == "or" {
            let want_or = name == "or";
            let mut v = Val::Missing;
            for a in rest {
                v = self.eval_arg(dot, a)?;
                if v.truth() == want_or {
                    return Ok(v);
                }
            }
            if let Some(f) = final_ {
                v = f;
            }
            return Ok(v);
        }
        let mut vals = Vec::with_capacity(argc);
        for a in rest {
            vals.push(self.eval_arg(dot, a)?);
        }
        if let Some(f) = final_ {
            vals.push(f);
        }
        match name {
            "tmpl.Exec" => self.tmpl_exec(vals, span),
            "tmpl.Inline" => self.tmpl_inline(vals, span),
            _ => self.call_builtin(name, vals, span),
        }
    }
}

/// Alertmanager-style methods available on data values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KvMethod {
    SortedPairs,
    Names,
    Values,
    Remove,
    Firing,
    Resolved,
}

impl KvMethod {
    fn of_map(name: &str) -> Option<KvMethod> {
        Some(match name {
            "SortedPairs" => KvMethod::SortedPairs,
            "Names" => KvMethod::Names,
            "Values" => KvMethod::Values,
            "Remove" => KvMethod::Remove,
            _ => return None,
        })
    }

    fn of_list(name: &str) -> Option<KvMethod> {
        Some(match name {
            "Firing" => KvMethod::Firing,
            "Resolved" => KvMethod::Resolved,
            "Names" => KvMethod::Names,
            "Values" => KvMethod::Values,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            KvMethod::SortedPairs => "SortedPairs",
            KvMethod::Names => "Names",
            KvMethod::Values => "Values",
            KvMethod::Remove => "Remove",
            KvMethod::Firing => "Firing",
            KvMethod::Resolved => "Resolved",
        }
    }
}

/// Whether a map looks like Alertmanager's `KV` (all values strings), the type the
/// `SortedPairs` / `Names` / `Values` / `Remove` methods belong to.
fn is_kv(map: &BTreeMap<String, Val>) -> bool {
    map.values().all(|v| matches!(v, Val::Str(_)))
}

/// Keys sorted, with `alertname` first (Alertmanager's `KV.SortedPairs`).
fn sorted_keys(map: &BTreeMap<String, Val>) -> Vec<&String> {
    let mut keys: Vec<&String> = Vec::with_capacity(map.len());
    if let Some((k, _)) = map.get_key_value("alertname") {
        keys.push(k);
    }
    keys.extend(map.keys().filter(|k| k.as_str() != "alertname"));
    keys
}
