//! The senders' catalog: every file loads, the facts match the senders' documentation, and every
//! default template uses only what its event offers.

use std::collections::BTreeSet;

use hookwright::Kind;
use hookwright::catalog::{self, Availability, Dialect, Sender};
use hookwright::template::dagu;
use serde_json::{Value, json};

fn get(id: &str) -> &'static Sender {
    catalog::sender(id).unwrap_or_else(|| panic!("sender {id} missing; load errors: {:?}", catalog::catalog_errors()))
}

#[test]
fn every_sender_loads() {
    assert_eq!(catalog::catalog_errors(), &[] as &[String]);
    let expected = [
        ("grafana", Some(Kind::Grafana), Dialect::Go),
        ("dagster", None, Dialect::Tokens),
        ("dbt", Some(Kind::Dbt), Dialect::Jinja),
        ("hertzbeat", None, Dialect::Jinja),
        ("dagu", Some(Kind::Dagu), Dialect::Dagu),
        ("github", Some(Kind::Github), Dialect::Jinja),
        ("stripe", Some(Kind::Stripe), Dialect::Jinja),
        ("standard", Some(Kind::Standard), Dialect::Jinja),
        ("slack", Some(Kind::Slack), Dialect::Jinja),
        ("shopify", Some(Kind::Shopify), Dialect::Jinja),
    ];
    let ids: Vec<_> = catalog::senders().iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, expected.iter().map(|e| e.0).collect::<Vec<_>>());
    for (id, scheme, dialect) in expected {
        let s = get(id);
        assert_eq!(s.scheme, scheme, "{id}");
        assert_eq!(s.dialect, dialect, "{id}");
        assert!(!s.label.is_empty() && s.help.len() > 40, "{id}: label and help");
        assert!(s.headers.iter().any(|(k, _)| k == "Content-Type"), "{id}: Content-Type default");
        assert!(!s.events.is_empty() && !s.tokens.is_empty(), "{id}");
        for e in &s.events {
            assert!(!e.template.trim().is_empty(), "{id}/{}: template", e.id);
            assert!(e.sample.is_object(), "{id}/{}: sample must be an object", e.id);
        }
    }
}

const JOB: &[&str] = &["job_success", "job_failure", "job_long_running"];
const MAT: &[&str] = &["asset_materialization_success", "asset_materialization_failure", "asset_check_failure"];
const STATE: &[&str] = &["asset_health", "asset_freshness", "table_schema_change"];
const CODE: &[&str] = &["code_location_error"];
const TICK: &[&str] = &["tick_failure"];
const AGENT: &[&str] = &["agent_downtime"];

fn available_on(s: &Sender, token: &str) -> BTreeSet<String> {
    s.events
        .iter()
        .filter(|e| s.token_availability(token, &e.id) == Availability::Available)
        .map(|e| e.id.clone())
        .collect()
}

#[test]
fn dagster_tokens_match_the_reference() {
    let s = get("dagster");
    let events: Vec<_> = s.events.iter().map(|e| e.id.as_str()).collect();
    let every: Vec<&str> = [JOB, MAT, STATE, CODE, TICK, AGENT].concat();
    assert_eq!(events, every);
    let union = |lists: &[&[&str]]| -> BTreeSet<String> { lists.concat().iter().map(|s| s.to_string()).collect() };
    let all = union(&[&every]);
    let table: &[(&[&str], BTreeSet<String>)] = &[
        (
            &[
                "alert_summary",
                "alert_content",
                "deployment_name",
                "deployment_url",
                "alert_policy_name",
                "alert_policy_id",
                "alert_policy_description",
                "notification_type",
                "is_sample",
                "env.WEBHOOK_API_KEY",
                "env.PAGERDUTY_ROUTING_KEY",
            ],
            all.clone(),
        ),
        (&["job_name", "run_status", "partition_name", "elapsed_time", "start_time", "end_time"], union(&[JOB])),
        (&["run_id", "run_link", "user_name", "user_email"], union(&[JOB, MAT])),
        (&["failure_message"], union(&[JOB, MAT, CODE])),
        (&["schedule_name", "sensor_name"], union(&[JOB, TICK])),
        (&["asset_key"], union(&[STATE])),
        (&["health_status", "materialization_status", "checks_status"], union(&[&["asset_health"]])),
        (&["freshness_status"], union(&[&["asset_health", "asset_freshness"]])),
        (&["location_name", "location_link"], union(&[CODE])),
        (&["instigator_name", "instigator_type"], union(&[TICK])),
        (&["agent_url"], union(&[AGENT])),
    ];
    let mut listed = BTreeSet::new();
    for (tokens, want) in table {
        for token in *tokens {
            assert_eq!(&available_on(s, token), want, "events offering {token}");
            if !token.starts_with("env.") {
                listed.insert(token.to_string());
            }
            let t = s.tokens.iter().find(|t| t.matches(token)).expect("token");
            assert!(!t.description.is_empty() && !t.example.is_empty(), "{token}");
        }
    }
    listed.insert("env.NAME".to_string());
    let names: BTreeSet<String> = s.tokens.iter().map(|t| t.name.clone()).collect();
    assert_eq!(names, listed, "Dagster+ token names");
    // Every event sample gives a value to every token the event offers.
    for e in &s.events {
        for t in s.tokens_for(&e.id).filter(|t| t.placeholder.is_none()) {
            assert!(e.sample.get(&t.name).is_some(), "{}: sample lacks {}", e.id, t.name);
        }
    }
    let targets: BTreeSet<_> = s.presets.iter().map(|p| p.target.as_str()).collect();
    assert_eq!(targets, BTreeSet::from(["jira", "discord", "slack", "teams", "pagerduty"]));
}

