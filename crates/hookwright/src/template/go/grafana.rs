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
