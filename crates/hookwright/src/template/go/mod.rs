//! Go `text/template` with Grafana's template functions, in pure Rust.
//!
//! The reference is Go's documented `text/template` behaviour, with data seen as Go sees JSON
//! decoded into `map[string]interface{}`: `{{ .A.B }}` looks up keys, a missing key prints
//! `<no value>`, maps iterate and print in sorted key order, numbers print like `fmt`'s `%v`.
//!
//! On top of Go's builtins (`eq ne lt le gt ge and or not len index slice print printf println
//! html js urlquery`) it provides Alertmanager's and Grafana's functions (`toUpper toLower title
//! trimSpace join match reReplaceAll safeHtml stringSlice humanize humanize1024 humanizeDuration
//! humanizePercentage humanizeTimestamp`, `coll.Dict coll.Slice coll.Append data.JSON
//! data.ToJSON data.ToJSONPretty tmpl.Exec tmpl.Inline`), the Alertmanager data methods
//! (`.Alerts.Firing`, `.Alerts.Resolved`, `.Labels.SortedPairs`, `.Names`, `.Values`,
//! `.Remove`), and Grafana's named templates `default.title`, `default.message` and
//! `webhook.default.payload`.
//!
//! Deliberate differences from Go: numbers compare by value whether they are integers or
//! floats (JSON does not tell them apart), `%d` accepts integral floats and the float verbs
//! accept integers, and `join` accepts any array of scalars.
//!
//! Rendering is bounded by [`Limits`]: steps (actions, loop iterations, function calls),
//! template call depth and output size; every violation is a `limit_exceeded` diagnostic.

mod exec;
mod funcs;
mod gofmt;
mod grafana;
mod lexer;
mod parser;
mod regex;
mod value;

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use self::exec::{Exec, ExecError, Tree};
pub(crate) use self::value::Val;
use super::{Diagnostic, Limits, Severity};

/// Name of the main (unnamed) template.
const MAIN: &str = "main";

/// A parsed template set: the main template plus every `{{define}}`, reusable across renders.
#[derive(Debug, Clone)]
pub struct Template {
    source: String,
    main: Arc<Tree>,
    trees: Arc<HashMap<String, Arc<Tree>>>,
}

impl Template {
    /// Parses `source` (plus any `{{define}}` blocks in it). Grafana's named templates
    /// `default.title`, `default.message`, `webhook.default.payload` are always available.
    pub fn parse(source: &str) -> Result<Template, Vec<Diagnostic>> {
        let mut trees = builtin_trees().clone();
        let parsed = parser::parse(source)
            .map_err(|e| vec![Diagnostic::at(Severity::Error, "syntax_error", e.message, source, e.start, e.end)])?;
        for d in parsed.defines {
            // As Go: an empty redefinition does not replace an existing template.
            if parser::is_empty_body(&d.body) && trees.contains_key(&d.name) {
                continue;
            }
            trees.insert(d.name.clone(), Arc::new(Tree { name: d.name, root: d.body, user: true }));
        }
        let main = Arc::new(Tree { name: MAIN.into(), root: parsed.main, user: true });
        Ok(Template { source: source.to_string(), main, trees: Arc::new(trees) })
    }

    /// Executes the main template with `data` as dot.
    pub fn render(&self, data: &serde_json::Value, limits: &Limits) -> Result<String, Diagnostic> {
        self.run(None, data, limits).map(|(s, _)| s)
    }

    /// Executes the main template with `data` as dot: the output (when rendering succeeded) and
    /// every diagnostic (the error, or warnings for values printed as `<no value>`), as
    /// [`render`] gives them.
    pub fn render_with_warnings(&self, data: &serde_json::Value, limits: &Limits) -> (Option<String>, Vec<Diagnostic>) {
        match self.run(None, data, limits) {
            Ok((out, warnings)) => (Some(out), warnings),
            Err(d) => (None, vec![d]),
        }
    }