#[test]
fn availability_and_did_you_mean() {
    let d = get("dagster");
    let unknown = |s: Option<&str>| Availability::Unknown { suggestion: s.map(str::to_string) };
    assert_eq!(d.token_availability("alert_sumary", "job_failure"), unknown(Some("alert_summary")));
    assert_eq!(d.token_availability("Alert_Summary", "job_failure"), unknown(Some("alert_summary")));
    assert_eq!(d.token_availability("alret_summary", "job_failure"), unknown(Some("alert_summary")));
    assert_eq!(d.token_availability("deploym", "job_failure"), unknown(Some("deployment_name")));
    assert_eq!(d.token_availability("zzzzzz", "job_failure"), unknown(None));
    assert_eq!(d.token_availability("", "job_failure"), unknown(None));
    assert_eq!(
        d.token_availability("job_name", "asset_health"),
        Availability::OtherEvents(JOB.iter().map(|s| s.to_string()).collect())
    );
    assert_eq!(d.token_availability(" job_name ", "job_failure"), Availability::Available);
    assert_eq!(d.token_availability("env.ANY_SECRET", "agent_downtime"), Availability::Available);
    assert!(matches!(d.token_availability("env.", "agent_downtime"), Availability::Unknown { .. }));
    assert!(matches!(d.token_availability("env.A-B", "agent_downtime"), Availability::Unknown { .. }));
    assert_eq!(d.token_availability(&"x".repeat(10_000), "job_failure"), unknown(None));

    let g = get("grafana");
    assert_eq!(g.token_availability(".CommonLabels.alertname", "firing"), Availability::Available);
    assert_eq!(g.token_availability("$.Vars.environment", "resolved"), Availability::Available);
    assert_eq!(g.token_availability(".CommonLabel.alertname", "firing"), unknown(Some("CommonLabels.alertname")));

    let dbt = get("dbt");
    assert_eq!(
        dbt.token_availability("data.run_finished_at", "job.run.started"),
        Availability::OtherEvents(vec!["job.run.completed".to_string()])
    );
    assert_eq!(dbt.token_availability("data.job_nme", "job.run.started"), unknown(Some("data.job_name")));

    assert_eq!(dbt.token_availability("data", "job.run.started"), Availability::Available);
    assert_eq!(get("github").token_availability("repository.owner.login", "push"), Availability::Available);

    let dagu = get("dagu");
    assert_eq!(
        dagu.token_availability("WEBHOOK_PAYLOAD.brnch", "github_actions"),
        unknown(Some("WEBHOOK_PAYLOAD.branch"))
    );
    assert_eq!(dagu.token_availability("WEBHOOK_PAYLOAD.commits.author.name", "github_push"), Availability::Available);
    assert_eq!(
        dagu.token_availability("WEBHOOK_PAYLOAD.pipeline_id", "github_actions"),
        Availability::OtherEvents(vec!["gitlab_ci".to_string()])
    );
}

// ---- token extraction per dialect ------------------------------------------------------------

