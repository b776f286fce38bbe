//! Grafana's always-available named templates, written for this engine from Grafana's
//! documented output: `default.title`, `default.message` and `webhook.default.payload`.
//!
//! They rely on the Alertmanager methods the executor provides on data (`.Alerts.Firing`,
//! `.Labels.SortedPairs`, `.GroupLabels.Names`, `.CommonLabels.Remove …`).

/// Source of the built-in templates (only `define`s).
pub(crate) const SOURCE: &str = r#"
{{- define "__hw_subject" -}}
{{- /* Missing pieces of data count as empty rather than failing. */ -}}
{{ $none := coll.Slice }}{{ $empty := coll.Dict -}}
[{{ toUpper .Status }}
{{- if eq .Status "firing" }}:{{ len (or .Alerts.Firing $none) }}
  {{- $resolved := len (or .Alerts.Resolved $none) }}{{ if gt $resolved 0 }}, RESOLVED:{{ $resolved }}{{ end }}
{{- end }}] {{ join " " .GroupLabels.SortedPairs.Values }} {{ if gt (len (or .CommonLabels $empty)) (len (or .GroupLabels $empty)) -}}
({{ with .CommonLabels.Remove .GroupLabels.Names }}{{ join " " .Values }}{{ end }})
{{- end }}
{{- end }}

{{- define "__hw_alert_list" }}{{ range . }}
Labels:
{{ range .Labels.SortedPairs }} - {{ .Name }} = {{ .Value }}
{{ end }}Annotations:
{{ range .Annotations.SortedPairs }} - {{ .Name }} = {{ .Value }}
{{ end }}{{ with .GeneratorURL }}Source: {{ . }}
{{ end }}{{ with .SilenceURL }}Silence: {{ . }}
{{ end }}{{ with .DashboardURL }}Dashboard: {{ . }}
{{ end }}{{ with .PanelURL }}Panel: {{ . }}
{{ end }}{{ end }}{{ end }}

{{- define "default.title" }}{{ template "__hw_subject" . }}{{ end }}

{{- define "default.message" -}}
{{ $firing := .Alerts.Firing }}{{ $resolved := .Alerts.Resolved -}}
{{ if $firing }}**Firing**
{{ template "__hw_alert_list" $firing }}{{ if $resolved }}

{{ end }}{{ end }}{{ if $resolved }}**Resolved**
{{ template "__hw_alert_list" $resolved }}{{ end }}
{{- end }}

{{- define "webhook.default.payload" -}}
{{ $alerts := coll.Slice -}}
{{ range .Alerts -}}
{{ $alerts = coll.Append (coll.Dict
    "status" .Status
    "labels" .Labels
    "annotations" .Annotations
    "startsAt" .StartsAt
    "endsAt" .EndsAt
    "generatorURL" .GeneratorURL
    "fingerprint" .Fingerprint
    "silenceURL" .SilenceURL
    "dashboardURL" .DashboardURL
    "panelURL" .PanelURL
    "values" (index . "Values")
    "valueString" .ValueString) $alerts -}}
{{ end -}}
{{ $state := "ok" }}{{ if eq .Status "firing" }}{{ $state = "alerting" }}{{ end -}}
{{ coll.Dict
    "receiver" .Receiver
    "status" .Status
    "alerts" $alerts
    "groupLabels" .GroupLabels
    "commonLabels" .CommonLabels
    "commonAnnotations" .CommonAnnotations
    "externalURL" .ExternalURL
    "version" "1"
    "groupKey" .GroupKey
    "truncatedAlerts" .TruncatedAlerts
    "title" (tmpl.Exec "default.title" .)
    "state" $state
    "message" (tmpl.Exec "default.message" .)
  | data.ToJSON }}
{{- end }}
"#;

use super::value::{Field, Omit, Shape, StructDef, Val};

const fn field(name: &'static str, json: &'static str) -> Field {
    Field { name, json: Some(json), omit: Omit::Never }
}