    /// Executes a named template.
    pub fn render_named(&self, name: &str, data: &serde_json::Value, limits: &Limits) -> Result<String, Diagnostic> {
        self.run(Some(name), data, limits).map(|(s, _)| s)
    }

    fn diag(&self, e: ExecError) -> Diagnostic {
        let (start, end) = e.span.unwrap_or((0, 0));
        Diagnostic::at(Severity::Error, e.code, e.message, &self.source, start, end)
    }

    /// Renders and also returns warnings (`<no value>` printed).
    fn run(
        &self,
        name: Option<&str>,
        data: &serde_json::Value,
        limits: &Limits,
    ) -> Result<(String, Vec<Diagnostic>), Diagnostic> {
        let (out, warnings, error) = self.run_partial(name, data, false, limits);
        match error {
            Some(e) => Err(e),
            None => Ok((out, warnings)),
        }
    }

    /// Renders; on failure the output is what was written before the error (as Go's
    /// `Execute` leaves it in its writer), returned with the warnings and the error.
    /// `grafana_data` types `data` as Grafana's `ExtendedData` (see [`render_grafana`]).
    fn run_partial(
        &self,
        name: Option<&str>,
        data: &serde_json::Value,
        grafana_data: bool,
        limits: &Limits,
    ) -> (String, Vec<Diagnostic>, Option<Diagnostic>) {
        let failed = |e: Diagnostic| (String::new(), Vec::new(), Some(e));
        let tree = match name {
            None => self.main.clone(),
            Some(n) => match self.trees.get(n) {
                Some(t) => t.clone(),
                None => {
                    return failed(Diagnostic::at(
                        Severity::Error,
                        "render_error",
                        format!("no such template {n:?}"),
                        &self.source,
                        0,
                        0,
                    ));
                }
            },
        };
        let dot = match Val::from_json(data) {
            Ok(Val::Null) => Val::Missing,
            Ok(v) if grafana_data => grafana::shape_extended_data(v),
            Ok(v) => v,
            Err(_) => {
                return failed(Diagnostic::at(
                    Severity::Error,
                    "limit_exceeded",
                    "data is nested too deeply",
                    &self.source,
                    0,
                    0,
                ));
            }
        };
        self.run_dot(&tree, dot, limits)
    }

    /// Runs `tree` with `dot` (already converted): output, warnings and the error if any.
    fn run_dot(&self, tree: &Arc<Tree>, dot: Val, limits: &Limits) -> (String, Vec<Diagnostic>, Option<Diagnostic>) {
        let mut ex = Exec::new(self.trees.clone(), *limits, dot.clone());
        let result = ex.run(tree, dot);
        let warnings = ex
            .warnings
            .iter()
            .map(|(m, (s, e))| Diagnostic::at(Severity::Warning, "undefined_value", m.clone(), &self.source, *s, *e))
            .collect();
        match result {
            Ok(out) => (out, warnings, None),
            Err(e) => (std::mem::take(&mut ex.out), warnings, Some(self.diag(e))),
        }
    }
}

/// Grafana's template data converted once for several templates (see [`render_grafana`]).
#[derive(Debug, Clone)]
pub struct GrafanaData(Option<Val>);

impl GrafanaData {
    /// Data already converted and typed (see [`grafana::EXTENDED_DATA`]).
    pub(crate) fn from_val(dot: Val) -> GrafanaData {
        GrafanaData(Some(dot))
    }

    #[cfg(test)]
    pub(crate) fn debug(&self) -> String {
        format!("{:?}", self.0)
    }
    /// Converts and types `data` as [`render_grafana`] does.
    pub fn new(data: &serde_json::Value) -> GrafanaData {
        GrafanaData(match Val::from_json(data) {
            Ok(Val::Null) => Some(Val::Missing),
            Ok(v) => Some(grafana::shape_extended_data(v)),
            Err(_) => None,
        })
    }
}