/// The inner text of every `{{ … }}`.
fn actions(template: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find("{{") {
        let after = &rest[open + 2..];
        let Some(close) = after.find("}}") else { break };
        out.push(after[..close].trim());
        rest = &after[close + 2..];
    }
    out
}

/// Leading dotted path of a Jinja expression (`data.job_name | tojson` → `data.job_name`).
fn jinja_path(expr: &str) -> &str {
    let end = expr.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.')).unwrap_or(expr.len());
    &expr[..end]
}

/// Field chains a Go action reads from the data: `.A.b`, `$.A`, skipping string literals.
fn go_fields(action: &str) -> Vec<String> {
    let chars: Vec<char> = action.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let mut in_string = false;
    while i < chars.len() {
        let c = chars[i];
        if in_string {
            if c == '\\' {
                i += 1;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
        } else if c == '.'
            && chars.get(i + 1).is_some_and(|n| n.is_alphabetic())
            && (i == 0 || matches!(chars[i - 1], ' ' | '(' | '$' | '|' | '\t'))
        {
            let start = i + 1;
            let mut j = start;
            while j < chars.len() && (chars[j].is_alphanumeric() || chars[j] == '_' || chars[j] == '.') {
                j += 1;
            }
            out.push(chars[start..j].iter().collect::<String>().trim_end_matches('.').to_string());
            i = j;
            continue;
        }
        i += 1;
    }
    out
}

fn tokens_in(s: &Sender, template: &str) -> Vec<String> {
    match s.dialect {
        Dialect::Tokens => actions(template).into_iter().map(str::to_string).collect(),
        Dialect::Jinja => actions(template).into_iter().map(|a| jinja_path(a).to_string()).collect(),
        Dialect::Go => actions(template).into_iter().flat_map(go_fields).collect(),
        Dialect::Dagu => dagu::references(template).iter().map(|r| r.token()).collect(),
    }
}

#[test]
fn default_templates_use_only_offered_tokens() {
    for s in catalog::senders() {
        for e in &s.events {
            let used = tokens_in(s, &e.template);
            assert!(!used.is_empty(), "{}/{}: the template uses no token", s.id, e.id);
            for t in used {
                assert_eq!(s.token_availability(&t, &e.id), Availability::Available, "{}/{} uses {t}", s.id, e.id);
            }
            for p in &s.presets {
                let mut used = tokens_in(s, &p.template);
                for (_, v) in &p.headers {
                    used.extend(tokens_in(s, v));
                }
                for t in used {
                    assert_eq!(
                        s.token_availability(&t, &e.id),
                        Availability::Available,
                        "{}/{} preset {}: {t}",
                        s.id,
                        e.id,
                        p.id
                    );
                }
            }
        }
    }
}

// ---- rendering the simple dialects against the samples ----------------------------------------

fn lookup<'a>(sample: &'a Value, path: &str) -> &'a Value {
    path.split('.').fold(sample, |v, k| v.get(k).unwrap_or_else(|| panic!("sample has no {path}")))
}

fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn form_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn form_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).expect("hex"));
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).expect("utf-8")
}

/// Renders the subset of Jinja the default templates use: `{{ path }}`, `| tojson`, `| urlencode`.
fn render_jinja(template: &str, sample: &Value) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find("{{") {
        out.push_str(&rest[..open]);
        let after = &rest[open + 2..];
        let close = after.find("}}").expect("closed action");
        let expr = after[..close].trim();
        let value = lookup(sample, jinja_path(expr));
        out.push_str(&match expr.split('|').nth(1).map(str::trim) {
            Some("tojson") => value.to_string(),
            Some("urlencode") => form_encode(&text_of(value)),
            None => text_of(value),
            Some(other) => panic!("filter {other} not expected in a default template"),
        });
        rest = &after[close + 2..];
    }
    out.push_str(rest);
    out
}

/// Dagster+ tokens, each value JSON-escaped because every token sits inside a JSON string.
fn render_tokens(template: &str, sample: &Value) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find("{{") {
        out.push_str(&rest[..open]);
        let after = &rest[open + 2..];
        let close = after.find("}}").expect("closed token");
        let quoted = Value::String(text_of(lookup(sample, after[..close].trim()))).to_string();
        out.push_str(&quoted[1..quoted.len() - 1]);
        rest = &after[close + 2..];
    }
    out.push_str(rest);
    out
}

