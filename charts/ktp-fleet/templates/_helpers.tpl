{{- define "ktp.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}{{ .Release.Name | trunc 63 | trimSuffix "-" }}{{- else -}}{{ printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" }}{{- end -}}
{{- end -}}

{{- define "ktp.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
app.kubernetes.io/part-of: ktp-fleet
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* ktp.selector (dict "ctx" . "component" "ingest-api") */}}
{{- define "ktp.selector" -}}
app.kubernetes.io/name: {{ .component }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
{{- end -}}

{{/* ktp.image (dict "ctx" . "image" .Values.ingest.image) -> registry/repository:tag */}}
{{- define "ktp.image" -}}
{{- printf "%s/%s:%s" .ctx.Values.image.registry .image.repository (default .ctx.Chart.AppVersion .image.tag) -}}
{{- end -}}

{{- define "ktp.pullSecrets" -}}
{{- with .Values.image.pullSecrets }}
imagePullSecrets:
{{- range . }}
  - name: {{ . }}
{{- end }}
{{- end }}
{{- end -}}

{{/* Connection settings shared by the API and the migrations Job: all from existing Secrets. */}}
{{- define "ktp.connectionEnv" -}}
- name: KTP_POSTGRES
  valueFrom:
    secretKeyRef: {name: {{ .Values.connections.postgres.existingSecret }}, key: {{ .Values.connections.postgres.connectionStringKey }}}
- name: KTP_AMQP
  valueFrom:
    secretKeyRef: {name: {{ .Values.connections.rabbitmq.existingSecret }}, key: {{ .Values.connections.rabbitmq.uriKey }}}
- name: KTP_REDIS
  valueFrom:
    secretKeyRef: {name: {{ .Values.connections.redis.existingSecret }}, key: {{ .Values.connections.redis.endpointKey }}}
- name: KTP_LOG_LEVEL
  value: {{ .Values.logLevel | quote }}
{{- end -}}

{{- define "ktp.restrictedSecurity" -}}
runAsNonRoot: true
readOnlyRootFilesystem: true
allowPrivilegeEscalation: false
capabilities: {drop: [ALL]}
seccompProfile: {type: RuntimeDefault}
{{- end -}}