impl Template {
    /// [`Template::render_grafana`] with data converted by [`GrafanaData::new`] from `data`.
    pub fn render_grafana_data(
        &self,
        converted: &GrafanaData,
        data: &serde_json::Value,
        limits: &Limits,
    ) -> (String, Vec<Diagnostic>) {
        let Some(dot) = &converted.0 else { return self.render_grafana(data, limits) };
        let (out, mut diags, error) = self.run_dot(&self.main, dot.clone(), limits);
        diags.extend(error);
        (out, diags)
    }
}

/// Grafana's named templates, parsed once.
fn builtin_trees() -> &'static HashMap<String, Arc<Tree>> {
    static TREES: OnceLock<HashMap<String, Arc<Tree>>> = OnceLock::new();
    TREES.get_or_init(|| {
        let mut trees = HashMap::new();
        // The built-ins are ours and must parse; if they ever did not, carry on without them.
        if let Ok(builtin) = parser::parse(grafana::SOURCE) {
            for d in builtin.defines {
                trees.insert(d.name.clone(), Arc::new(Tree { name: d.name, root: d.body, user: false }));
            }
        }
        trees
    })
}

/// Parses and renders `source` in one go: the output (when rendering succeeded) and every
/// diagnostic (errors, and warnings for values printed as `<no value>`).
pub fn render(source: &str, data: &serde_json::Value, limits: &Limits) -> (Option<String>, Vec<Diagnostic>) {
    let t = match Template::parse(source) {
        Ok(t) => t,
        Err(d) => return (None, d),
    };
    t.render_with_warnings(data, limits)
}

/// Parses and renders `source`, keeping partial output: on a rendering error the output is what
/// was written before the failure (Go's `Execute` leaves it in the writer, and Alertmanager's
/// `ExecuteTextString` returns it with the error); on a syntax error it is empty. The
/// diagnostics hold warnings and, last, the error if there was one.
pub fn render_partial(source: &str, data: &serde_json::Value, limits: &Limits) -> (String, Vec<Diagnostic>) {
    let t = match Template::parse(source) {
        Ok(t) => t,
        Err(d) => return (String::new(), d),
    };
    let (out, mut diags, error) = t.run_partial(None, data, false, limits);
    diags.extend(error);
    (out, diags)
}

/// [`render_partial`] with `data` typed as Grafana's template data (`ExtendedData`, as built
/// by [`crate::grafana::template_data`]), executed the way Alertmanager's `ExecuteTextString`
/// does it, with `missingkey=zero`:
///
/// - an absent key of a label map (`.Labels`, `.Annotations`, `.GroupLabels`,
///   `.CommonLabels`, `.CommonAnnotations`, `.Vars`) is `""`, of `.Values` `0`;
/// - a field the data or an alert does not have (`{{ .Foo }}`) is an error, as on a Go struct;
/// - `data.ToJSON` of the data or of alerts writes Grafana's JSON field names in Go's order
///   (`{"status":…,"labels":…}`), omitting `imageURL`, `embeddedImage`, `orgId` when empty,
///   `Vars` always, and writing a nil `Values` as `null`.
pub fn render_grafana(source: &str, data: &serde_json::Value, limits: &Limits) -> (String, Vec<Diagnostic>) {
    match Template::parse(source) {
        Ok(t) => t.render_grafana(data, limits),
        Err(d) => (String::new(), d),
    }
}

impl Template {
    /// [`render_grafana`] of this parsed template.
    pub fn render_grafana(&self, data: &serde_json::Value, limits: &Limits) -> (String, Vec<Diagnostic>) {
        let (out, mut diags, error) = self.run_partial(None, data, true, limits);
        diags.extend(error);
        (out, diags)
    }
}

