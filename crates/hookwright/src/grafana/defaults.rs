//! Grafana's default Title and Message, written out in Rust: what the engine gives running
//! `default.title` and `default.message` (see `template::go::grafana::SOURCE`) on a [`Group`],
//! without building the engine's values. Used only when the engine provably could not fail
//! (see [`fits`]); a test renders both ways over many groups.

use super::{Alert, Group, Labels};
use crate::template::Limits;
use crate::template::go::json_string_content;

/// Whether the engine runs both default templates on `group` within `limits`: template calls
/// nest three deep, and [`step_bound`] steps are enough. Output size is checked by the caller
/// on the text produced.
pub(super) fn fits(group: &Group<'_>, limits: &Limits) -> bool {
    limits.depth >= 4 && step_bound(group) <= limits.steps
}

/// More steps than the engine charges for `default.title` plus `default.message` on `group`
/// (each template counted as if it ran alone; a test checks the bound holds).
pub(super) fn step_bound(group: &Group<'_>) -> u64 {
    let kv = |m: &Labels<'_>| 8 + 16 * m.len() as u64;
    let mut steps = 400 + kv(&group.group_labels) * 4 + kv(&group.common_labels) * 4;
    for a in &group.alerts {
        steps += 200 + 2 * (kv(&a.labels) + kv(&a.annotations));
    }
    steps
}

/// Keys in Alertmanager's `SortedPairs` order: `alertname` first, then the others sorted.
fn sorted<'m>(map: &'m Labels<'_>) -> impl Iterator<Item = (&'m str, &'m str)> {
    let first = map.get("alertname").map(|v| ("alertname", v));
    first.into_iter().chain(map.iter().filter(|(k, _)| *k != "alertname"))
}

fn join_values<'m>(out: &mut String, pairs: impl Iterator<Item = (&'m str, &'m str)>) {
    for (i, (_, v)) in pairs.enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(v);
    }
}

/// `default.title`: `[FIRING:2, RESOLVED:1] groupLabel values (other common label values)`.
pub(super) fn title(group: &Group<'_>) -> String {
    let mut out = String::with_capacity(64);
    out.push('[');
    // `toUpper`; ASCII upper-cases the same way without Unicode's tables.
    if group.status.is_ascii() {
        out.push_str(&group.status.to_ascii_uppercase());
    } else {
        out.push_str(&group.status.to_uppercase());
    }
    if group.status == "firing" {
        let firing = group.alerts.iter().filter(|a| a.status == "firing").count();
        let resolved = group.alerts.iter().filter(|a| a.status == "resolved").count();
        out.push(':');
        out.push_str(&firing.to_string());
        if resolved > 0 {
            out.push_str(", RESOLVED:");
            out.push_str(&resolved.to_string());
        }
    }
    out.push_str("] ");
    join_values(&mut out, sorted(&group.group_labels));
    out.push(' ');
    if group.common_labels.len() > group.group_labels.len() {
        out.push('(');
        let rest = sorted(&group.common_labels).filter(|(k, _)| group.group_labels.get(k).is_none());
        join_values(&mut out, rest);
        out.push(')');
    }
    out
}

/// `default.message`: the firing alerts, then the resolved ones, each with its labels,
/// annotations and links.
#[cfg(test)]
pub(super) fn message(group: &Group<'_>) -> String {
    let mut out = Plain(String::new());
    message_into(&mut out, group);
    out.0
}

/// The length in bytes of [`message`].
pub(super) fn message_len(group: &Group<'_>) -> usize {
    let mut len = Len(0);
    message_into(&mut len, group);
    len.0
}

/// [`message`] as JSON string content, written straight into `out` (escaped as the default
/// payload escapes the message: see `json_string`).
pub(super) fn message_json(out: &mut String, group: &Group<'_>) {
    message_into(&mut Escaped(out), group);
}

/// Where [`message_into`] writes: values, and literal text given also as JSON string content.
trait Sink {
    fn push(&mut self, s: &str);
    fn lit(&mut self, text: &str, json: &str);
}

#[cfg(test)]
struct Plain(String);

#[cfg(test)]
impl Sink for Plain {
    fn push(&mut self, s: &str) {
        self.0.push_str(s);
    }
    fn lit(&mut self, text: &str, _: &str) {
        self.0.push_str(text);
    }
}

struct Len(usize);

impl Sink for Len {
    fn push(&mut self, s: &str) {
        self.0 += s.len();
    }
    fn lit(&mut self, text: &str, _: &str) {
        self.0 += text.len();
    }
}

struct Escaped<'a>(&'a mut String);

impl Sink for Escaped<'_> {
    fn push(&mut self, s: &str) {
        json_string_content(self.0, s);
    }
    fn lit(&mut self, _: &str, json: &str) {
        self.0.push_str(json);
    }
}

