//! Fixture-driven tests for the Dagu `${WEBHOOK_PAYLOAD…}` dialect.
//!
//! `tests/dagu_fixtures/<case>.txt` holds the raw request body, a line `---`, then the step command.
//! `<case>.out` holds the expanded command; for `warn_*` cases it continues with a line
//! `--- diagnostics` and one diagnostic per line. Every other case must expand without any
//! diagnostic. Run with `HOOKWRIGHT_BLESS=1` to (re)write the `.out` files, then review the diff.

use std::fs;
use std::path::{Path, PathBuf};

use hookwright::template::Severity;
use hookwright::template::dagu::{expand, references, webhook_payload};
use serde_json::json;

const DIAGNOSTICS: &str = "--- diagnostics";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/dagu_fixtures")
}

/// Text without its one final newline, if it has one.
fn chomp(text: &str) -> &str {
    text.strip_suffix('\n').unwrap_or(text)
}

fn render(case: &str, input: &str) -> String {
    let (body, command) =
        input.split_once("\n---\n").unwrap_or_else(|| panic!("{case}.txt: no `---` line between body and command"));
    let command = chomp(command);
    let payload = webhook_payload(body.as_bytes());
    let (out, diagnostics) = expand(command, &payload);
    for d in &diagnostics {
        assert_eq!(&command[d.start..d.end].get(..1), &Some("$"), "{case}: diagnostic span must start at the `$`: {d}");
    }
    if case.starts_with("warn_") {
        assert!(!diagnostics.is_empty(), "{case}: a warn_ case must produce diagnostics");
        let mut text = format!("{out}\n{DIAGNOSTICS}\n");
        for d in &diagnostics {
            text.push_str(&d.to_string());
            text.push('\n');
        }
        text
    } else {
        assert!(diagnostics.is_empty(), "{case}: unexpected diagnostics: {diagnostics:#?}");
        format!("{out}\n")
    }
}

