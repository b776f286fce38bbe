//! What a Grafana webhook contact point sends for an alert group, byte for byte.
//!
//! Input is an alert group in the JSON shape of Grafana's own webhook payload (`receiver`,
//! `status`, `alerts[]`, `groupLabels`, `commonLabels`, `commonAnnotations`, `externalURL`,
//! `groupKey`, …; fields Grafana computes itself — `version`, `truncatedAlerts`, `orgId`,
//! `title`, `state`, `message` — are ignored). [`render_payload`] then does what Grafana's
//! webhook notifier does:
//!
//! 1. **Max Alerts**: keeps the first `max_alerts` alerts and counts the rest
//!    ([`truncate_alerts`]).
//! 2. Builds the template data ([`template_data`]) and adds the Payload Variables as `.Vars`.
//! 3. With a **custom payload**, renders it as a Go template; the body is that text as is.
//!    Without one, renders the Title and Message templates and marshals the default payload
//!    the way Go's `json.Marshal` does (see [`render_payload`] for the exact shape).
//!
//! Diagnostic conventions: an [`Severity::Error`] in [`Rendered::diagnostics`] means Grafana
//! would send nothing (the custom payload failed to render); warnings mean it sends the body
//! shown. Positions of custom-payload diagnostics point into
//! [`ContactPoint::custom_payload`]; those of Title and Message diagnostics point into that
//! template (or into the default `{{ template "default.title" . }}`) and their message says
//! which one.
//!
//! Templates run as Alertmanager runs them (`missingkey=zero`, typed data: see
//! [`render_grafana`]): an absent label prints `""`, an
//! unknown field such as `{{ .Foo }}` is an error, `data.ToJSON` of alerts writes Grafana's
//! JSON field names.
//!
//! Known difference from Grafana: timestamps are strings to templates, so `{{ .StartsAt }}`
//! prints the RFC 3339 text as given where Go prints `time.Time` as
//! `2006-01-02 15:04:05.999999999 -0700 MST` (`data.ToJSON` agrees: both write RFC 3339).

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde_json::{Map, Value};

#[cfg(test)]
use crate::template::go::render_grafana;
use crate::template::go::{EXTENDED_ALERT, EXTENDED_DATA, GrafanaData, Shape, Template, Val, json_float, json_string};
use crate::template::{Diagnostic, Limits, Severity};

mod defaults;

/// The default Title template of a webhook contact point.
pub const DEFAULT_TITLE: &str = r#"{{ template "default.title" . }}"#;
/// The default Message template of a webhook contact point.
pub const DEFAULT_MESSAGE: &str = r#"{{ template "default.message" . }}"#;
/// Go's zero `time.Time` as JSON text: the `endsAt` of a firing alert.
pub const ZERO_TIME: &str = "0001-01-01T00:00:00Z";

/// The settings of a webhook contact point that shape the request body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactPoint {
    /// Title template; `None` or empty means [`DEFAULT_TITLE`] (as Grafana fills in an empty
    /// setting).
    pub title: Option<String>,
    /// Message template; `None` or empty means [`DEFAULT_MESSAGE`].
    pub message: Option<String>,
    /// Max Alerts: most alerts in one request; `0` means no limit.
    pub max_alerts: usize,
    /// Custom Payload template; `None` or empty sends the default payload.
    pub custom_payload: Option<String>,
    /// Payload Variables, seen by templates as `.Vars.<name>`.
    pub vars: BTreeMap<String, String>,
    /// The organization the contact point belongs to (`orgId` of the default payload).
    pub org_id: i64,
}

impl Default for ContactPoint {
    /// Default templates, no limit, no custom payload, no variables, organization 1 (Grafana's
    /// main organization).
    fn default() -> Self {
        ContactPoint {
            title: None,
            message: None,
            max_alerts: 0,
            custom_payload: None,
            vars: BTreeMap::new(),
            org_id: 1,
        }
    }
}

/// The body Grafana would send, with what went wrong on the way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// The request body, exactly (no trailing newline). Empty when an error diagnostic says
    /// the custom payload failed, in which case Grafana sends no request.
    pub body: String,
    /// Errors and warnings from the templates and the output check.
    pub diagnostics: Vec<Diagnostic>,
}

impl Rendered {
    /// Whether Grafana would send a request at all (no error diagnostic).
    pub fn sent(&self) -> bool {
        !self.diagnostics.iter().any(|d| d.severity == Severity::Error)
    }
}