const fn omitempty(name: &'static str, json: &'static str) -> Field {
    Field { name, json: Some(json), omit: Omit::Empty }
}

/// `omitempty` on a pointer field: left out only when nil.
const fn omit_nil(name: &'static str, json: &'static str) -> Field {
    Field { name, json: Some(json), omit: Omit::Nil }
}

/// Grafana's `ExtendedData` (the dot of every notification template): Go field names with
/// their JSON tags, in declaration order. `Vars` is `json:"-"`.
pub(crate) static EXTENDED_DATA: StructDef = StructDef {
    go_type: "*templates.ExtendedData",
    fields: &[
        field("Receiver", "receiver"),
        field("Status", "status"),
        field("Alerts", "alerts"),
        field("GroupLabels", "groupLabels"),
        field("CommonLabels", "commonLabels"),
        field("CommonAnnotations", "commonAnnotations"),
        field("ExternalURL", "externalURL"),
        field("GroupKey", "groupKey"),
        omit_nil("TruncatedAlerts", "truncatedAlerts"),
        Field { name: "Vars", json: None, omit: Omit::Never },
    ],
};

/// Grafana's `ExtendedAlert` (each of `.Alerts`).
pub(crate) static EXTENDED_ALERT: StructDef = StructDef {
    go_type: "templates.ExtendedAlert",
    fields: &[
        field("Status", "status"),
        field("Labels", "labels"),
        field("Annotations", "annotations"),
        field("StartsAt", "startsAt"),
        field("EndsAt", "endsAt"),
        field("GeneratorURL", "generatorURL"),
        field("Fingerprint", "fingerprint"),
        field("SilenceURL", "silenceURL"),
        field("DashboardURL", "dashboardURL"),
        field("PanelURL", "panelURL"),
        field("Values", "values"),
        field("ValueString", "valueString"),
        omitempty("ImageURL", "imageURL"),
        omitempty("EmbeddedImage", "embeddedImage"),
        omit_nil("OrgID", "orgId"),
    ],
};

/// Types template data built as Grafana's `ExtendedData` (Go field names as keys): the data
/// and each alert become structs, label maps `KV`, `Values` a `map[string]float64` (`null` is
/// a nil map). The pointers `TruncatedAlerts` and an alert's `OrgID` are left out of JSON
/// only when `null` (nil); a pointer to 0 is written.
pub(crate) fn shape_extended_data(data: Val) -> Val {
    let Val::Map(d) = data else { return data };
    let mut map = d.map.clone();
    for key in ["GroupLabels", "CommonLabels", "CommonAnnotations", "Vars"] {
        if let Some(v) = map.remove(key) {
            map.insert(key.to_string(), v.shaped(Shape::Strings));
        }
    }
    if let Some(Val::Arr(alerts)) = map.get("Alerts") {
        let items = alerts.items.iter().cloned().map(shape_alert).collect();
        if let Ok(list) = Val::list(items) {
            map.insert("Alerts".to_string(), list);
        }
    }
    // Same keys and depth as the data, so rebuilding cannot fail; if it did, keep the data.
    Val::dict(map).unwrap_or(Val::Map(d)).shaped(Shape::Struct(&EXTENDED_DATA))
}

fn shape_alert(alert: Val) -> Val {
    let Val::Map(d) = alert else { return alert };
    let mut map = d.map.clone();
    for key in ["Labels", "Annotations"] {
        if let Some(v) = map.remove(key) {
            map.insert(key.to_string(), v.shaped(Shape::Strings));
        }
    }
    let values = match map.remove("Values") {
        Some(v @ Val::Map(_)) => v.shaped(Shape::Floats { nil: false }),
        _ => Val::dict(Default::default()).map_or(Val::Null, |v| v.shaped(Shape::Floats { nil: true })),
    };
    map.insert("Values".to_string(), values);
    Val::dict(map).unwrap_or(Val::Map(d)).shaped(Shape::Struct(&EXTENDED_ALERT))
}
