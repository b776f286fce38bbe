//! Go `text/template` engine: fixture-driven tests plus limits and robustness.
//!
//! Each `tests/go_fixtures/<case>.txt` holds a JSON context, a line `---`, then the template;
//! the expected output is in `<case>.out`. One trailing newline is stripped from both the
//! template and the expected output (so files may end with a newline). Cases named `err_*`
//! expect rendering to fail; their `.out` holds `line:column code: message`.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use hookwright::template::go::{Template, render};
use hookwright::template::{Limits, Severity};

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/go_fixtures")
}

fn strip_one_newline(s: &str) -> &str {
    s.strip_suffix('\n').unwrap_or(s)
}

fn run_fixture(path: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("read: {e}"))?;
    let (ctx, template) = text.split_once("\n---\n").ok_or("missing `---` separator line")?;
    let template = strip_one_newline(template);
    let data: serde_json::Value = serde_json::from_str(ctx).map_err(|e| format!("bad JSON context: {e}"))?;
    let out_path = path.with_extension("out");
    let expected = std::fs::read_to_string(&out_path).map_err(|e| format!("read {}: {e}", out_path.display()))?;
    let expected = strip_one_newline(&expected);
    let name = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default();

    let started = Instant::now();
    let (output, diags) = render(template, &data, &Limits::default());
    let elapsed = started.elapsed();
    if elapsed > Duration::from_secs(2) {
        return Err(format!("took {elapsed:?}"));
    }
    let errors: Vec<_> = diags.iter().filter(|d| d.severity == Severity::Error).collect();
    if name.starts_with("err_") {
        let Some(d) = errors.first() else {
            return Err(format!("expected an error, got output {output:?}"));
        };
        let got = format!("{}:{} {}: {}", d.line, d.column, d.code, d.message);
        if got != expected {
            return Err(format!("diagnostic mismatch\n  expected: {expected}\n  got:      {got}"));
        }
        if d.start > template.len() || d.end > template.len() || d.start > d.end {
            return Err(format!("bad span {}..{}", d.start, d.end));
        }
    } else {
        if let Some(d) = errors.first() {
            return Err(format!("unexpected error: {d}"));
        }
        let got = output.ok_or("no output")?;
        if got != expected {
            return Err(format!("output mismatch\n  expected: {expected:?}\n  got:      {got:?}"));
        }
    }
    Ok(())
}

