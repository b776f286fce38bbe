//! Grafana webhook contact point: the request body, byte for byte.
//!
//! Each `tests/grafana_fixtures/<case>.json` holds `{"contact_point": {…}, "group": {…}}`:
//! the contact point options (`title`, `message`, `max_alerts`, `vars`, `org_id`, all
//! optional) and the alert group in Grafana's JSON shape. `<case>.tmpl`, when present, is the
//! custom payload template (one trailing newline stripped, so the file may end with one).
//! `<case>.out` holds the expected body bytes exactly (Grafana's `json.Marshal` writes no
//! trailing newline, so neither do these files). `<case>.diag`, when present, lists the
//! expected diagnostics, one `severity line:column code` a line; without it none are expected.
//! Adding a case is adding files.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use hookwright::grafana::{ContactPoint, render_payload, template_data};
use hookwright::template::Limits;
use serde_json::Value;

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/grafana_fixtures")
}

fn contact_point(v: &Value, custom_payload: Option<String>) -> Result<ContactPoint, String> {
    let s = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
    let vars: BTreeMap<String, String> = match v.get("vars") {
        None => BTreeMap::new(),
        Some(Value::Object(o)) => o
            .iter()
            .map(|(k, v)| Ok((k.clone(), v.as_str().ok_or("vars must be strings")?.to_string())))
            .collect::<Result<_, String>>()?,
        Some(_) => return Err("vars must be an object".into()),
    };
    Ok(ContactPoint {
        title: s("title"),
        message: s("message"),
        max_alerts: v.get("max_alerts").and_then(Value::as_u64).unwrap_or(0) as usize,
        custom_payload,
        vars,
        org_id: v.get("org_id").and_then(Value::as_i64).unwrap_or(1),
    })
}

fn run_fixture(path: &Path) -> Result<(), String> {
    let input: Value = serde_json::from_str(&std::fs::read_to_string(path).map_err(|e| format!("read: {e}"))?)
        .map_err(|e| format!("bad JSON: {e}"))?;
    let tmpl_path = path.with_extension("tmpl");
    let custom = match std::fs::read_to_string(&tmpl_path) {
        Ok(t) => Some(t.strip_suffix('\n').unwrap_or(&t).to_string()),
        Err(_) => None,
    };
    let cp = contact_point(input.get("contact_point").unwrap_or(&Value::Null), custom)?;
    let group = input.get("group").ok_or("missing group")?;
    let out_path = path.with_extension("out");
    let expected = std::fs::read_to_string(&out_path).map_err(|e| format!("read {}: {e}", out_path.display()))?;
    let expected_diags = std::fs::read_to_string(path.with_extension("diag")).unwrap_or_default();

    let got = render_payload(group, &cp, &Limits::default());
    let diags: Vec<String> =
        got.diagnostics.iter().map(|d| format!("{} {}:{} {}", d.severity.as_str(), d.line, d.column, d.code)).collect();
    let expected_diags: Vec<&str> = expected_diags.lines().filter(|l| !l.trim().is_empty()).collect();
    if diags != expected_diags {
        let full: Vec<String> = got.diagnostics.iter().map(ToString::to_string).collect();
        return Err(format!("diagnostics\n  expected: {expected_diags:?}\n  got:      {full:#?}"));
    }
    if got.body != expected {
        let at = got
            .body
            .bytes()
            .zip(expected.bytes())
            .position(|(a, b)| a != b)
            .unwrap_or(expected.len().min(got.body.len()));
        return Err(format!(
            "body differs at byte {at}\n  expected: …{:?}\n  got:      …{:?}\n  full got: {}",
            expected.get(at.saturating_sub(40)..(at + 40).min(expected.len())).unwrap_or(""),
            got.body.get(at.saturating_sub(40)..(at + 40).min(got.body.len())).unwrap_or(""),
            got.body
        ));
    }
    Ok(())
}

fn fixture_paths() -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(fixtures_dir())
        .expect("fixtures dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    paths
}

