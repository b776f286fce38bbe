//! `template::render` for all four dialects: fixture-driven, plus every catalog preset and
//! default template rendered against its sender's samples.
//!
//! Each `tests/render_fixtures/<dialect>/<case>.txt` holds:
//! - a JSON header line: `{"sender": …, "event": …, "format": "json"|"text"|"auto", "env": {…},
//!   "vars": {…}, "limits": {"steps": …, "depth": …, "output": …}}` (every key optional);
//! - the JSON data, up to a line `---`;
//! - the template (one trailing newline stripped).
//!
//! `<case>.out` holds the output (or the line `--- no output`), then, when there are
//! diagnostics, a line `--- diagnostics` and one `line:column severity code: message` per line.
//! Cases named `err_*` must report an error; others must not. Cases named `*limit*` must finish
//! within a second. `HOOKWRIGHT_BLESS=1 cargo test -p hookwright --test render` rewrites the
//! `.out` files from what renders now: read every rewritten file before committing it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use hookwright::catalog;
use hookwright::template::{Dialect, Format, Limits, RenderRequest, RenderResult, Severity, compile, render};
use serde_json::Value;

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/render_fixtures")
}

fn strings(header: &Value, key: &str) -> Result<BTreeMap<String, String>, String> {
    match header.get(key) {
        None => Ok(BTreeMap::new()),
        Some(Value::Object(map)) => map
            .iter()
            .map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_string())).ok_or(format!("{key}.{k} is not a string")))
            .collect(),
        Some(_) => Err(format!("{key} must be an object of strings")),
    }
}

fn limits(header: &Value) -> Limits {
    let mut limits = Limits::default();
    if let Some(l) = header.get("limits") {
        if let Some(v) = l.get("steps").and_then(Value::as_u64) {
            limits.steps = v;
        }
        if let Some(v) = l.get("depth").and_then(Value::as_u64) {
            limits.depth = v as u32;
        }
        if let Some(v) = l.get("output").and_then(Value::as_u64) {
            limits.output = v as usize;
        }
    }
    limits
}

/// The `.out` text of a result.
fn expected_text(result: &RenderResult) -> String {
    let mut out = match &result.output {
        Some(o) => o.clone(),
        None => "--- no output".to_string(),
    };
    if !result.diagnostics.is_empty() {
        out.push_str("\n--- diagnostics");
        for d in &result.diagnostics {
            out.push_str(&format!("\n{}:{} {} {}: {}", d.line, d.column, d.severity.as_str(), d.code, d.message));
        }
    }
    out.push('\n');
    out
}

fn run_fixture(dialect: Dialect, path: &Path, bless: bool) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("read: {e}"))?;
    let (header, rest) = text.split_once('\n').ok_or("missing header line")?;
    let header: Value = serde_json::from_str(header).map_err(|e| format!("bad header: {e}"))?;
    let (data, template) = rest.split_once("\n---\n").ok_or("missing `---` separator line")?;
    let template = template.strip_suffix('\n').unwrap_or(template);
    let data: Value = serde_json::from_str(data).map_err(|e| format!("bad JSON data: {e}"))?;
    let env = strings(&header, "env")?;
    let vars = strings(&header, "vars")?;
    let format = match header.get("format").and_then(Value::as_str) {
        Some(f) => f.parse::<Format>()?,
        None => Format::Auto,
    };
    let req = RenderRequest {
        template,
        dialect,
        data: &data,
        env: &env,
        vars: &vars,
        format,
        sender: header.get("sender").and_then(Value::as_str),
        event: header.get("event").and_then(Value::as_str),
        limits: limits(&header),
    };
    let name = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default();

    let started = Instant::now();
    let result = render(&req);
    let elapsed = started.elapsed();
    let budget = if name.contains("limit") { Duration::from_secs(1) } else { Duration::from_secs(5) };
    if elapsed > budget {
        return Err(format!("took {elapsed:?}"));
    }
    for d in &result.diagnostics {
        if d.start > d.end || d.end > template.len() {
            return Err(format!("bad span {}..{} for {d}", d.start, d.end));
        }
    }
    if name.starts_with("err_") != result.has_errors() {
        let want = if name.starts_with("err_") { "an error" } else { "no error" };
        return Err(format!("expected {want}, got:\n{}", expected_text(&result)));
    }
    if name.contains("limit") && !result.diagnostics.iter().any(|d| d.code == "limit_exceeded") {
        return Err("expected limit_exceeded".to_string());
    }
    // A compiled template renders the same, every time, whatever it rendered before.
    let compiled = compile(&req.compile_request());
    let other = serde_json::json!({"unrelated": [1, {"x": "y"}]});
    for (i, d) in [&data, &other, &data].into_iter().enumerate() {
        let again = compiled.render(d);
        let fresh = render(&RenderRequest { data: d, ..req });
        if again != fresh || (i != 1 && again != result) {
            return Err(format!(
                "compiled render #{i} differs\n--- render\n{}--- compiled\n{}",
                expected_text(&fresh),
                expected_text(&again)
            ));
        }
    }
    let got = expected_text(&result);
    let out_path = path.with_extension("out");
    if bless {
        std::fs::write(&out_path, &got).map_err(|e| format!("write {}: {e}", out_path.display()))?;
        return Ok(());
    }
    let expected = std::fs::read_to_string(&out_path).map_err(|e| format!("read {}: {e}", out_path.display()))?;
    if got != expected {
        return Err(format!("mismatch\n--- expected\n{expected}--- got\n{got}"));
    }
    Ok(())
}