/// Renders the body a webhook contact point sends for `group`.
///
/// **Default payload** (no custom payload): one compact JSON object, fields in Grafana's order
/// `receiver, status, alerts, groupLabels, commonLabels, commonAnnotations, externalURL,
/// version, groupKey, truncatedAlerts, orgId, title, state, message`, where `version` is `"1"`,
/// `state` is `"alerting"` for a firing group and `"ok"` otherwise, and `title` / `message`
/// are the rendered Title and Message. Each alert is
/// `status, labels, annotations, startsAt, endsAt, generatorURL, fingerprint, silenceURL,
/// dashboardURL, panelURL, values, valueString`, then `imageURL`, `embeddedImage` and `orgId`
/// only when the input alert has them. That follows Grafana's `ExtendedAlert` struct: only
/// those last three carry `omitempty`; `dashboardURL` and `panelURL` are always there (`""`
/// when the alert has no dashboard), and `values` is a Go map without `omitempty`, so it is
/// `null` when the alert has no values (missing or `null` in the input) and `{}` when the
/// input says `{}`. Timestamps are copied as given; a missing one is the zero time
/// [`ZERO_TIME`]. Encoding is Go's `encoding/json`: compact, `<` `>` `&` U+2028 U+2029
/// escaped, map keys sorted, floats in Go's format, no trailing newline.
///
/// **Title and Message** that fail to render do not stop the request: Grafana logs a warning
/// and sends what the template wrote before failing (empty for a syntax error). So does this
/// function, turning the engine's error into a warning that names the template.
///
/// **Custom payload**: the body is exactly the rendered text, whatever it is. The engine's
/// diagnostics are passed through; output that is not JSON adds the warning
/// `invalid_json_output` (Grafana sends it anyway); a template that fails to render leaves an
/// error, an empty body and no request (Grafana returns the error and sends nothing).
///
/// ```
/// use hookwright::grafana::{ContactPoint, render_payload};
/// use hookwright::template::Limits;
///
/// let group = serde_json::json!({"receiver": "hook", "status": "resolved", "alerts": []});
/// let cp = ContactPoint {
///     custom_payload: Some(r#"{"status":"{{ .Status }}","env":"{{ .Vars.env }}"}"#.into()),
///     ..ContactPoint::default()
/// };
/// let sent = render_payload(&group, &cp, &Limits::default());
/// assert_eq!(sent.body, r#"{"status":"resolved","env":""}"#);
/// assert!(sent.diagnostics.is_empty());
/// ```
pub fn render_payload(group: &Value, cp: &ContactPoint, limits: &Limits) -> Rendered {
    compile(cp, limits).render(group)
}

/// A template parsed once, or its syntax errors.
type Parsed = Result<Template, Vec<Diagnostic>>;

/// A contact point prepared once by [`compile`]: its Title, Message and custom payload
/// templates parsed, to render many alert groups. [`Compiled::render`] gives exactly what
/// [`render_payload`] gives.
#[derive(Debug, Clone)]
pub struct Compiled {
    title: Parsed,
    message: Parsed,
    /// Whether Title and Message are the defaults, which render without the engine when they
    /// can (see `defaults`).
    default_title: bool,
    default_message: bool,
    /// The custom payload's source and its template, when there is one.
    custom: Option<(String, Parsed)>,
    max_alerts: usize,
    vars: Value,
    org_id: i64,
    limits: Limits,
}

/// Parses a contact point's templates once; see [`render_payload`].
pub fn compile(cp: &ContactPoint, limits: &Limits) -> Compiled {
    let text =
        |source: Option<&str>, default: &str| Template::parse(source.filter(|s| !s.is_empty()).unwrap_or(default));
    let is_default =
        |source: Option<&str>, default: &str| source.filter(|s| !s.is_empty()).is_none_or(|s| s == default);
    Compiled {
        title: text(cp.title.as_deref(), DEFAULT_TITLE),
        message: text(cp.message.as_deref(), DEFAULT_MESSAGE),
        default_title: is_default(cp.title.as_deref(), DEFAULT_TITLE),
        default_message: is_default(cp.message.as_deref(), DEFAULT_MESSAGE),
        custom: cp.custom_payload.as_deref().filter(|p| !p.is_empty()).map(|p| (p.to_string(), Template::parse(p))),
        max_alerts: cp.max_alerts,
        vars: Value::Object(cp.vars.iter().map(|(k, v)| (k.clone(), Value::String(v.clone()))).collect()),
        org_id: cp.org_id,
        limits: *limits,
    }
}

impl Compiled {
    /// The body the contact point sends for `group`.
    pub fn render(&self, group: &Value) -> Rendered {
        self.render_group(&Group::from_json(group))
    }

    /// [`Compiled::render`] of a group already read ([`Group::from_json`]).
    pub fn render_group(&self, group: &Group<'_>) -> Rendered {
        let truncated_group;
        let (group, truncated) = if self.max_alerts != 0 && group.alerts.len() > self.max_alerts {
            let mut g = group.clone();
            let n = g.truncate(self.max_alerts);
            truncated_group = g;
            (&truncated_group, n)
        } else {
            (group, 0)
        };

        if let Some((payload, parsed)) = &self.custom {
            let mut data = group.template_data(truncated);
            if let Some(vars) = data.get_mut("Vars") {
                *vars = self.vars.clone();
            }
            return render_custom(payload, parsed, &data, &self.limits);
        }

        self.render_default(group, truncated, true)
    }

