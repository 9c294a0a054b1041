{{/* Chart name, overridable. */}}
{{- define "maas-security-operator.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name: release-chart, or the release name when it already contains the chart name. */}}
{{- define "maas-security-operator.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "maas-security-operator.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "maas-security-operator.labels" -}}
helm.sh/chart: {{ include "maas-security-operator.chart" . }}
{{ include "maas-security-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/component: operator
{{- end }}

{{- define "maas-security-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "maas-security-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "maas-security-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "maas-security-operator.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The leader-election Lease: one per release, in the release namespace. */}}
{{- define "maas-security-operator.leaseName" -}}
{{- include "maas-security-operator.fullname" . }}
{{- end }}

{{- define "maas-security-operator.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) }}
{{- end }}

{{/*
The rules the operator needs on the namespaces it watches (a ClusterRole when it watches all of
them). VaultIntegrations are cluster-scoped and have their own ClusterRole (rbac.yaml). Checked
against what the operator really calls by ChartRbacCoverageTest.
*/}}
{{- define "maas-security-operator.watchRules" -}}
- apiGroups: ["security.maasops.io"]
  resources: ["maasregions", "rolebindings"]
  verbs: ["get", "list", "watch", "patch", "update"]
- apiGroups: ["security.maasops.io"]
  resources: ["maasregions/status", "rolebindings/status"]
  verbs: ["get", "patch", "update"]
- apiGroups: ["security.maasops.io"]
  resources: ["maasregions/finalizers", "rolebindings/finalizers"]
  verbs: ["update"]
# Secrets are read by name when a resource refers to them; never listed or watched, so the
# operator cannot enumerate the Secrets of a namespace.
- apiGroups: [""]
  resources: ["secrets"]
  verbs: {{ if .Values.secretWatch.enabled }}["get", "list", "watch"]{{ else }}["get"]{{ end }}
# kube.EventRecorder creates core/v1 Events, and patches its own when one repeats (count, lastTimestamp)
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create", "patch"]
{{- end }}