#[test]
fn fixtures() {
    let bless = std::env::var_os("HOOKWRIGHT_BLESS").is_some_and(|v| v == "1");
    let mut failures = Vec::new();
    let mut count = 0;
    for dialect in [Dialect::Tokens, Dialect::Jinja, Dialect::Go, Dialect::Dagu] {
        let dir = fixtures_dir().join(dialect.as_str());
        let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        paths.sort();
        for p in &paths {
            count += 1;
            if let Err(e) = run_fixture(dialect, p, bless) {
                failures.push(format!(
                    "{}/{}: {e}",
                    dialect.as_str(),
                    p.file_name().and_then(|s| s.to_str()).unwrap_or("?")
                ));
            }
        }
    }
    assert!(count >= 40, "expected the fixture set, found {count}");
    assert!(failures.is_empty(), "{} of {count} fixtures failed:\n{}", failures.len(), failures.join("\n\n"));
}

/// Every preset and every event's default template of the senders written in tokens or jinja
/// renders against every sample of every event without errors, into valid JSON.
#[test]
fn catalog_templates_render_to_valid_json() {
    let mut checked = 0;
    let mut failures = Vec::new();
    for sender in catalog::senders() {
        if !matches!(sender.dialect, Dialect::Tokens | Dialect::Jinja | Dialect::Go) {
            continue;
        }
        let mut templates: Vec<(String, &str)> =
            sender.presets.iter().map(|p| (format!("preset {}", p.id), p.template.as_str())).collect();
        templates.extend(sender.events.iter().map(|e| (format!("event {} template", e.id), e.template.as_str())));
        for event in &sender.events {
            let samples = std::iter::once(&event.sample).chain(event.variants.iter().map(|v| &v.sample));
            for sample in samples {
                // Dagster+ samples carry the deployment's environment variables.
                let env: BTreeMap<String, String> = sample
                    .get("env")
                    .and_then(Value::as_object)
                    .map(|m| m.iter().filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string()))).collect())
                    .unwrap_or_default();
                let vars = BTreeMap::from([
                    ("environment".to_string(), "production".to_string()),
                    ("custom_field".to_string(), "x".to_string()),
                ]);
                for (what, template) in &templates {
                    // A template written for one event may use tokens another lacks; only
                    // presets (meant for every event) and the event's own template are checked.
                    if what.starts_with("event ") && *what != format!("event {} template", event.id) {
                        continue;
                    }
                    let req = RenderRequest {
                        template,
                        dialect: sender.dialect,
                        data: sample,
                        env: &env,
                        vars: &vars,
                        format: Format::Auto,
                        sender: Some(&sender.id),
                        event: Some(&event.id),
                        limits: Limits::default(),
                    };
                    let result = render(&req);
                    checked += 1;
                    let errors: Vec<String> = result
                        .diagnostics
                        .iter()
                        .filter(|d| d.severity == Severity::Error)
                        .map(ToString::to_string)
                        .collect();
                    let output = result.output.unwrap_or_default();
                    let json = Format::Auto.is_json(template);
                    if !errors.is_empty() || (json && serde_json::from_str::<Value>(&output).is_err()) {
                        failures.push(format!("{} {what} on {}: {errors:?}\n{output}", sender.id, event.id));
                    }
                }
            }
        }
    }
    assert!(checked >= 60, "checked only {checked}");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Every Dagster+ preset stays valid JSON when every token holds hostile text.
#[test]
fn dagster_presets_survive_hostile_values() {
    let dagster = catalog::sender("dagster").expect("dagster in the catalog");
    let hostile = "quote \" backslash \\ newline \n tab \t nul \u{0} esc \u{1b} emoji 🚨 </script> {{x}}";
    let event = dagster.event("job_failure").expect("job_failure");
    let mut data = event.sample.clone();
    for (_, v) in data.as_object_mut().expect("object sample").iter_mut() {
        if v.is_string() {
            *v = Value::String(hostile.to_string());
        }
    }
    let env: BTreeMap<String, String> = ["JIRA_PROJECT_KEY", "PAGERDUTY_ROUTING_KEY"]
        .into_iter()
        .map(|k| (k.to_string(), hostile.to_string()))
        .collect();
    let vars = BTreeMap::new();
    for preset in &dagster.presets {
        let req = RenderRequest {
            template: &preset.template,
            dialect: Dialect::Tokens,
            data: &data,
            env: &env,
            vars: &vars,
            format: Format::Auto,
            sender: Some("dagster"),
            event: Some("job_failure"),
            limits: Limits::default(),
        };
        let result = render(&req);
        assert!(!result.has_errors(), "{}: {:?}", preset.id, result.diagnostics);
        let output = result.output.expect("output");
        let parsed: Value = serde_json::from_str(&output).unwrap_or_else(|e| panic!("{}: {e}\n{output}", preset.id));
        // The summary comes back exactly as sent.
        let text = parsed.to_string();
        assert!(text.contains("🚨 </script>"), "{}: {text}", preset.id);
    }
}