    /// The default payload; `native_message` lets the default Message be written without the
    /// engine (when its limits cannot be reached).
    fn render_default(&self, group: &Group<'_>, truncated: usize, native_message: bool) -> Rendered {
        let mut diagnostics = Vec::new();
        let fits = (self.default_title || self.default_message) && defaults::fits(group, &self.limits);
        let native = |on: bool, render: fn(&Group<'_>) -> String| {
            Some(render(group)).filter(|s| on && fits && s.len() <= self.limits.output)
        };
        let title = native(self.default_title, defaults::title);
        // The default message is written straight into the body, escaped as it goes.
        let message = (native_message && self.default_message && fits).then_some(Message::Default);
        let (title, message) = match (title, message) {
            (Some(title), Some(message)) => (title, message),
            (title, message) => {
                // Built once for both templates, straight into the engine's values.
                let (converted, data) = match template_val(group, truncated, &self.vars) {
                    Some(dot) => (GrafanaData::from_val(dot), Value::Null),
                    None => {
                        let mut data = group.template_data(truncated);
                        if let Some(vars) = data.get_mut("Vars") {
                            *vars = self.vars.clone();
                        }
                        (GrafanaData::new(&data), data)
                    }
                };
                let on = (&converted, &data);
                let title =
                    title.unwrap_or_else(|| render_text("Title", &self.title, on, &self.limits, &mut diagnostics));
                let message = message.unwrap_or_else(|| {
                    Message::Text(render_text("Message", &self.message, on, &self.limits, &mut diagnostics))
                });
                (title, message)
            }
        };
        let body = default_payload(group, truncated, self.org_id, &title, &message);
        // The body holds the message escaped, so is at least as long: only a body over the
        // output limit can hold a message the engine would have stopped at.
        if matches!(message, Message::Default)
            && body.len() > self.limits.output
            && defaults::message_len(group) > self.limits.output
        {
            return self.render_default(group, truncated, false);
        }
        Rendered { body, diagnostics }
    }
}

/// Applies Max Alerts: keeps the first `max_alerts` alerts of `group` (all when `0`) and
/// returns the group with the number of alerts dropped.
///
/// As in Grafana, where truncation happens before the template data is built, a truncated
/// group's `status` and `commonLabels` / `commonAnnotations` are recomputed from the alerts
/// kept (firing when any kept alert fires; labels and annotations every kept alert has with
/// the same value). An untruncated group is returned unchanged.
pub fn truncate_alerts(group: &Value, max_alerts: usize) -> (Value, usize) {
    let alerts = group.get("alerts").and_then(Value::as_array).map_or(&[][..], Vec::as_slice);
    if max_alerts == 0 || alerts.len() <= max_alerts {
        return (group.clone(), 0);
    }
    let kept = &alerts[..max_alerts];
    let mut out = group.clone();
    if let Some(obj) = out.as_object_mut() {
        let firing = kept.iter().any(|a| a.get("status").and_then(Value::as_str) == Some("firing"));
        obj.insert("status".into(), Value::String(if firing { "firing" } else { "resolved" }.into()));
        obj.insert("commonLabels".into(), common(kept, "labels"));
        obj.insert("commonAnnotations".into(), common(kept, "annotations"));
        obj.insert("alerts".into(), Value::Array(kept.to_vec()));
    }
    (out, alerts.len() - max_alerts)
}

/// The key/value pairs every alert has under `field`, with equal values.
fn common(alerts: &[Value], field: &str) -> Value {
    let mut acc = kv(alerts.first().and_then(|a| a.get(field)));
    for a in alerts.iter().skip(1) {
        let other = kv(a.get(field));
        acc.retain(|k, v| other.get(k) == Some(v));
    }
    Value::Object(acc.into_iter().map(|(k, v)| (k, Value::String(v))).collect())
}

/// The data Grafana's templates see (its `ExtendedData`), built from a group in Grafana's
/// JSON shape, already truncated, with `truncated` alerts dropped.
///
/// Keys are the Go field names: `Receiver, Status, Alerts, GroupLabels, CommonLabels,
/// CommonAnnotations, ExternalURL, GroupKey, TruncatedAlerts, Vars`, and for each alert
/// `Status, Labels, Annotations, StartsAt, EndsAt, GeneratorURL, Fingerprint, SilenceURL,
/// DashboardURL, PanelURL, Values, ValueString, ImageURL, EmbeddedImage, OrgID`. Every field
/// is present, as fields of a Go struct are: missing strings are `""`, missing label maps
/// `{}`, a missing timestamp the zero time, a missing alert `OrgID` `null` (a nil pointer).
/// `Values` is an object of floats, so `{{ .Values.A }}` prints like Go's float64 (`1e+06`),
/// or `null` for a nil map (no values in the input). `Vars` is empty here; [`render_payload`]
/// fills it from [`ContactPoint::vars`]. Render it with
/// [`render_grafana`], which types it as Go does.
pub fn template_data(group: &Value, truncated: usize) -> Value {
    Group::from_json(group).template_data(truncated)
}

/// An alert group as a contact point reads it: the fields of Grafana's JSON shape that the
/// templates and the default payload use, read once. Strings are as [`template_data`] reads
/// them (missing or `null` is `""`, another scalar its JSON text), timestamps are
/// [`ZERO_TIME`] when missing or empty, label maps are sorted with non-string values as text.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct Group<'a> {
    /// `receiver`.
    pub receiver: Cow<'a, str>,
    /// `status`.
    pub status: Cow<'a, str>,
    /// `alerts`.
    pub alerts: Vec<Alert<'a>>,
    /// `groupLabels`.
    pub group_labels: Labels<'a>,
    /// `commonLabels`.
    pub common_labels: Labels<'a>,
    /// `commonAnnotations`.
    pub common_annotations: Labels<'a>,
    /// `externalURL`.
    pub external_url: Cow<'a, str>,
    /// `groupKey`.
    pub group_key: Cow<'a, str>,
}

