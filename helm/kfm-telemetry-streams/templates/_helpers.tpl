{{/* Chart name. */}}
{{- define "kfm.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Release-qualified name, at most 52 characters so that "-headless" and pod ordinals still fit 63. */}}
{{- define "kfm.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 52 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 52 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 52 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "kfm.headlessName" -}}
{{ include "kfm.fullname" . }}-headless
{{- end }}

{{- define "kfm.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "kfm.selectorLabels" -}}
app.kubernetes.io/name: {{ include "kfm.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "kfm.labels" -}}
helm.sh/chart: {{ include "kfm.chart" . }}
{{ include "kfm.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: kfm
{{- end }}

{{- define "kfm.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "kfm.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "kfm.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end }}

{{/* The topics file: values' override, else the chart's copy of the repository's topics.yaml. */}}
{{- define "kfm.topicsFile" -}}
{{- if .Values.topics.fileOverride }}
{{- .Values.topics.fileOverride }}
{{- else }}
{{- .Files.Get "files/topics.yaml" }}
{{- end }}
{{- end }}

{{/* The service configuration (config/kfm.example.yaml format) as YAML, without secrets. */}}
{{- define "kfm.config" -}}
{{- $bootstrap := required "kafka.bootstrapServers is required: the Kafka bootstrap servers, host:port[,host:port...]" .Values.kafka.bootstrapServers }}
{{- $registry := required "schemaRegistry.url is required: a Confluent-compatible schema registry, http(s)://host:port" .Values.schemaRegistry.url }}
{{- $kafka := dict "bootstrap.servers" $bootstrap
      "security.protocol" .Values.kafka.securityProtocol
      "state.dir" "/var/lib/kfm/state"
      "num.standby.replicas" .Values.kafka.standbyReplicas
      "num.stream.threads" .Values.kafka.streamThreads }}
{{- if .Values.kafka.staticMembership.enabled }}
{{- $_ := set $kafka "session.timeout.ms" .Values.kafka.staticMembership.sessionTimeoutMs }}
{{- end }}
{{- if .Values.kafka.sasl.mechanism }}
{{- $_ := set $kafka "sasl.mechanism" .Values.kafka.sasl.mechanism }}
{{- end }}
{{- with .Values.kafka.tls.truststoreSecret.name }}
{{- $_ := set $kafka "ssl.truststore.location" (printf "/etc/kfm/tls/kafka/%s" $.Values.kafka.tls.truststoreSecret.key) }}
{{- $_ := set $kafka "ssl.truststore.type" $.Values.kafka.tls.truststoreType }}
{{- end }}
{{- with .Values.kafka.tls.keystoreSecret.name }}
{{- $_ := set $kafka "ssl.keystore.location" (printf "/etc/kfm/tls/kafka-client/%s" $.Values.kafka.tls.keystoreSecret.key) }}
{{- $_ := set $kafka "ssl.keystore.type" $.Values.kafka.tls.keystoreType }}
{{- end }}
{{- $kafka = merge (deepCopy .Values.kafka.extraProperties) $kafka }}
{{- $serde := dict "schema.registry.url" $registry }}
{{- if .Values.schemaRegistry.basicAuthSecret.name }}
{{- $_ := set $serde "basic.auth.credentials.source" "USER_INFO" }}
{{- end }}
{{- with .Values.schemaRegistry.tls.truststoreSecret.name }}
{{- $_ := set $serde "schema.registry.ssl.truststore.location" (printf "/etc/kfm/tls/registry/%s" $.Values.schemaRegistry.tls.truststoreSecret.key) }}
{{- $_ := set $serde "schema.registry.ssl.truststore.type" $.Values.schemaRegistry.tls.truststoreType }}
{{- end }}
{{- $serde = merge (deepCopy .Values.schemaRegistry.extraProperties) $serde }}
{{- $validator := deepCopy .Values.config.validator }}
{{- $trusted := list }}
{{- range .Values.trustedKeys.keys }}
{{- $trusted = append $trusted (printf "/etc/kfm/trusted-keys/%s" .) }}
{{- end }}
{{- $_ := set $validator "trusted-keys" $trusted }}
{{- $health := deepCopy .Values.config.health }}
{{- $alerts := get $health "alerts" }}
{{- if and $health.enabled $alerts.enabled }}
{{- $_ := set $alerts "signing-key" (printf "/etc/kfm/keys/%s" .Values.alertSigning.privateKeyKey) }}
{{- if .Values.alertSigning.publicKeyKey }}
{{- $_ := set $alerts "public-key" (printf "/etc/kfm/keys/%s" .Values.alertSigning.publicKeyKey) }}
{{- end }}
{{- end }}
{{- $config := dict "kafka" $kafka "serde" $serde "topics" .Values.config.topics "dedup" .Values.config.dedup
      "validator" $validator "health" $health "http" (dict "port" .Values.httpPort) }}
{{- toYaml $config }}
{{- end }}

{{/* Whether alerts are on (and so the signing key is mounted). */}}
{{- define "kfm.alertsEnabled" -}}
{{- if and .Values.config.health.enabled .Values.config.health.alerts.enabled }}true{{ end }}
{{- end }}

{{/* Environment from Secrets: Kafka SASL/SSL passwords and registry credentials (KFM_* overrides). */}}
{{- define "kfm.secretEnv" -}}
{{- $refs := list
      (list "KFM_KAFKA_SASL_JAAS_CONFIG" .Values.kafka.sasl.jaasConfigSecret)
      (list "KFM_KAFKA_SSL_TRUSTSTORE_PASSWORD" .Values.kafka.tls.truststorePasswordSecret)
      (list "KFM_KAFKA_SSL_KEYSTORE_PASSWORD" .Values.kafka.tls.keystorePasswordSecret)
      (list "KFM_KAFKA_SSL_KEY_PASSWORD" .Values.kafka.tls.keyPasswordSecret)
      (list "KFM_SERDE_BASIC_AUTH_USER_INFO" .Values.schemaRegistry.basicAuthSecret)
      (list "KFM_SERDE_SCHEMA_REGISTRY_SSL_TRUSTSTORE_PASSWORD" .Values.schemaRegistry.tls.truststorePasswordSecret) }}
{{- range $refs }}
{{- $ref := index . 1 }}
{{- if $ref.name }}
- name: {{ index . 0 }}
  valueFrom:
    secretKeyRef:
      name: {{ $ref.name }}
      key: {{ $ref.key }}
{{- end }}
{{- end }}
{{- end }}

{{/* Volumes holding Kafka and registry TLS stores (main pods and the topics Job). */}}
{{- define "kfm.tlsVolumes" -}}
{{- with .Values.kafka.tls.truststoreSecret.name }}
- name: kafka-truststore
  secret:
    secretName: {{ . }}
    items:
      - key: {{ $.Values.kafka.tls.truststoreSecret.key }}
        path: {{ $.Values.kafka.tls.truststoreSecret.key }}
{{- end }}
{{- with .Values.kafka.tls.keystoreSecret.name }}
- name: kafka-keystore
  secret:
    secretName: {{ . }}
    items:
      - key: {{ $.Values.kafka.tls.keystoreSecret.key }}
        path: {{ $.Values.kafka.tls.keystoreSecret.key }}
{{- end }}
{{- with .Values.schemaRegistry.tls.truststoreSecret.name }}
- name: registry-truststore
  secret:
    secretName: {{ . }}
    items:
      - key: {{ $.Values.schemaRegistry.tls.truststoreSecret.key }}
        path: {{ $.Values.schemaRegistry.tls.truststoreSecret.key }}
{{- end }}
{{- end }}

{{- define "kfm.tlsVolumeMounts" -}}
{{- if .Values.kafka.tls.truststoreSecret.name }}
- name: kafka-truststore
  mountPath: /etc/kfm/tls/kafka
  readOnly: true
{{- end }}
{{- if .Values.kafka.tls.keystoreSecret.name }}
- name: kafka-keystore
  mountPath: /etc/kfm/tls/kafka-client
  readOnly: true
{{- end }}
{{- if .Values.schemaRegistry.tls.truststoreSecret.name }}
- name: registry-truststore
  mountPath: /etc/kfm/tls/registry
  readOnly: true
{{- end }}
{{- end }}

{{/* Selector of the Prometheus series of this release (job = the Service's name). */}}
{{- define "kfm.promSelector" -}}
job="{{ include "kfm.fullname" . }}", namespace="{{ .Release.Namespace }}"
{{- end }}