#[test]
fn fixtures_expand_as_recorded() {
    let bless = std::env::var_os("HOOKWRIGHT_BLESS").is_some();
    let mut cases: Vec<PathBuf> = fs::read_dir(fixtures())
        .expect("fixture folder")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    cases.sort();
    assert!(cases.len() >= 20, "expected the fixture set, found {}", cases.len());
    let mut failures = Vec::new();
    for path in &cases {
        let case = path.file_stem().and_then(|s| s.to_str()).expect("utf-8 name").to_string();
        let input = fs::read_to_string(path).expect("read fixture");
        let got = render(&case, &input);
        let out_path = path.with_extension("out");
        if bless {
            fs::write(&out_path, &got).expect("write .out");
            continue;
        }
        match fs::read_to_string(&out_path) {
            Ok(want) if want == got => {}
            Ok(want) => failures.push(format!("{case}:\n--- want\n{want}--- got\n{got}")),
            Err(_) => failures.push(format!("{case}: missing {case}.out (run with HOOKWRIGHT_BLESS=1)")),
        }
    }
    assert!(failures.is_empty(), "{} fixture(s) differ:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn every_documented_command_is_a_fixture() {
    // The `${WEBHOOK_PAYLOAD…}` step commands of Dagu's webhook documentation.
    let documented = [
        r#"echo "Building branch ${WEBHOOK_PAYLOAD.branch} at commit ${WEBHOOK_PAYLOAD.commit}""#,
        r#"echo "Repository: ${WEBHOOK_PAYLOAD.repository.name}""#,
        r#"echo "Author: ${WEBHOOK_PAYLOAD.commits.0.author.name}""#,
        r#"echo "User ${WEBHOOK_PAYLOAD.user_name} requested: ${WEBHOOK_PAYLOAD.text}""#,
        r#"./scripts/handle-slack-command.sh "${WEBHOOK_PAYLOAD.text}""#,
    ];
    let all: String = fs::read_dir(fixtures())
        .expect("fixture folder")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .map(|p| fs::read_to_string(p).expect("read"))
        .collect();
    for command in documented {
        assert!(all.lines().any(|l| l == command), "no fixture has the documented command {command}");
    }
}

#[test]
fn payload_selection() {
    assert_eq!(webhook_payload(br#"{"payload": {"a": 1}, "dagRunId": "x"}"#), json!({"a": 1}));
    assert_eq!(webhook_payload(br#"{"payload": "text"}"#), json!("text"));
    assert_eq!(webhook_payload(br#"{"payload": null}"#), json!(null));
    assert_eq!(webhook_payload(br#"{"a": {"payload": 1}}"#), json!({"a": {"payload": 1}}));
    assert_eq!(webhook_payload(b"[1, 2]"), json!([1, 2]));
    assert_eq!(webhook_payload(b"42"), json!(42));
    for junk in [&b""[..], b"   ", b"a=1&b=2", b"{\"a\":", b"\xff\xfe", b"{\"a\":1} trailing"] {
        assert_eq!(webhook_payload(junk), json!({}), "{junk:?}");
    }
}

#[test]
fn diagnostics_point_at_the_reference() {
    let command = "echo ok\n  echo \"${WEBHOOK_PAYLOAD.commits.0.id}\" ${WEBHOOK_PAYLOAD.nope}";
    let (out, d) = expand(command, &json!({"commits": [{"id": "9f1c2e7"}]}));
    assert_eq!(out, "echo ok\n  echo \"9f1c2e7\" ${WEBHOOK_PAYLOAD.nope}");
    let codes: Vec<_> = d.iter().map(|d| (d.code, d.severity, d.line, d.column)).collect();
    assert_eq!(
        codes,
        [("dagu_numeric_segment", Severity::Warning, 2, 9), ("undefined_value", Severity::Warning, 2, 42)]
    );
    assert_eq!(&command[d[0].start..d[0].end], "${WEBHOOK_PAYLOAD.commits.0.id}");
    assert!(d[0].message.contains("${WEBHOOK_PAYLOAD.commits.[0].id}"), "{}", d[0].message);
    assert_eq!(&command[d[1].start..d[1].end], "${WEBHOOK_PAYLOAD.nope}");
}

#[test]
fn references_name_catalog_tokens() {
    let refs = references(r#"echo "${WEBHOOK_PAYLOAD.commits.[0].author.name}" ${WEBHOOK_PAYLOAD} ${HOME}"#);
    let tokens: Vec<_> = refs.iter().map(|r| r.token()).collect();
    assert_eq!(tokens, ["WEBHOOK_PAYLOAD.commits.author.name", "WEBHOOK_PAYLOAD"]);
}

#[test]
fn never_panics_on_odd_input() {
    let payload = json!({"a": [1, {"b": null}], "": "empty key", "ü": "x"});
    let samples = [
        "",
        "$",
        "${",
        "${WEBHOOK_PAYLOAD",
        "${WEBHOOK_PAYLOAD.",
        "${WEBHOOK_PAYLOAD.}",
        "${WEBHOOK_PAYLOAD..}",
        "${WEBHOOK_PAYLOAD.[}",
        "${WEBHOOK_PAYLOAD.a[}",
        "${WEBHOOK_PAYLOAD.a.[99999999999999999999]}",
        "${WEBHOOK_PAYLOAD.a.[-9223372036854775808]}",
        "${WEBHOOK_PAYLOAD.a.99999999999999999999999}",
        "${WEBHOOK_PAYLOAD.\"\"}",
        "${WEBHOOK_PAYLOAD.ü}",
        "${WEBHOOK_PAYLOAD.[\"ü\"]}",
        "$WEBHOOK_PAYLOAD.",
        "\\\"${WEBHOOK_PAYLOAD}\\\"",
        "'\"${WEBHOOK_PAYLOAD.a}",
        "€${WEBHOOK_PAYLOAD.a.[1].b}€",
    ];
    for s in samples {
        let (_, diagnostics) = expand(s, &payload);
        for d in diagnostics {
            assert!(d.start <= d.end && d.end <= s.len(), "{s}: {d:?}");
        }
    }
}