/// One alert of a [`Group`], read the same way.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Alert<'a> {
    /// `status`.
    pub status: Cow<'a, str>,
    /// `labels`.
    pub labels: Labels<'a>,
    /// `annotations`.
    pub annotations: Labels<'a>,
    /// `startsAt`.
    pub starts_at: Cow<'a, str>,
    /// `endsAt`.
    pub ends_at: Cow<'a, str>,
    /// `generatorURL`.
    pub generator_url: Cow<'a, str>,
    /// `fingerprint`.
    pub fingerprint: Cow<'a, str>,
    /// `silenceURL`.
    pub silence_url: Cow<'a, str>,
    /// `dashboardURL`.
    pub dashboard_url: Cow<'a, str>,
    /// `panelURL`.
    pub panel_url: Cow<'a, str>,
    /// `values`, Go's `map[string]float64`: `None` is a nil map (missing or `null`); entries that are not
    /// numbers read as 0.
    pub values: Option<BTreeMap<Cow<'a, str>, f64>>,
    /// `valueString`.
    pub value_string: Cow<'a, str>,
    /// `imageURL`.
    pub image_url: Cow<'a, str>,
    /// `embeddedImage`.
    pub embedded_image: Cow<'a, str>,
    /// `orgId`; a nil pointer when `None` (missing, or not an integer).
    pub org_id: Option<i64>,
}

impl Default for Alert<'_> {
    /// An alert with no fields: empty strings and maps, zero timestamps, nil values.
    fn default() -> Self {
        Alert {
            status: Cow::Borrowed(""),
            labels: Labels::default(),
            annotations: Labels::default(),
            starts_at: Cow::Borrowed(ZERO_TIME),
            ends_at: Cow::Borrowed(ZERO_TIME),
            generator_url: Cow::Borrowed(""),
            fingerprint: Cow::Borrowed(""),
            silence_url: Cow::Borrowed(""),
            dashboard_url: Cow::Borrowed(""),
            panel_url: Cow::Borrowed(""),
            values: None,
            value_string: Cow::Borrowed(""),
            image_url: Cow::Borrowed(""),
            embedded_image: Cow::Borrowed(""),
            org_id: None,
        }
    }
}

impl<'a> Group<'a> {
    /// Reads a group in Grafana's JSON shape (anything else reads as an empty group).
    pub fn from_json(group: &'a Value) -> Group<'a> {
        let alerts = group.get("alerts").and_then(Value::as_array).map_or(&[][..], Vec::as_slice);
        Group {
            receiver: text_ref(group.get("receiver")),
            status: text_ref(group.get("status")),
            alerts: alerts.iter().map(Alert::from_json).collect(),
            group_labels: kv_ref(group.get("groupLabels")),
            common_labels: kv_ref(group.get("commonLabels")),
            common_annotations: kv_ref(group.get("commonAnnotations")),
            external_url: text_ref(group.get("externalURL")),
            group_key: text_ref(group.get("groupKey")),
        }
    }

    /// Applies Max Alerts as [`truncate_alerts`] does; returns the number of alerts dropped.
    pub fn truncate(&mut self, max_alerts: usize) -> usize {
        if max_alerts == 0 || self.alerts.len() <= max_alerts {
            return 0;
        }
        let dropped = self.alerts.len() - max_alerts;
        self.alerts.truncate(max_alerts);
        let firing = self.alerts.iter().any(|a| a.status == "firing");
        self.status = Cow::Borrowed(if firing { "firing" } else { "resolved" });
        self.common_labels = common_kv(&self.alerts, |a| &a.labels);
        self.common_annotations = common_kv(&self.alerts, |a| &a.annotations);
        dropped
    }

    /// [`template_data`] of this group.
    pub fn template_data(&self, truncated: usize) -> Value {
        let mut m = Map::new();
        m.insert("Receiver".into(), self.receiver.to_string().into());
        m.insert("Status".into(), self.status.to_string().into());
        m.insert("Alerts".into(), Value::Array(self.alerts.iter().map(Alert::template_data).collect()));
        m.insert("GroupLabels".into(), kv_value(&self.group_labels));
        m.insert("CommonLabels".into(), kv_value(&self.common_labels));
        m.insert("CommonAnnotations".into(), kv_value(&self.common_annotations));
        m.insert("ExternalURL".into(), self.external_url.to_string().into());
        m.insert("GroupKey".into(), self.group_key.to_string().into());
        m.insert("TruncatedAlerts".into(), Value::from(truncated as u64));
        m.insert("Vars".into(), Value::Object(Map::new()));
        Value::Object(m)
    }
}

impl<'a> Alert<'a> {
    /// Reads one alert in Grafana's JSON shape.
    pub fn from_json(a: &'a Value) -> Alert<'a> {
        Alert {
            status: text_ref(a.get("status")),
            labels: kv_ref(a.get("labels")),
            annotations: kv_ref(a.get("annotations")),
            starts_at: time_ref(a.get("startsAt")),
            ends_at: time_ref(a.get("endsAt")),
            generator_url: text_ref(a.get("generatorURL")),
            fingerprint: text_ref(a.get("fingerprint")),
            silence_url: text_ref(a.get("silenceURL")),
            dashboard_url: text_ref(a.get("dashboardURL")),
            panel_url: text_ref(a.get("panelURL")),
            values: values_ref(a.get("values")),
            value_string: text_ref(a.get("valueString")),
            image_url: text_ref(a.get("imageURL")),
            embedded_image: text_ref(a.get("embeddedImage")),
            org_id: a.get("orgId").and_then(Value::as_i64),
        }
    }

    fn template_data(&self) -> Value {
        let values = self.values.as_ref().map_or(Value::Null, |v| {
            Value::Object(
                v.iter()
                    .map(|(k, f)| (k.to_string(), serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number)))
                    .collect(),
            )
        });
        let mut m = Map::new();
        m.insert("Status".into(), self.status.to_string().into());
        m.insert("Labels".into(), kv_value(&self.labels));
        m.insert("Annotations".into(), kv_value(&self.annotations));
        m.insert("StartsAt".into(), self.starts_at.to_string().into());
        m.insert("EndsAt".into(), self.ends_at.to_string().into());
        m.insert("GeneratorURL".into(), self.generator_url.to_string().into());
        m.insert("Fingerprint".into(), self.fingerprint.to_string().into());
        m.insert("SilenceURL".into(), self.silence_url.to_string().into());
        m.insert("DashboardURL".into(), self.dashboard_url.to_string().into());
        m.insert("PanelURL".into(), self.panel_url.to_string().into());
        m.insert("Values".into(), values);
        m.insert("ValueString".into(), self.value_string.to_string().into());
        m.insert("ImageURL".into(), self.image_url.to_string().into());
        m.insert("EmbeddedImage".into(), self.embedded_image.to_string().into());
        m.insert("OrgID".into(), self.org_id.map_or(Value::Null, Value::from));
        Value::Object(m)
    }
}

/// The key/value pairs every alert has in `field`, with equal values.
fn common_kv<'a>(alerts: &[Alert<'a>], field: for<'r> fn(&'r Alert<'a>) -> &'r Labels<'a>) -> Labels<'a> {
    let mut acc = alerts.first().map(|a| field(a).clone()).unwrap_or_default();
    for a in alerts.iter().skip(1) {
        let other = field(a);
        acc.0.retain(|(k, v)| other.get(k) == Some(v.as_ref()));
    }
    acc
}