#[test]
fn default_templates_render_their_samples() {
    for s in catalog::senders() {
        for e in &s.events {
            let here = format!("{}/{}", s.id, e.id);
            match s.dialect {
                Dialect::Jinja => {
                    let rendered = render_jinja(&e.template, &e.sample);
                    if e.template.trim_start().starts_with('{') {
                        let parsed: Value =
                            serde_json::from_str(&rendered).unwrap_or_else(|err| panic!("{here}: {err}\n{rendered}"));
                        assert_eq!(parsed, e.sample, "{here}: the default template reproduces the sample");
                    } else {
                        let fields: serde_json::Map<String, Value> = rendered
                            .split('&')
                            .map(|kv| kv.split_once('=').expect("key=value"))
                            .map(|(k, v)| (form_decode(k), Value::String(form_decode(v))))
                            .collect();
                        assert_eq!(Value::Object(fields), e.sample, "{here}: the form template reproduces the sample");
                    }
                }
                Dialect::Tokens => {
                    let templates = std::iter::once(&e.template).chain(s.presets.iter().map(|p| &p.template));
                    for t in templates {
                        let rendered = render_tokens(t, &e.sample);
                        let parsed: Result<Value, _> = serde_json::from_str(&rendered);
                        assert!(parsed.is_ok_and(|v| v.is_object()), "{here}: not a JSON object:\n{rendered}");
                    }
                }
                Dialect::Dagu => {
                    let body = serde_json::to_vec(&e.sample).expect("sample bytes");
                    let (out, diagnostics) = dagu::expand(&e.template, &dagu::webhook_payload(&body));
                    assert!(diagnostics.is_empty(), "{here}: {diagnostics:?}");
                    assert!(!out.contains("${WEBHOOK_PAYLOAD"), "{here}: {out}");
                }
                Dialect::Go => {}
            }
        }
    }
}

// ---- per-sender facts -------------------------------------------------------------------------

/// The three payloads of dbt Cloud's webhook documentation, byte order included.
const DBT_REFERENCE: [&str; 3] = [
    r#"{
    "account_id": 123,
    "event_id": "231321foisdjfiods",
    "timestamp": "2022-05-02 12:42:31",
    "event_type": "job.run.started",
    "data": {
       "run_reason": "job_scheduled",
       "job_id": "2",
       "job_name": "test-job",
       "run_id": "109281092812",
       "environment_id": "121221",
       "environment_name": "development",
       "run_started_at": "2022-05-02 10:41:31",
       "webhook_name": "My Account Run Events Webhook",
       "dbt_version": "1.0.0",
       "project_name": "My New Project"
    }
}"#,
    r#"{
    "account_id": 123,
    "event_id": "231321foisdjfiods",
    "timestamp": "2022-05-02 12:42:31",
    "event_type": "job.run.canceled",
    "data": {
       "run_reason": "job_scheduled",
       "job_id": "2",
       "job_name": "test-job",
       "run_id": "109281092812",
       "environment_id": "121221",
       "environment_name": "development",
       "run_started_at": "2022-05-02 10:41:31",
       "run_canceled_at": "2022-05-02 10:42:31",
       "webhook_name": "My Account Run Events Webhook",
       "dbt_version": "1.0.0",
       "project_name": "My New Project"
    }
}"#,
    r#"{
    "account_id": 123,
    "event_id": "231321foisdjfiods",
    "timestamp": "2022-05-02 12:42:31",
    "event_type": "job.run.completed",
    "data": {
       "run_reason": "job_scheduled",
       "job_id": "2",
       "job_name": "test-job",
       "run_id": "109281092812",
       "environment_id": "121221",
       "environment_name": "development",
       "run_started_at": "2022-05-02 10:41:31",
       "run_finished_at": "2022-05-02 10:42:31",
       "run_status": "complete",
       "webhook_name": "My Account Run Events Webhook",
       "dbt_version": "1.0.0",
       "project_name": "My New Project"
    }
}"#,
];