#[test]
fn fixtures() {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(fixtures_dir())
        .expect("fixtures dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 40, "expected the fixture set, found {}", paths.len());
    let mut failures = Vec::new();
    for p in &paths {
        if let Err(e) = run_fixture(p) {
            failures.push(format!("{}: {e}", p.file_name().and_then(|s| s.to_str()).unwrap_or("?")));
        }
    }
    assert!(failures.is_empty(), "{} of {} fixtures failed:\n{}", failures.len(), paths.len(), failures.join("\n"));
}

#[test]
fn template_is_reusable_and_renders_named() {
    let t = Template::parse(r#"{{ define "x" }}[{{ .a }}]{{ end }}main {{ .a }}"#).unwrap();
    let limits = Limits::default();
    assert_eq!(t.render(&serde_json::json!({"a": 1}), &limits).unwrap(), "main 1");
    assert_eq!(t.render(&serde_json::json!({"a": 2}), &limits).unwrap(), "main 2");
    assert_eq!(t.render_named("x", &serde_json::json!({"a": 3}), &limits).unwrap(), "[3]");
    let e = t.render_named("nope", &serde_json::json!({}), &limits).unwrap_err();
    assert_eq!(e.code, "render_error");
    let title = t
        .render_named(
            "default.title",
            &serde_json::json!({"Status": "resolved", "Alerts": [], "GroupLabels": {}, "CommonLabels": {}}),
            &limits,
        )
        .unwrap();
    assert_eq!(title, "[RESOLVED]  ");
}

#[test]
fn webhook_default_payload_is_valid_json() {
    let data = serde_json::json!({
        "Receiver": "hook", "Status": "firing",
        "Alerts": [{"Status": "firing", "Labels": {"alertname": "A"}, "Annotations": {"summary": "<s>"},
                    "StartsAt": "2024-01-01T00:00:00Z", "EndsAt": "0001-01-01T00:00:00Z",
                    "GeneratorURL": "http://g", "Fingerprint": "f", "SilenceURL": "http://s",
                    "DashboardURL": "", "PanelURL": "", "Values": {"B": 1.5}, "ValueString": "[ var='B' value=1.5 ]"}],
        "GroupLabels": {"alertname": "A"}, "CommonLabels": {"alertname": "A"}, "CommonAnnotations": {},
        "ExternalURL": "http://grafana/", "GroupKey": "k", "TruncatedAlerts": 0
    });
    let t = Template::parse("").unwrap();
    let out = t.render_named("webhook.default.payload", &data, &Limits::default()).unwrap();
    let v: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    assert_eq!(v["receiver"], "hook");
    assert_eq!(v["state"], "alerting");
    assert_eq!(v["title"], "[FIRING:1] A ");
    assert_eq!(v["alerts"][0]["labels"]["alertname"], "A");
    assert_eq!(v["alerts"][0]["values"]["B"], 1.5);
    assert!(out.contains("\\u003cs\\u003e"), "{out}");
    assert!(v["message"].as_str().unwrap().starts_with("**Firing**"));
}

fn assert_limit(source: &str, limits: Limits) {
    let started = Instant::now();
    let (out, diags) = render(source, &serde_json::json!({"x": 1}), &limits);
    let elapsed = started.elapsed();
    assert!(out.is_none(), "{source}: expected failure, got output of {} bytes", out.map_or(0, |s| s.len()));
    assert_eq!(diags.len(), 1, "{source}: {diags:?}");
    assert_eq!(diags[0].code, "limit_exceeded", "{source}: {}", diags[0]);
    assert!(elapsed < Duration::from_secs(1), "{source}: took {elapsed:?}");
}

#[test]
fn limits_stop_runaway_templates_fast() {
    let limits = Limits::default();
    // Infinite recursion through `template` and through `tmpl.Exec`.
    assert_limit(r#"{{define "a"}}{{template "a" .}}{{end}}{{template "a" .}}"#, limits);
    assert_limit(r#"{{define "a"}}{{tmpl.Exec "a" .}}{{end}}{{template "a" .}}"#, limits);
    assert_limit(r#"{{define "a"}}x{{template "a" .}}{{template "a" .}}{{end}}{{template "a" .}}"#, limits);
    // A huge range, nested ranges, and an output bomb.
    assert_limit("{{ range 1000000000 }}{{ end }}", limits);
    assert_limit("{{ range 100000 }}{{ range 100000 }}{{ end }}{{ end }}", limits);
    assert_limit("{{ range 1000 }}{{ range 1000 }}{{ range 1000 }}xxxxxxxxxxxxxxxx{{ end }}{{ end }}{{ end }}", limits);
    // Strings and lists that double every step.
    assert_limit(r#"{{ $s := "ab" }}{{ range 100 }}{{ $s = print $s $s }}{{ end }}"#, limits);
    assert_limit(r#"{{ $l := coll.Slice 1 }}{{ range 100000 }}{{ $l = coll.Append . $l }}{{ end }}"#, limits);
    // Deep nesting of values.
    assert_limit(r#"{{ $d := coll.Dict }}{{ range 100000 }}{{ $d = coll.Dict "a" $d }}{{ end }}{{ $d }}"#, limits);
    // Tight custom limits.
    let tight = Limits { steps: 50, depth: 3, output: 10, interrupt: None };
    assert_limit("{{ range 100 }}{{ . }}{{ end }}", tight);
    assert_limit(
        r#"{{define "a"}}{{template "b" .}}{{end}}{{define "b"}}{{template "c" .}}{{end}}{{define "c"}}{{template "d" .}}{{end}}{{define "d"}}x{{end}}{{template "a" .}}"#,
        tight,
    );
    assert_limit("0123456789ab", tight);
    assert_limit(r#"{{ printf "%20s" "x" }}"#, tight);
}

#[test]
fn pathological_regex_is_bounded() {
    let started = Instant::now();
    let src = r#"{{ $s := printf "%0100000d" 0 }}{{ reReplaceAll "(0*)*1" "x" $s }}{{ match "(a|a)*(b|c)*d" $s }}"#;
    let (_out, _diags) = render(src, &serde_json::json!({}), &Limits::default());
    assert!(started.elapsed() < Duration::from_secs(2), "took {:?}", started.elapsed());
}

#[test]
fn deep_nesting_is_bounded_without_overflowing_the_stack() {
    // Template recursion through nested control structures, with a generous depth limit.
    let nested = format!(
        r#"{{{{define "a"}}}}{}{{{{template "a" .}}}}{}{{{{end}}}}{{{{template "a" .}}}}"#,
        "{{ if 1 }}{{ with 2 }}{{ range 1 }}".repeat(30),
        "{{ end }}{{ end }}{{ end }}".repeat(30)
    );
    assert_limit(&nested, Limits { steps: 10_000_000, depth: 10_000, output: 1 << 20, interrupt: None });
    // Parenthesized pipelines: fine up to the parser's bound, an error beyond it.
    let parens = |n: usize| format!("{{{{ {}1{} }}}}", "(".repeat(n), ")".repeat(n));
    let (out, diags) = render(&parens(90), &serde_json::json!({}), &Limits::default());
    assert_eq!(out.as_deref(), Some("1"), "{diags:?}");
    let (out, diags) = render(&parens(5000), &serde_json::json!({}), &Limits::default());
    assert!(out.is_none());
    assert_eq!(diags[0].code, "syntax_error");
    let ifs = format!("{}x{}", "{{ if 1 }}".repeat(5000), "{{ end }}".repeat(5000));
    let (out, diags) = render(&ifs, &serde_json::json!({}), &Limits::default());
    assert!(out.is_none());
    assert_eq!(diags[0].code, "syntax_error");
    // Deep data prints and serializes.
    let mut deep = serde_json::json!(1);
    for _ in 0..120 {
        deep = serde_json::json!([deep]);
    }
    let (out, diags) = render("{{ . }}{{ data.ToJSON . }}{{ printf \"%v\" . }}", &deep, &Limits::default());
    assert!(out.is_some(), "{diags:?}");
}

/// Deterministic pseudo-random generator (no external crates).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

#[test]
fn garbage_and_truncated_templates_never_panic() {
    let samples: Vec<String> = std::fs::read_dir(fixtures_dir())
        .expect("fixtures dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .filter_map(|t| t.split_once("\n---\n").map(|(_, tmpl)| tmpl.to_string()))
        .chain([
            r#"{{- define "x" -}}{{ range $i, $e := .a }}{{ if and $i (gt (len $e) 2) }}{{ printf "%-5.2q|" $e }}{{ else if $e }}{{ break }}{{ end }}{{ end }}{{- end }}{{ template "x" . }}"#.to_string(),
            r#"{{ with $x := (coll.Dict "a" (coll.Slice 1 2.5 "x" nil true)) }}{{ data.ToJSONPretty "\t" $x }}{{ else with .b }}{{ tmpl.Inline "{{ . | js }}" . }}{{ end }}"#.to_string(),
            "{{/* unterminated comment".to_string(),
            "{{ 'é' }}{{ \"\\u00e9\\x41\" }}{{ `raw` }}é{{ 0x_1 }}".to_string(),
        ])
        .collect();
    let data = serde_json::json!({"a": ["abc", "", "x"], "b": {"c": null}, "Alerts": [{"Status": "firing"}]});
    let limits = Limits { steps: 20_000, depth: 16, output: 1 << 16, interrupt: None };
    let mut count = 0usize;
    for s in &samples {
        let mut cut = 0;
        while cut <= s.len() {
            if s.is_char_boundary(cut) {
                let _ = render(&s[..cut], &data, &limits);
                count += 1;
            }
            cut += 1;
        }
    }
    // Random soup of template tokens and characters.
    let pieces = [
        "{{",
        "}}",
        "{{-",
        "-}}",
        " ",
        ".",
        ".a",
        "$",
        "$x",
        ":=",
        "=",
        "|",
        "(",
        ")",
        "\"",
        "`",
        "'",
        "if",
        "else",
        "end",
        "range",
        "with",
        "define",
        "template",
        "block",
        "break",
        "continue",
        "nil",
        "true",
        "1",
        "-2.5e3",
        "0x",
        "len",
        "index",
        "printf",
        "coll.Dict",
        "data.JSON",
        "tmpl.Exec",
        "tmpl.Inline",
        "\"x\"",
        ",",
        "/*",
        "*/",
        "é",
        "\n",
        "\\",
        "%",
        "{",
        "}",
    ];
    let mut rng = Lcg(42);
    for _ in 0..3000 {
        let n = (rng.next() % 24) as usize;
        let mut s = String::new();
        for _ in 0..n {
            s.push_str(pieces[(rng.next() as usize) % pieces.len()]);
        }
        let _ = render(&s, &data, &limits);
        count += 1;
    }
    // Random regular expressions through `match` and `reReplaceAll`.
    let re_pieces = [
        "a",
        "b",
        ".",
        "*",
        "+",
        "?",
        "*?",
        "|",
        "(",
        ")",
        "(?:",
        "(?i)",
        "(?P<n>",
        "[",
        "]",
        "^",
        "$",
        "-",
        "\\d",
        "\\w",
        "\\s",
        "\\b",
        "{",
        "}",
        "{2}",
        "{1,3}",
        ",",
        "[:alpha:]",
        "\\",
        "é",
        "x{1000}",
        "\\x4",
        "$1",
    ];
    for _ in 0..3000 {
        let n = (rng.next() % 12) as usize;
        let mut p = String::new();
        for _ in 0..n {
            p.push_str(re_pieces[(rng.next() as usize) % re_pieces.len()]);
        }
        let src = format!("{{{{ reReplaceAll `{p}` `<$1>` .s }}}}{{{{ match `{p}` .s }}}}");
        let _ = render(&src, &serde_json::json!({"s": "aab é-x AB_1 b"}), &limits);
        count += 1;
    }
    assert!(count > 1000);
}