/// [`template_data`] with `vars` as `Vars`, converted and typed as the engine sees it
/// (`GrafanaData::new` of it), built without JSON values in between.
fn template_val(group: &Group<'_>, truncated: usize, vars: &Value) -> Option<Val> {
    let str = |s: &str| Val::str(s);
    let alerts = group.alerts.iter().map(alert_val).collect::<Option<Vec<_>>>()?;
    let mut m = BTreeMap::new();
    m.insert("Receiver".to_string(), str(&group.receiver));
    m.insert("Status".to_string(), str(&group.status));
    m.insert("Alerts".to_string(), Val::list(alerts).ok()?);
    m.insert("GroupLabels".to_string(), kv_val(group.group_labels.iter())?);
    m.insert("CommonLabels".to_string(), kv_val(group.common_labels.iter())?);
    m.insert("CommonAnnotations".to_string(), kv_val(group.common_annotations.iter())?);
    m.insert("ExternalURL".to_string(), str(&group.external_url));
    m.insert("GroupKey".to_string(), str(&group.group_key));
    m.insert("TruncatedAlerts".to_string(), Val::Int(i64::try_from(truncated).ok()?));
    m.insert("Vars".to_string(), kv_val(kv(Some(vars)).iter().map(|(k, v)| (k.as_str(), v.as_str())))?);
    Some(Val::dict(m).ok()?.shaped(Shape::Struct(&EXTENDED_DATA)))
}

fn alert_val(a: &Alert<'_>) -> Option<Val> {
    let str = |s: &str| Val::str(s);
    let values = match &a.values {
        Some(v) => {
            let mut map = BTreeMap::new();
            for (k, f) in v.iter() {
                map.insert(k.to_string(), if f.is_finite() { Val::Float(*f) } else { Val::Null });
            }
            Val::dict(map).ok()?.shaped(Shape::Floats { nil: false })
        }
        None => Val::dict(BTreeMap::new()).ok()?.shaped(Shape::Floats { nil: true }),
    };
    let mut m = BTreeMap::new();
    m.insert("Status".to_string(), str(&a.status));
    m.insert("Labels".to_string(), kv_val(a.labels.iter())?);
    m.insert("Annotations".to_string(), kv_val(a.annotations.iter())?);
    m.insert("StartsAt".to_string(), str(&a.starts_at));
    m.insert("EndsAt".to_string(), str(&a.ends_at));
    m.insert("GeneratorURL".to_string(), str(&a.generator_url));
    m.insert("Fingerprint".to_string(), str(&a.fingerprint));
    m.insert("SilenceURL".to_string(), str(&a.silence_url));
    m.insert("DashboardURL".to_string(), str(&a.dashboard_url));
    m.insert("PanelURL".to_string(), str(&a.panel_url));
    m.insert("Values".to_string(), values);
    m.insert("ValueString".to_string(), str(&a.value_string));
    m.insert("ImageURL".to_string(), str(&a.image_url));
    m.insert("EmbeddedImage".to_string(), str(&a.embedded_image));
    m.insert("OrgID".to_string(), a.org_id.map_or(Val::Null, Val::Int));
    Some(Val::dict(m).ok()?.shaped(Shape::Struct(&EXTENDED_ALERT)))
}