#[test]
fn dbt_samples_are_the_reference_payloads() {
    let s = get("dbt");
    let ids: Vec<_> = s.events.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["job.run.started", "job.run.canceled", "job.run.completed"]);
    for (e, reference) in s.events.iter().zip(DBT_REFERENCE) {
        let want: Value = serde_json::from_str(reference).expect("reference JSON");
        assert_eq!(e.sample, want, "{}", e.id);
        // Same key order too (the body is what gets signed): compare the compact serializations.
        assert_eq!(e.sample.to_string(), want.to_string(), "{}: key order", e.id);
        // The default template renders the reference body back.
        let rendered: Value = serde_json::from_str(&render_jinja(&e.template, &e.sample)).expect("rendered JSON");
        assert_eq!(rendered.to_string(), want.to_string(), "{}: template output order", e.id);
    }
    let completed = s.event("job.run.completed").unwrap();
    let statuses: Vec<_> =
        completed.variants.iter().map(|v| v.sample["data"]["run_status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["Success", "Errored"]);
    for v in &completed.variants {
        assert_eq!(v.sample["event_type"], "job.run.completed");
        assert!(v.note.is_some(), "variants say what goes beyond the reference");
    }
    assert_eq!(s.headers.iter().find(|(k, _)| k == "Content-Type").map(|(_, v)| v.as_str()), Some("application/json"));
}

#[test]
fn hertzbeat_payload_and_decode_tables() {
    let s = get("hertzbeat");
    let reference = json!({
        "id": 76456,
        "target": "available",
        "alertDefineId": 232,
        "priority": 0,
        "content": "监控紧急可用性告警: UN_CONNECTABLE",
        "tag": {"monitorId": 3543534545_i64, "monitorName": "API_poetry.didi.top"},
        "status": 0,
        "times": 1,
        "gmtCreate": "2022-02-25T13:32:13",
        "gmtUpdate": "2022-02-25T13:32:13"
    });
    assert_eq!(s.event("alarm").unwrap().sample, reference);
    let color = |v| s.decode("priority", v).and_then(|d| d.color.as_deref());
    assert_eq!((color(0), color(1), color(2), color(3)), (Some("red"), Some("orange"), Some("yellow"), None));
    assert!(s.decode("priority", 0).unwrap().meaning.contains("critical"));
    assert!(s.decode("priority", 1).unwrap().meaning.contains("critical"));
    assert!(s.decode("priority", 2).unwrap().meaning.contains("warning"));
    let status = |v| s.decode("status", v).map(|d| d.meaning.as_str()).unwrap_or("");
    assert!(status(0).contains("pending") && status(0).contains("processed"));
    assert!(status(1).contains("threshold") && status(1).contains("count"));
    assert_eq!(status(2), "recovered");
    assert_eq!(status(3), "processed");
    assert_eq!(s.decode("status", 4), None);
    assert_eq!(s.scheme, None);
    let recovered = &s.event("alarm_recovered").unwrap().sample;
    assert_eq!(s.decode("status", recovered["status"].as_i64().unwrap()).unwrap().meaning, "recovered");
}

#[test]
fn grafana_groups_have_the_documented_shape() {
    let s = get("grafana");
    for (id, status, state) in [("firing", "firing", "alerting"), ("resolved", "resolved", "ok")] {
        let p = &s.event(id).unwrap().sample;
        assert_eq!(
            (p["status"].as_str(), p["state"].as_str(), p["version"].as_str()),
            (Some(status), Some(state), Some("1"))
        );
        for key in [
            "receiver",
            "orgId",
            "groupLabels",
            "commonLabels",
            "commonAnnotations",
            "externalURL",
            "groupKey",
            "truncatedAlerts",
            "title",
            "message",
        ] {
            assert!(p.get(key).is_some(), "{id}: {key}");
        }
        let alerts = p["alerts"].as_array().unwrap();
        assert!(alerts.len() >= 2, "{id}");
        for a in alerts {
            assert_eq!(a["status"].as_str(), Some(status));
            for key in [
                "labels",
                "annotations",
                "startsAt",
                "endsAt",
                "generatorURL",
                "fingerprint",
                "silenceURL",
                "dashboardURL",
                "panelURL",
                "values",
                "valueString",
            ] {
                assert!(a.get(key).is_some(), "{id}: alert {key}");
            }
        }
        let t = &s.event(id).unwrap().template;
        assert!(
            t.contains(".Vars.environment")
                && t.contains(".Vars.custom_field")
                && t.contains(".CommonLabels.alertname")
        );
    }
    // Every Go token points at a field of the sample (or is a Var).
    let firing = &s.event("firing").unwrap().sample;
    for t in &s.tokens {
        if let Some(path) = &t.path {
            let v = match path.strip_prefix("alerts[].") {
                Some(field) => &firing["alerts"][0][field],
                None => &firing[path.as_str()],
            };
            assert!(!v.is_null(), "{} → {path}", t.name);
        }
    }
    let restricted: Vec<_> = s.restricted_headers.iter().map(|h| h.name.as_str()).collect();
    for name in ["Host", "Content-Length", "Authorization"] {
        assert!(restricted.contains(&name), "{name}");
    }
    assert!(
        s.restricted_headers.iter().filter(|h| h.note.as_deref().is_some_and(|n| n.contains("unsure"))).count() >= 1
    );
    assert_eq!(s.fact("title_template"), Some(&json!("{{ template \"default.title\" . }}")));
    assert_eq!(s.fact("message_template"), Some(&json!("{{ template \"default.message\" . }}")));
}

fn base58_decode(s: &str) -> Option<Vec<u8>> {
    const ALPHABET: &str = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    let mut bytes: Vec<u8> = Vec::new(); // little-endian
    for c in s.chars() {
        let mut carry = ALPHABET.find(c)? as u32;
        for b in bytes.iter_mut() {
            carry += u32::from(*b) * 58;
            *b = (carry & 0xff) as u8;
            carry >>= 8;
        }
        while carry > 0 {
            bytes.push((carry & 0xff) as u8);
            carry >>= 8;
        }
    }
    bytes.reverse();
    Some(bytes)
}

#[test]
fn dagu_trigger_requests() {
    let s = get("dagu");
    let auth = s.headers.iter().find(|(k, _)| k == "Authorization").map(|(_, v)| v.as_str()).unwrap();
    let token = auth.strip_prefix("Bearer dagu_wh_").expect("Bearer dagu_wh_ token");
    assert_eq!(base58_decode(token).map(|b| b.len()), Some(32), "32 random bytes, base58");
    assert_eq!(s.fact("token_format").and_then(|f| f.get("prefix")), Some(&json!("dagu_wh_")));
    // The documentation's own sample token is not valid base58 (it has a 0).
    assert_eq!(base58_decode("7Kq9mXxN3pLwR5tY2vZa8bCdEfGhJk4n6sUwXy0zA1B"), None);
    let ids: Vec<_> = s.events.iter().map(|e| e.id.as_str()).collect();
    for id in ["github_actions", "gitlab_ci", "github_push", "slack_command", "custom", "idempotent_run"] {
        assert!(ids.contains(&id), "{id}");
    }
    let idem = &s.event("idempotent_run").unwrap().sample;
    let payload = dagu::webhook_payload(idem.to_string().as_bytes());
    assert_eq!(payload, idem["payload"]);
}

#[test]
fn event_headers_name_the_event() {
    for e in &get("github").events {
        assert!(e.headers.contains(&("X-GitHub-Event".to_string(), e.id.clone())), "{}", e.id);
    }
    for e in &get("shopify").events {
        assert!(e.headers.contains(&("X-Shopify-Topic".to_string(), e.id.clone())), "{}", e.id);
    }
    for e in &get("stripe").events {
        assert_eq!(e.sample["type"], json!(e.id));
    }
    for e in &get("standard").events {
        assert_eq!(e.sample["type"], json!(e.id));
    }
}

#[test]
fn catalog_json_is_the_whole_catalog() {
    let doc: Value = serde_json::from_str(&catalog::catalog_json()).expect("valid JSON");
    let senders = doc["senders"].as_array().expect("senders");
    assert_eq!(senders.len(), catalog::senders().len());
    for (json, s) in senders.iter().zip(catalog::senders()) {
        assert_eq!(json, &s.to_json());
    }
    let dagster = &senders[1];
    assert_eq!(dagster["id"], "dagster");
    assert_eq!(dagster["scheme"], Value::Null);
    let env = dagster["tokens"].as_array().unwrap().iter().find(|t| t["name"] == "env.NAME").unwrap();
    assert_eq!(env["placeholder"], "NAME");
    assert_eq!(senders[0]["scheme"], "grafana");
    // Tokens carry their resolved events.
    let job_name = dagster["tokens"].as_array().unwrap().iter().find(|t| t["name"] == "job_name").unwrap();
    assert_eq!(job_name["events"], json!(JOB));
    assert_eq!(catalog::catalog_json(), catalog::catalog_json());
}
