//! Payload templates: one diagnostic type and one set of limits for every dialect, and one
//! [`render`] entry point for all four dialects (`tokens`, `jinja`, `go`, `dagu`).

pub mod dagu;
pub mod go;
mod jinja;
mod json_safe;
mod render;

pub use render::{
    CompileRequest, Compiled, Dialect, Format, Found, Hole, Plan, Quote, RenderRequest, RenderResult, compile, render,
};

use std::fmt;

pub(crate) use json_safe::validate as validate_json;

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Severity {
    /// Rendering failed or the output is unusable.
    Error,
    /// Rendering succeeded but something is probably not what the user meant.
    Warning,
}

impl Severity {
    /// `"error"` or `"warning"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// A problem found in a template, with its position in the template text.
///
/// `line` and `column` are 1-based (column counts characters); `start` and `end` are byte offsets
/// into the template, `end` exclusive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Stable code: `syntax_error`, `unknown_token`, `token_not_available`, `undefined_value`,
    /// `invalid_json_output`, `env_missing`, `limit_exceeded`, `render_error`, …
    pub code: &'static str,
    /// What is wrong, for a human.
    pub message: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
    /// Byte offset where the problem starts.
    pub start: usize,
    /// Byte offset where the problem ends (exclusive).
    pub end: usize,
}

impl Diagnostic {
    /// A diagnostic spanning `start..end` of `source`; line and column are computed from `start`.
    pub fn at(
        severity: Severity,
        code: &'static str,
        message: impl Into<String>,
        source: &str,
        start: usize,
        end: usize,
    ) -> Diagnostic {
        let start = start.min(source.len());
        let end = end.clamp(start, source.len());
        let (line, column) = line_column(source, start);
        Diagnostic { severity, code, message: message.into(), line, column, start, end }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {} [{}]: {}", self.line, self.column, self.severity.as_str(), self.code, self.message)
    }
}

/// 1-based line and character column of byte offset `at` in `source`.
pub fn line_column(source: &str, at: usize) -> (u32, u32) {
    let mut at = at.min(source.len());
    while !source.is_char_boundary(at) {
        at -= 1;
    }
    let before = &source[..at];
    let line = before.matches('\n').count() as u32 + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = source[line_start..at].chars().count() as u32 + 1;
    (line, column)
}

/// Bounds on rendering, so that a template from a stranger's share link cannot hang the page.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Evaluation steps (actions, loop iterations, function calls) before `limit_exceeded`.
    pub steps: u64,
    /// Nesting depth of template calls / includes.
    pub depth: u32,
    /// Output size in bytes.
    pub output: usize,
    /// Asked between the statements of a jinja template (every tag, so every loop iteration);
    /// `true` stops rendering with `limit_exceeded`. Steps bound how many instructions run, not
    /// how much each costs (`s ~ s` on a large string): the host passes a clock-based check here,
    /// since the core reads no clock. The playground and the npm package give a time budget.
    pub interrupt: Option<fn() -> bool>,
}

impl PartialEq for Limits {
    /// Compares the bounds; the interrupt check only by whether there is one.
    fn eq(&self, other: &Self) -> bool {
        (self.steps, self.depth, self.output, self.interrupt.is_some())
            == (other.steps, other.depth, other.output, other.interrupt.is_some())
    }
}

impl Eq for Limits {}

impl Default for Limits {
    fn default() -> Self {
        Limits { steps: 1_000_000, depth: 64, output: 1 << 20, interrupt: None }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        let s = "ab\nçd{{x";
        assert_eq!(line_column(s, 0), (1, 1));
        assert_eq!(line_column(s, 3), (2, 1));
        let at = s.find("{{").unwrap();
        assert_eq!(line_column(s, at), (2, 3));
    }
}