/// For building Grafana's template data without going through JSON values.
pub(crate) use self::grafana::{EXTENDED_ALERT, EXTENDED_DATA};
pub(crate) use value::Shape;
/// Go `encoding/json` leaves, for encoders outside the engine that must match Go byte for byte.
pub(crate) use value::{json_float, json_string, json_string_content};

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn r(src: &str, data: serde_json::Value) -> String {
        Template::parse(src).unwrap().render(&data, &Limits::default()).unwrap()
    }

    #[test]
    fn builtins_parse() {
        parser::parse(grafana::SOURCE).unwrap();
        let t = Template::parse("").unwrap();
        assert!(t.trees.contains_key("default.message"));
        assert!(t.trees.contains_key("default.title"));
        assert!(t.trees.contains_key("webhook.default.payload"));
    }

    #[test]
    fn basics() {
        assert_eq!(r("{{ .a.b }}-{{ .x }}", json!({"a": {"b": 1}})), "1-<no value>");
        assert_eq!(r("{{ range $i, $e := .l }}{{ $i }}={{ $e }},{{ end }}", json!({"l": ["a", "b"]})), "0=a,1=b,");
        assert_eq!(r("{{ if eq .n 2.0 }}two{{ else }}no{{ end }}", json!({"n": 2})), "two");
        assert_eq!(r("{{ with $x := 5 }}{{ $x }}{{ . }}{{ end }}", json!({})), "55");
    }

    #[test]
    fn partial_output_on_error() {
        let (out, d) = render_partial("a{{ .x }}b{{ index .l 5 }}c", &json!({"x": 1, "l": []}), &Limits::default());
        assert_eq!(out, "a1b");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].severity, Severity::Error);
        let (out, d) = render_partial("a{{ .x ", &json!({}), &Limits::default());
        assert_eq!(out, "");
        assert_eq!(d[0].code, "syntax_error");
    }

    #[test]
    fn grafana_data_is_typed_like_go() {
        let data = json!({
            "Status": "firing",
            "CommonLabels": {"a": "1"},
            "Vars": {},
            "TruncatedAlerts": 0,
            "Alerts": [{"Status": "firing", "Labels": {"b": "<"}, "Values": null, "OrgID": null, "ImageURL": ""}],
        });
        let r = |src: &str| render_grafana(src, &data, &Limits::default());
        // missingkey=zero: absent label or variable is "", absent value 0; no warning.
        assert_eq!(
            r("[{{ .CommonLabels.x }}][{{ .Vars.y }}][{{ index .CommonLabels \"z\" }}]"),
            ("[][][]".into(), vec![])
        );
        assert_eq!(r("{{ range .Alerts }}{{ .Values.A }}{{ end }}").0, "0");
        // Methods keep working, and Remove keeps the map's type.
        assert_eq!(r("{{ (.CommonLabels.Remove (stringSlice \"a\")).q }}|{{ len .Alerts.Firing }}").0, "|1");
        // An unknown field of the data or an alert is an error, as on a Go struct.
        let (_, d) = r("{{ .Foo }}");
        assert_eq!(d[0].message, "can't evaluate field Foo in type *templates.ExtendedData");
        let (_, d) = r("{{ range .Alerts }}{{ .Nope }}{{ end }}");
        assert_eq!(d[0].message, "can't evaluate field Nope in type templates.ExtendedAlert");
        // JSON uses the struct tags and order; nil pointers and empty omitempty strings go.
        assert_eq!(
            r("{{ data.ToJSON . }}").0,
            r#"{"receiver":null,"status":"firing","alerts":[{"status":"firing","labels":{"b":"\u003c"},"annotations":null,"startsAt":null,"endsAt":null,"generatorURL":null,"fingerprint":null,"silenceURL":null,"dashboardURL":null,"panelURL":null,"values":null,"valueString":null}],"groupLabels":null,"commonLabels":{"a":"1"},"commonAnnotations":null,"externalURL":null,"groupKey":null,"truncatedAlerts":0}"#
        );
        // Plain rendering is unchanged.
        assert_eq!(render_partial("{{ .CommonLabels.x }}", &data, &Limits::default()).0, "<no value>");
    }

    #[test]
    fn warnings_for_no_value() {
        let (out, d) = render("a{{ .Vars.x }}", &json!({}), &Limits::default());
        assert_eq!(out.as_deref(), Some("a<no value>"));
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].severity, Severity::Warning);
        assert_eq!(d[0].column, 5);
    }
}