/// A label map as the engine's `KV`.
fn kv_val<'m>(pairs: impl Iterator<Item = (&'m str, &'m str)>) -> Option<Val> {
    let mut map = BTreeMap::new();
    for (k, v) in pairs {
        map.insert(k.to_string(), Val::str(v));
    }
    Some(Val::dict(map).ok()?.shaped(Shape::Strings))
}

// ---- reading the input ---------------------------------------------------------------------

/// A string field; a missing or `null` one is `""`, other scalars their JSON text.
fn text(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

/// A label map (Go's `KV`, `map[string]string`), sorted; non-string values become text.
///
/// Maps here are filled by `insert` rather than `collect`: each `collect` into a `BTreeMap`
/// brings its own copy of the stable sort (about 4 KB of wasm).
fn kv(v: Option<&Value>) -> BTreeMap<String, String> {
    let mut map = BTreeMap::new();
    if let Some(Value::Object(o)) = v {
        for (k, v) in o {
            map.insert(k.clone(), text(Some(v)));
        }
    }
    map
}

fn kv_value(map: &Labels<'_>) -> Value {
    Value::Object(map.iter().map(|(k, v)| (k.to_string(), Value::String(v.to_string()))).collect())
}

/// A label map of a [`Group`] (Go's `KV`): pairs sorted by key, each key once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Labels<'a>(Vec<(Cow<'a, str>, Cow<'a, str>)>);

impl<'a> Labels<'a> {
    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.binary_search_by(|(k, _)| k.as_ref().cmp(key)).ok().map(|i| self.0[i].1.as_ref())
    }

    /// The pairs, sorted by key.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_ref(), v.as_ref()))
    }

    /// How many pairs there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<'a> FromIterator<(Cow<'a, str>, Cow<'a, str>)> for Labels<'a> {
    /// Sorts the pairs by key; of pairs with the same key the last one stays, as in a map.
    fn from_iter<I: IntoIterator<Item = (Cow<'a, str>, Cow<'a, str>)>>(pairs: I) -> Self {
        let mut pairs: Vec<_> = pairs.into_iter().collect();
        // Stable, so equal keys keep their order; then the last of each run wins.
        pairs.sort_by(|a, b| a.0.cmp(&b.0));
        let mut out: Vec<(Cow<'a, str>, Cow<'a, str>)> = Vec::with_capacity(pairs.len());
        for pair in pairs {
            match out.last_mut() {
                Some(last) if last.0 == pair.0 => *last = pair,
                _ => out.push(pair),
            }
        }
        Labels(out)
    }
}

/// [`text`], borrowing what it can.
fn text_ref(v: Option<&Value>) -> Cow<'_, str> {
    match v {
        Some(Value::String(s)) => Cow::Borrowed(s),
        other => Cow::Owned(text(other)),
    }
}

/// A timestamp field: as given, or Go's zero time when missing.
fn time_ref(v: Option<&Value>) -> Cow<'_, str> {
    match v {
        Some(Value::String(s)) if !s.is_empty() => Cow::Borrowed(s),
        _ => Cow::Borrowed(ZERO_TIME),
    }
}

/// [`kv`], borrowing what it can.
fn kv_ref(v: Option<&Value>) -> Labels<'_> {
    match v {
        Some(Value::Object(o)) => o.iter().map(|(k, v)| (Cow::Borrowed(k.as_str()), text_ref(Some(v)))).collect(),
        _ => Labels::default(),
    }
}

/// An alert's values (Go's `map[string]float64`): `None` for a nil map (missing or `null`).
/// Entries that are not numbers read as 0, as Go leaves a float64 it cannot decode into.
fn values_ref(v: Option<&Value>) -> Option<BTreeMap<Cow<'_, str>, f64>> {
    let Some(Value::Object(o)) = v else { return None };
    let mut map = BTreeMap::new();
    for (k, v) in o {
        map.insert(Cow::Borrowed(k.as_str()), v.as_f64().unwrap_or(0.0));
    }
    Some(map)
}

// ---- templates -----------------------------------------------------------------------------

/// Renders a Title or Message template; failures become warnings and the partial output is
/// used, as Grafana does.
fn render_text(
    which: &str,
    parsed: &Parsed,
    (converted, data): (&GrafanaData, &Value),
    limits: &Limits,
    diagnostics: &mut Vec<Diagnostic>,
) -> String {
    let (out, diags) = match parsed {
        Ok(t) => t.render_grafana_data(converted, data, limits),
        Err(d) => (String::new(), d.clone()),
    };
    for mut d in diags {
        if d.severity == Severity::Error {
            d.severity = Severity::Warning;
            d.message = format!("{which} template failed, Grafana sends what it wrote before the error: {}", d.message);
        } else {
            d.message = format!("{which} template: {}", d.message);
        }
        diagnostics.push(d);
    }
    out
}

fn render_custom(payload: &str, parsed: &Parsed, data: &Value, limits: &Limits) -> Rendered {
    let (out, mut diagnostics) = match parsed {
        Ok(t) => t.render_grafana(data, limits),
        Err(d) => (String::new(), d.clone()),
    };
    if diagnostics.iter().any(|d| d.severity == Severity::Error) {
        return Rendered { body: String::new(), diagnostics };
    }
    if crate::template::validate_json(&out).is_err()
        && let Err(e) = serde_json::from_str::<Value>(&out)
    {
        diagnostics.push(invalid_json(payload, &out, &e));
    }
    Rendered { body: out, diagnostics }
}