#[test]
fn fixtures() {
    let paths = fixture_paths();
    assert!(paths.len() >= 8, "expected the fixture set, found {}", paths.len());
    let mut failures = Vec::new();
    for p in &paths {
        if let Err(e) = run_fixture(p) {
            failures.push(format!("{}: {e}", p.file_name().and_then(|s| s.to_str()).unwrap_or("?")));
        }
    }
    assert!(failures.is_empty(), "{} of {} fixtures failed:\n{}", failures.len(), paths.len(), failures.join("\n"));
}

/// The message of the reference's example (Grafana's webhook documentation), as written there.
const REFERENCE_MESSAGE: &str = r#""**Firing**\n\nLabels:\n - alertname = T2\n - team = blue\n - zone = us-1\nAnnotations:\n - description = This is the alert rule checking the second system\n - runbook_url = https://myrunbook.com\n - summary = This is my summary\nSource: https://play.grafana.org/alerting/1afz29v7z/edit\nSilence: https://play.grafana.org/alerting/silence/new?alertmanager=grafana&matchers=alertname%3DT2%2Cteam%3Dblue%2Czone%3Dus-1\n\nLabels:\n - alertname = T1\n - team = blue\n - zone = eu-1\nAnnotations:\nSource: https://play.grafana.org/alerting/d1rdpdv7k/edit\nSilence: https://play.grafana.org/alerting/silence/new?alertmanager=grafana&matchers=alertname%3DT1%2Cteam%3Dblue%2Czone%3Deu-1\n""#;

#[test]
fn reference_message_appears_exactly() {
    let expected = std::fs::read_to_string(fixtures_dir().join("firing_two_alerts.out")).unwrap();
    // Go escapes `&` as \u0026; otherwise the string is the documentation's, byte for byte.
    let escaped = REFERENCE_MESSAGE.replace('&', "\\u0026");
    assert!(expected.contains(&format!(",\"message\":{escaped}}}")), "fixture lacks the reference message");

    let input: Value =
        serde_json::from_str(&std::fs::read_to_string(fixtures_dir().join("firing_two_alerts.json")).unwrap()).unwrap();
    let got = render_payload(&input["group"], &ContactPoint::default(), &Limits::default());
    let body: Value = serde_json::from_str(&got.body).unwrap();
    let message: String = serde_json::from_str(REFERENCE_MESSAGE).unwrap();
    assert_eq!(body["message"], message.as_str());
    assert!(!got.body.ends_with('\n'));
}

#[test]
fn template_data_has_go_field_names() {
    let input: Value =
        serde_json::from_str(&std::fs::read_to_string(fixtures_dir().join("firing_two_alerts.json")).unwrap()).unwrap();
    let d = template_data(&input["group"], 3);
    let keys: Vec<&str> = d.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "Receiver",
            "Status",
            "Alerts",
            "GroupLabels",
            "CommonLabels",
            "CommonAnnotations",
            "ExternalURL",
            "GroupKey",
            "TruncatedAlerts",
            "Vars"
        ]
    );
    assert_eq!(d["TruncatedAlerts"], 3);
    let alert = &d["Alerts"][1];
    for k in [
        "Status",
        "Labels",
        "Annotations",
        "StartsAt",
        "EndsAt",
        "GeneratorURL",
        "Fingerprint",
        "SilenceURL",
        "DashboardURL",
        "PanelURL",
        "Values",
        "ValueString",
        "OrgID",
    ] {
        assert!(alert.get(k).is_some(), "alert lacks {k}");
    }
    assert_eq!(alert["EndsAt"], "0001-01-01T00:00:00Z");
    assert_eq!(alert["Values"], Value::Null);
}

#[test]
fn every_body_without_custom_payload_is_json_with_grafanas_field_order() {
    for p in fixture_paths() {
        if p.with_extension("tmpl").exists() {
            continue;
        }
        let body = std::fs::read_to_string(p.with_extension("out")).unwrap();
        let v: Value = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "receiver",
                "status",
                "alerts",
                "groupLabels",
                "commonLabels",
                "commonAnnotations",
                "externalURL",
                "version",
                "groupKey",
                "truncatedAlerts",
                "orgId",
                "title",
                "state",
                "message"
            ],
            "{}",
            p.display()
        );
    }
}