/// Templates glued from delimiter fragments, multibyte text and half-finished syntax never make
/// `render` panic or hang, and every diagnostic's span lies inside the template.
#[test]
fn arbitrary_templates_never_panic() {
    const FRAGMENTS: &[&str] = &[
        "{{",
        "}}",
        "{%",
        "%}",
        "{#",
        "#}",
        "-",
        "+",
        "\"",
        "'",
        "\\",
        " if ",
        " else ",
        "x",
        "é",
        "😀",
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        " raw ",
        " endraw ",
        " for i in range(3) ",
        " endfor ",
        ".X",
        "${WEBHOOK_PAYLOAD.a}",
        "env.K",
        "\n",
        "(",
        ")",
        "|",
        "tojson",
        "*",
        "1",
        "loop.last",
        " macro m() ",
        " endmacro ",
        "m()",
        " define \"a\" ",
        " end ",
        " range . ",
        "/*",
        "*/",
        "`",
        "\u{0}",
    ];
    let data = serde_json::json!({"x": "a\"b\n", "a": [1, {"b": "é"}], "X": {"Y": 1}, "K": null});
    let env = BTreeMap::from([("K".to_string(), "v\"".to_string())]);
    let vars = BTreeMap::new();
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let limits = Limits { steps: 20_000, depth: 16, output: 4096, interrupt: None };
    for _ in 0..2000 {
        let len = 1 + next() % 14;
        let template: String = (0..len).map(|_| FRAGMENTS[(next() % FRAGMENTS.len() as u64) as usize]).collect();
        for dialect in [Dialect::Tokens, Dialect::Jinja, Dialect::Go, Dialect::Dagu] {
            for format in [Format::Json, Format::Text] {
                let req = RenderRequest {
                    template: &template,
                    dialect,
                    data: &data,
                    env: &env,
                    vars: &vars,
                    format,
                    sender: Some("dagster"),
                    event: Some("job_failure"),
                    limits,
                };
                let started = Instant::now();
                let result = render(&req);
                assert!(started.elapsed() < Duration::from_secs(1), "{dialect:?} {template:?} was slow");
                for d in &result.diagnostics {
                    assert!(d.start <= d.end && d.end <= template.len(), "{dialect:?} {template:?}: {d:?}");
                }
            }
        }
    }
}

thread_local! {
    static DEADLINE: std::cell::Cell<Option<Instant>> = const { std::cell::Cell::new(None) };
}

/// A host clock check, as the playground and the npm package pass one.
fn past_deadline() -> bool {
    DEADLINE.with(|d| d.get().is_some_and(|t| Instant::now() > t))
}

#[test]
fn the_hosts_interrupt_stops_templates_that_build_huge_strings() {
    // Few instructions, each copying megabytes: the step budget alone lets this run for seconds.
    let template = r#"{% set s = "x" * 500000 %}{% for i in range(20000) %}{% set y = s ~ s %}{% endfor %}done"#;
    let (data, empty) = (Value::Object(Default::default()), BTreeMap::new());
    let req = |interrupt| RenderRequest {
        template,
        dialect: Dialect::Jinja,
        data: &data,
        env: &empty,
        vars: &empty,
        format: Format::Text,
        sender: None,
        event: None,
        limits: Limits { interrupt, ..Limits::default() },
    };
    DEADLINE.with(|d| d.set(Some(Instant::now() + Duration::from_millis(100))));
    let started = Instant::now();
    let result = render(&req(Some(past_deadline)));
    assert!(started.elapsed() < Duration::from_secs(1), "took {:?}", started.elapsed());
    let d = result.diagnostics.iter().find(|d| d.code == "limit_exceeded").expect("limit_exceeded");
    assert!(d.message.contains("time budget"), "{d}");
    assert_eq!(d.line, 1);
    assert!(result.output.is_none());

    // An interrupt that never fires changes nothing: a short template renders as without one.
    let small = RenderRequest { template: "{% for i in range(3) %}{{ i }}{% endfor %}", ..req(Some(|| false)) };
    assert_eq!(render(&small).output.as_deref(), Some("012"));
}