/// The `invalid_json_output` warning, placed in the template where the output's error is when
/// that can be told: the output line appears once in the template as literal text, or the
/// template has as many lines as the output (actions inside lines) and the text before the
/// error on that line is literal. Otherwise line 1, column 1.
fn invalid_json(template: &str, output: &str, e: &serde_json::Error) -> Diagnostic {
    let message = format!("the rendered payload is not valid JSON ({e}); Grafana sends it anyway");
    let warn = |start: usize, end: usize| {
        Diagnostic::at(Severity::Warning, "invalid_json_output", message.clone(), template, start, end)
    };
    let out_lines: Vec<&str> = output.split('\n').collect();
    let line = e.line().saturating_sub(1);
    let Some(out_line) = out_lines.get(line) else { return warn(0, 0) };
    // serde_json counts columns in bytes; 0 when the error is at the end of a line.
    let col = e.column().saturating_sub(1).min(out_line.len());
    let tpl_lines: Vec<(usize, &str)> = line_starts(template);
    let same = tpl_lines.iter().filter(|(_, l)| *l == *out_line).collect::<Vec<_>>();
    if let [(start, l)] = same.as_slice() {
        let at = start + col.min(l.len());
        return warn(at, start + l.len());
    }
    if tpl_lines.len() == out_lines.len()
        && let Some((start, l)) = tpl_lines.get(line)
    {
        if l.len() >= col && l.is_char_boundary(col) && out_line.is_char_boundary(col) && l[..col] == out_line[..col] {
            return warn(start + col, start + l.len());
        }
        return warn(*start, start + l.len());
    }
    warn(0, 0)
}

/// Each line of `s` with the byte offset where it starts.
fn line_starts(s: &str) -> Vec<(usize, &str)> {
    let mut at = 0;
    s.split('\n')
        .map(|l| {
            let r = (at, l);
            at += l.len() + 1;
            r
        })
        .collect()
}

// ---- the default payload, encoded as Go's json.Marshal -------------------------------------

/// The Message of the default payload.
enum Message {
    /// Rendered by the engine.
    Text(String),
    /// Grafana's default, written by `defaults::message_json`.
    Default,
}

fn default_payload(group: &Group<'_>, truncated: usize, org_id: i64, title: &str, message: &Message) -> String {
    let mut out = String::with_capacity(1024 + title.len() + 2048 * group.alerts.len());
    // Field names are plain ASCII: written with their quotes, commas and colons as literals.
    let o = &mut out;
    o.push_str("{\"receiver\":");
    json_string(o, &group.receiver);
    o.push_str(",\"status\":");
    json_string(o, &group.status);
    o.push_str(",\"alerts\":[");
    for (i, a) in group.alerts.iter().enumerate() {
        if i > 0 {
            o.push(',');
        }
        write_alert(o, a);
    }
    o.push_str("],\"groupLabels\":");
    write_kv(o, &group.group_labels);
    o.push_str(",\"commonLabels\":");
    write_kv(o, &group.common_labels);
    o.push_str(",\"commonAnnotations\":");
    write_kv(o, &group.common_annotations);
    o.push_str(",\"externalURL\":");
    json_string(o, &group.external_url);
    o.push_str(",\"version\":\"1\",\"groupKey\":");
    json_string(o, &group.group_key);
    o.push_str(",\"truncatedAlerts\":");
    o.push_str(&truncated.to_string());
    o.push_str(",\"orgId\":");
    o.push_str(&org_id.to_string());
    o.push_str(",\"title\":");
    json_string(o, title);
    o.push_str(if group.status == "firing" { ",\"state\":\"alerting\"" } else { ",\"state\":\"ok\"" });
    o.push_str(",\"message\":");
    match message {
        Message::Text(text) => json_string(o, text),
        Message::Default => {
            o.push('"');
            defaults::message_json(o, group);
            o.push('"');
        }
    }
    o.push('}');
    out
}

fn write_alert(o: &mut String, a: &Alert<'_>) {
    o.push_str("{\"status\":");
    json_string(o, &a.status);
    o.push_str(",\"labels\":");
    write_kv(o, &a.labels);
    o.push_str(",\"annotations\":");
    write_kv(o, &a.annotations);
    for (key, value) in [
        (",\"startsAt\":", &a.starts_at),
        (",\"endsAt\":", &a.ends_at),
        (",\"generatorURL\":", &a.generator_url),
        (",\"fingerprint\":", &a.fingerprint),
        (",\"silenceURL\":", &a.silence_url),
        (",\"dashboardURL\":", &a.dashboard_url),
        (",\"panelURL\":", &a.panel_url),
    ] {
        o.push_str(key);
        json_string(o, value);
    }
    o.push_str(",\"values\":");
    match &a.values {
        None => o.push_str("null"),
        // Values come from JSON numbers, which are always finite.
        Some(map) => write_object(o, map.iter().map(|(k, f)| (k.as_ref(), *f)), |o, f| {
            o.push_str(&json_float(f).unwrap_or_else(|_| "0".into()));
        }),
    }
    o.push_str(",\"valueString\":");
    json_string(o, &a.value_string);
    if !a.image_url.is_empty() {
        o.push_str(",\"imageURL\":");
        json_string(o, &a.image_url);
    }
    if !a.embedded_image.is_empty() {
        o.push_str(",\"embeddedImage\":");
        json_string(o, &a.embedded_image);
    }
    if let Some(id) = a.org_id {
        o.push_str(",\"orgId\":");
        o.push_str(&id.to_string());
    }
    o.push('}');
}

