{{/* The release's prefix for every object. */}}
{{- define "clarion.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "clarion.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/part-of: clarion
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end -}}

{{/* Selector labels of one service: call with (dict "root" $ "service" "delivery"). */}}
{{- define "clarion.selector" -}}
app.kubernetes.io/name: clarion-{{ .service }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end -}}

{{/* The Secret holding one service's (or the operator's) credentials. */}}
{{- define "clarion.secretName" -}}
{{- $existing := index .root.Values.secrets.existingSecret .service -}}
{{- if $existing -}}{{ $existing }}{{- else -}}{{ include "clarion.fullname" .root }}-{{ .service }}{{- end -}}
{{- end -}}

{{- define "clarion.image" -}}
{{ .root.Values.image.repository }}-{{ .service }}:{{ .root.Values.image.tag | default .root.Chart.AppVersion }}
{{- end -}}

{{/* Where each pod finds its bus identity: one Secret's files, mounted read-only. */}}
{{- define "clarion.busDir" -}}/run/clarion/bus{{- end -}}