fn message_into(out: &mut impl Sink, group: &Group<'_>) {
    let firing = || group.alerts.iter().filter(|a| a.status == "firing");
    let resolved = || group.alerts.iter().filter(|a| a.status == "resolved");
    let (any_firing, any_resolved) = (firing().next().is_some(), resolved().next().is_some());
    if any_firing {
        out.lit("**Firing**\n", "**Firing**\\n");
        firing().for_each(|a| alert(out, a));
        if any_resolved {
            out.lit("\n\n", "\\n\\n");
        }
    }
    if any_resolved {
        out.lit("**Resolved**\n", "**Resolved**\\n");
        resolved().for_each(|a| alert(out, a));
    }
}

/// One alert of `__hw_alert_list`.
fn alert(out: &mut impl Sink, a: &Alert<'_>) {
    out.lit("\nLabels:\n", "\\nLabels:\\n");
    pairs(out, &a.labels);
    out.lit("Annotations:\n", "Annotations:\\n");
    pairs(out, &a.annotations);
    for (label, value) in [
        ("Source: ", &a.generator_url),
        ("Silence: ", &a.silence_url),
        ("Dashboard: ", &a.dashboard_url),
        ("Panel: ", &a.panel_url),
    ] {
        if !value.is_empty() {
            out.lit(label, label);
            out.push(value);
            out.lit("\n", "\\n");
        }
    }
}

fn pairs(out: &mut impl Sink, map: &Labels<'_>) {
    for (k, v) in sorted(map) {
        out.lit(" - ", " - ");
        out.push(k);
        out.lit(" = ", " = ");
        out.push(v);
        out.lit("\n", "\\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grafana::{ContactPoint, compile};
    use serde_json::{Value, json};

    /// Groups of every shape the templates branch on, from a fixed pseudo-random sequence.
    fn groups() -> Vec<Value> {
        let mut groups = crate::grafana::tests::sample_groups();
        groups.extend([json!(null), json!({}), json!({"status": 3, "alerts": "no", "groupLabels": []})]);
        let seed = std::cell::Cell::new(0x2545_f491_4f6c_dd1du64);
        let next = |n: usize| {
            let mut x = seed.get();
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            seed.set(x);
            (x % n as u64) as usize
        };
        let statuses = ["firing", "resolved", "firing", "pending", "", "ßtraße", "Firing"];
        let keys = ["alertname", "a", "b", "zeta", "Ä", "grafana_folder", "host", "__x"];
        let values = ["HighCPU", "", "web 1", "\"q\" <&>", "é😀", "x\ny", "1"];
        for _ in 0..300 {
            let labels = |n: usize| {
                let mut m = serde_json::Map::new();
                for _ in 0..next(n + 1) {
                    m.insert(keys[next(keys.len())].into(), values[next(values.len())].into());
                }
                Value::Object(m)
            };
            let alerts: Vec<Value> = (0..next(6))
                .map(|_| {
                    let url = |on: bool| if on { "https://g.example/x?a=1&b=2" } else { "" };
                    json!({
                        "status": statuses[next(statuses.len())],
                        "labels": labels(6),
                        "annotations": labels(3),
                        "generatorURL": url(next(2) == 0),
                        "silenceURL": url(next(2) == 0),
                        "dashboardURL": url(next(2) == 0),
                        "panelURL": url(next(2) == 0),
                    })
                })
                .collect();
            groups.push(json!({
                "status": statuses[next(statuses.len())],
                "alerts": alerts,
                "groupLabels": labels(3),
                "commonLabels": labels(5),
            }));
        }
        groups
    }

    #[test]
    fn defaults_render_as_the_engine_does() {
        let limits = Limits::default();
        let mut engine = compile(&ContactPoint::default(), &limits);
        engine.default_title = false;
        engine.default_message = false;
        let native = compile(&ContactPoint::default(), &limits);
        let groups = groups();
        assert!(groups.len() > 300);
        for g in &groups {
            let group = Group::from_json(g);
            assert!(fits(&group, &limits));
            assert_eq!(message_len(&group), message(&group).len());
            assert_eq!(native.render(g), engine.render(g), "{g}");
            // The step bound holds: the engine renders both templates within it.
            let tight = Limits { steps: step_bound(&group), ..limits };
            let mut engine = compile(&ContactPoint::default(), &tight);
            engine.default_title = false;
            engine.default_message = false;
            assert_eq!(engine.render(g).diagnostics, [], "{g}");
        }
    }

    #[test]
    fn limits_leave_it_to_the_engine() {
        let g = json!({"status": "firing", "alerts": [{"status": "firing", "labels": {"a": "x".repeat(300)}}]});
        for limits in [
            Limits { steps: 10, ..Limits::default() },
            Limits { output: 8, ..Limits::default() },
            // The title fits, the message does not (the body is longer than both).
            Limits { output: 200, ..Limits::default() },
            Limits { depth: 1, ..Limits::default() },
        ] {
            let mut engine = compile(&ContactPoint::default(), &limits);
            engine.default_title = false;
            engine.default_message = false;
            let got = compile(&ContactPoint::default(), &limits).render(&g);
            assert!(!got.diagnostics.is_empty());
            assert_eq!(got, engine.render(&g));
        }
    }
}