/// A label map as a JSON object, keys sorted.
fn write_kv(o: &mut String, map: &Labels<'_>) {
    write_object(o, map.iter(), json_string);
}

/// A JSON object of `pairs` in their order, each value written by `value`.
fn write_object<'k, V>(o: &mut String, pairs: impl Iterator<Item = (&'k str, V)>, value: impl Fn(&mut String, V)) {
    o.push('{');
    for (i, (k, v)) in pairs.enumerate() {
        if i > 0 {
            o.push(',');
        }
        json_string(o, k);
        o.push(':');
        value(o, v);
    }
    o.push('}');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The groups of the catalog's Grafana events and of `tests/grafana_fixtures`.
    pub(crate) fn sample_groups() -> Vec<Value> {
        let mut groups: Vec<Value> = crate::catalog::sender("grafana")
            .map(|s| s.events.iter().map(|e| e.sample.clone()).collect())
            .unwrap_or_default();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/grafana_fixtures");
        for entry in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            if let Ok(v) = serde_json::from_str::<Value>(&text) {
                groups.push(v.get("group").cloned().unwrap_or(v));
            }
        }
        groups
    }

    /// The template data built straight into engine values is what converting
    /// [`template_data`] gives, for every group of the catalog and of the fixtures, and odd ones.
    #[test]
    fn template_values_match_the_json_route() {
        let mut groups = sample_groups();
        groups.push(json!({"status": 3, "alerts": [{"values": {"A": 1, "B": "x", "C": 1.5e300}, "orgId": 2, "labels": {"n": 1}}, {"values": null}], "groupLabels": []}));
        groups.push(json!(null));
        groups.push(json!({"alerts": "no"}));
        assert!(groups.len() > 5);
        let vars = json!({"a": "1", "b": "<"});
        for group in &groups {
            for truncated in [0, 3] {
                let mut data = template_data(group, truncated);
                data["Vars"] = vars.clone();
                let direct =
                    template_val(&Group::from_json(group), truncated, &vars).map(GrafanaData::from_val).unwrap();
                assert_eq!(direct.debug(), GrafanaData::new(&data).debug(), "{group}");
            }
        }
    }

    #[test]
    fn labels_sort_and_keep_the_last_of_a_key() {
        let l: Labels = [("b", "1"), ("a", "2"), ("b", "3"), ("c", "4")]
            .into_iter()
            .map(|(k, v)| (Cow::Borrowed(k), Cow::Borrowed(v)))
            .collect();
        assert_eq!(l.iter().collect::<Vec<_>>(), [("a", "2"), ("b", "3"), ("c", "4")]);
        assert_eq!((l.get("b"), l.get("z"), l.len()), (Some("3"), None, 3));
    }

    #[test]
    fn truncation_recomputes_common_labels_and_status() {
        let g = json!({"status": "firing", "commonLabels": {"a": "1"}, "alerts": [
            {"status": "resolved", "labels": {"a": "1", "b": "x"}},
            {"status": "firing", "labels": {"a": "1", "b": "y"}},
        ]});
        let (t, n) = truncate_alerts(&g, 1);
        assert_eq!(n, 1);
        assert_eq!(t["status"], "resolved");
        assert_eq!(t["commonLabels"], json!({"a": "1", "b": "x"}));
        assert_eq!(truncate_alerts(&g, 0), (g.clone(), 0));
        assert_eq!(truncate_alerts(&g, 2), (g, 0));
    }

    #[test]
    fn values_nil_empty_and_floats() {
        let mut s = String::new();
        write_alert(&mut s, &Alert::from_json(&json!({"values": {"b": 1e21, "a": 1}})));
        assert!(s.contains(r#""values":{"a":1,"b":1e+21}"#), "{s}");
        s.clear();
        write_alert(&mut s, &Alert::from_json(&json!({"values": {}})));
        assert!(s.contains(r#""values":{}"#), "{s}");
        s.clear();
        write_alert(&mut s, &Alert::from_json(&json!({})));
        assert!(s.contains(r#""values":null"#), "{s}");
        assert!(s.contains(r#""endsAt":"0001-01-01T00:00:00Z""#), "{s}");
        assert!(!s.contains("orgId") && !s.contains("imageURL"), "{s}");
    }

    #[test]
    fn template_data_floats_print_like_go() {
        let d = template_data(&json!({"alerts": [{"values": {"A": 1000000}}]}), 0);
        let (out, _) = render_grafana("{{ range .Alerts }}{{ .Values.A }}{{ end }}", &d, &Limits::default());
        assert_eq!(out, "1e+06");
    }

    #[test]
    fn empty_settings_mean_defaults() {
        let g = json!({"status": "firing", "alerts": []});
        let a = render_payload(&g, &ContactPoint::default(), &Limits::default());
        let cp = ContactPoint {
            title: Some(String::new()),
            message: Some(String::new()),
            custom_payload: Some(String::new()),
            ..ContactPoint::default()
        };
        assert_eq!(a, render_payload(&g, &cp, &Limits::default()));
    }
}
