using KtpFleet.Operator.Crd;

namespace KtpFleet.Operator.Resources;

/// <summary>One OCR pipeline: a queue, the tenants routed to it, and the workers that drain it.</summary>
[KubernetesEntity(Group, Version, "KtpOcrPipeline", "ktpocrpipelines", ShortNames = ["ktpp"], Categories = ["ktpfleet"])]
[Doc("KtpOcrPipeline runs KTP OCR workers for a RabbitMQ queue and keeps their scale, model and tenant policy right.")]
[PrinterColumn("Mode", "string", ".spec.autoscaling.mode")]
[PrinterColumn("Desired", "integer", ".status.desiredReplicas")]
[PrinterColumn("Ready", "integer", ".status.readyReplicas")]
[PrinterColumn("Queue", "integer", ".status.queueDepth", Description = "ready + unacked messages")]
[PrinterColumn("Model", "string", ".status.activeModelVersion")]
[PrinterColumn("Status", "string", ".status.conditions[?(@.type==\"Ready\")].reason", Priority = 1)]
[PrinterColumn("Age", "date", ".metadata.creationTimestamp")]
public sealed class KtpOcrPipeline
{
    public const string Group = "ocr.ktpfleet.io";
    public const string Version = "v1alpha1";
    public const string ApiVersionString = Group + "/" + Version;
    public const string KindName = "KtpOcrPipeline";

    public string ApiVersion { get; set; } = ApiVersionString;
    public string Kind { get; set; } = KindName;
    public ObjectMeta Metadata { get; set; } = new();
    public required PipelineSpec Spec { get; set; }
    public PipelineStatus? Status { get; set; }
}

public sealed class PipelineSpec
{
    [Doc("The RabbitMQ queue this pipeline drains.")]
    public required QueueSpec Queue { get; set; }

    [Doc("Tenants routed to this queue, with their verdict thresholds and limits.")]
    [ListMap("id")]
    // Bounded so the API server's CEL cost estimate (rules run per tenant) stays within its budget.
    [Bounds(MinItems = 1, MaxItems = 256)]
    public required List<TenantSpec> Tenants { get; set; }

    public required WorkerSpec Worker { get; set; }

    public required ModelSpec Model { get; set; }

    public AutoscalingSpec Autoscaling { get; set; } = new();

    [Doc("When true the operator stops changing the pipeline's objects (status is still reported).")]
    public bool Paused { get; set; }
}

public sealed class QueueSpec
{
    [Doc("Queue name.")]
    [Bounds(MinLength = 1, MaxLength = 200, Pattern = "^[A-Za-z0-9._:-]+$")]
    public required string Name { get; set; }

    [Doc("Exchange the ingest API publishes to; each tenant is bound with routing key tenant.<id>.")]
    [Bounds(MinLength = 1, MaxLength = 200, Pattern = "^[A-Za-z0-9._:-]+$")]
    public string Exchange { get; set; } = "ktp.jobs";

    [Doc("RabbitMQ virtual host.")]
    [Bounds(MinLength = 1, MaxLength = 200)]
    public string Vhost { get; set; } = "/";

    [Doc("Secret with the workers' AMQP URI (key uri) and the management API URL with credentials (key managementUri, for KEDA).")]
    [Bounds(MinLength = 1, MaxLength = 253)]
    public string ConnectionSecret { get; set; } = "ktp-rabbitmq";

    [Doc("On delete, how long to wait for the queue to drain before removing it anyway.")]
    [Bounds(Minimum = 0, Maximum = 86400)]
    public int DrainGraceSeconds { get; set; } = 300;
}

public sealed class TenantSpec : IHasCelRules<TenantSpec>
{
    [Doc("Tenant id; its jobs are routed with key tenant.<id>.")]
    [Bounds(MinLength = 1, MaxLength = 63, Pattern = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    public required string Id { get; set; }

    [Doc("A field at or above this confidence is auto-accepted unless overridden in fieldConfidence.")]
    [Bounds(Minimum = 0, Maximum = 1)]
    public double AutoAcceptConfidence { get; set; } = 0.90;

    [Doc("Per-field overrides of autoAcceptConfidence, keyed by result field name (nik, nama, ...).")]
    [Bounds(MaxProperties = 19)]
    public Dictionary<string, double>? FieldConfidence { get; set; }

    [Doc("Fields that must be present and confident for an accepted verdict; all fields when omitted.")]
    [AllowedValues(KtpFields.Nik, KtpFields.Nama, KtpFields.TempatLahir, KtpFields.TanggalLahir, KtpFields.JenisKelamin,
        KtpFields.GolonganDarah, KtpFields.Alamat, KtpFields.RtRw, KtpFields.KelDesa, KtpFields.Kecamatan, KtpFields.Agama,
        KtpFields.StatusPerkawinan, KtpFields.Pekerjaan, KtpFields.Kewarganegaraan, KtpFields.BerlakuHingga,
        KtpFields.Provinsi, KtpFields.KabupatenKota, KtpFields.TempatTerbit, KtpFields.TanggalTerbit)]
    [Bounds(MaxItems = 19)]
    public List<string>? RequiredFields { get; set; }

    [Doc("When true, any failed cross-check (NIK vs printed values) routes the card to review.")]
    public bool FailedCheckForcesReview { get; set; } = true;

    public UploadLimits Upload { get; set; } = new();

    public RateLimit RateLimit { get; set; } = new();

    public static IReadOnlyList<CelRule<TenantSpec>> Rules { get; } =
    [
        new("!has(self.fieldConfidence) || self.fieldConfidence.all(f, f in " + KtpFields.CelList + ")",
            "fieldConfidence keys must be result field names",
            t => t.FieldConfidence is null || t.FieldConfidence.Keys.All(KtpFields.All.Contains)),
        new("!has(self.fieldConfidence) || self.fieldConfidence.all(f, self.fieldConfidence[f] >= 0.0 && self.fieldConfidence[f] <= 1.0)",
            "fieldConfidence values must be between 0 and 1",
            t => t.FieldConfidence is null || t.FieldConfidence.Values.All(v => v is >= 0 and <= 1)),
    ];
}

public sealed class UploadLimits
{
    [Doc("Largest accepted upload in bytes.")]
    [Bounds(Minimum = 1024, Maximum = 52428800)]
    public int MaxBytes { get; set; } = 10485760;
}

public sealed class RateLimit
{
    [Doc("Sustained requests per second for the tenant.")]
    [Bounds(Minimum = 1, Maximum = 100000)]
    public int RequestsPerSecond { get; set; } = 20;

    [Doc("Burst above the sustained rate.")]
    [Bounds(Minimum = 1, Maximum = 100000)]
    public int Burst { get; set; } = 40;
}

public sealed class WorkerSpec
{
    [Doc("Worker container image.")]
    [Bounds(MinLength = 1, MaxLength = 512)]
    public required string Image { get; set; }

    [Doc("Tesseract engines per pod (the pool size; prefetch follows it).")]
    [Bounds(Minimum = 1, Maximum = 16)]
    public int EnginesPerPod { get; set; } = 2;

    public ResourceRequirements? Resources { get; set; }

    [Doc("Extra environment variables for the worker container.")]
    [ListMap("name")]
    [Bounds(MaxItems = 64)]
    public List<EnvVar>? Env { get; set; }

    [Doc("PersistentVolumeClaim (ReadWriteMany) holding the ingest API's image segments (KTP_IMAGE_STORE=segments:): mounted read-only and read from. Unset: workers read images by their reference from PostgreSQL only.")]
    [Bounds(MaxLength = 253, Pattern = "^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")]
    public string? ImageSegmentsClaim { get; set; }

    [Doc("Seconds a worker gets to finish in-flight jobs after SIGTERM.")]
    [Bounds(Minimum = 5, Maximum = 3600)]
    public int TerminationGracePeriodSeconds { get; set; } = 60;
}

public sealed class ResourceRequirements
{
    [Doc("Resource requests, e.g. cpu: \"500m\", memory: \"512Mi\".")]
    public Dictionary<string, string>? Requests { get; set; }

    [Doc("Resource limits.")]
    public Dictionary<string, string>? Limits { get; set; }
}

public sealed class EnvVar
{
    [Bounds(MinLength = 1, MaxLength = 128, Pattern = "^[A-Za-z_][A-Za-z0-9_]*$")]
    public required string Name { get; set; }
    [Bounds(MaxLength = 4096)]
    public string Value { get; set; } = "";
}

public sealed class ModelSpec
{
    [Doc("tessdata model set version, e.g. 4.1.0 or 4.1.0-fast. Changing it rolls the workers.")]
    [Bounds(MaxLength = 40, Pattern = "^[0-9]+\\.[0-9]+\\.[0-9]+(-[a-z0-9]+)?$")]
    public required string TessdataVersion { get; set; }

    public required ModelSource Source { get; set; }
}

public sealed class ModelSource : IHasCelRules<ModelSource>
{
    [Doc("Image holding the model sets under /tessdata/<version>; copied into the pod by an init container.")]
    [Bounds(MinLength = 1, MaxLength = 512)]
    public string? Image { get; set; }

    [Doc("PersistentVolumeClaim holding the model sets under <version>/; mounted read-only.")]
    [Bounds(MaxLength = 253, Pattern = "^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")]
    public string? PersistentVolumeClaim { get; set; }

    public static IReadOnlyList<CelRule<ModelSource>> Rules { get; } =
    [
        new("has(self.image) != has(self.persistentVolumeClaim)",
            "exactly one of image or persistentVolumeClaim must be set",
            s => s.Image is null != (s.PersistentVolumeClaim is null)),
    ];
}

public enum ScalingMode
{
    Keda,
    Builtin,
    Manual,
}

public sealed class AutoscalingSpec : IHasCelRules<AutoscalingSpec>
{
    [Doc("Keda: an owned ScaledObject scales the workers. Builtin: the operator scales from queue depth. Manual: replicas.")]
    public ScalingMode Mode { get; set; } = ScalingMode.Builtin;

    [Bounds(Minimum = 0, Maximum = 1000)]
    public int MinReplicas { get; set; } = 1;

    [Bounds(Minimum = 1, Maximum = 1000)]
    public int MaxReplicas { get; set; } = 10;

    [Doc("Target ready + unacked messages per worker pod.")]
    [Bounds(Minimum = 1, Maximum = 100000)]
    public int MessagesPerReplica { get; set; } = 20;

    [Doc("Queue depth above which the pipeline scales up from zero (and at or below which it may scale to zero).")]
    [Bounds(Minimum = 0, Maximum = 100000)]
    public int ActivationMessages { get; set; }

    [Doc("Scale-down uses the highest recommendation of this window.")]
    [Bounds(Minimum = 0, Maximum = 3600)]
    public int ScaleDownStabilizationSeconds { get; set; } = 300;

    [Doc("How often queue depth is read.")]
    [Bounds(Minimum = 1, Maximum = 3600)]
    public int PollingIntervalSeconds { get; set; } = 15;

    [Doc("Replicas for Manual mode.")]
    [Bounds(Minimum = 0, Maximum = 1000)]
    public int? Replicas { get; set; }

    public static IReadOnlyList<CelRule<AutoscalingSpec>> Rules { get; } =
    [
        new("self.minReplicas <= self.maxReplicas", "minReplicas must not exceed maxReplicas",
            a => a.MinReplicas <= a.MaxReplicas),
        new("self.mode != 'Manual' || has(self.replicas)", "replicas is required when mode is Manual",
            a => a.Mode != ScalingMode.Manual || a.Replicas is not null),
    ];
}

public sealed class PipelineStatus
{
    public long? ObservedGeneration { get; set; }

    [ListMap("type")]
    public List<Condition>? Conditions { get; set; }

    [Doc("Pods of the worker Deployment.")]
    public int? Replicas { get; set; }
    public int? ReadyReplicas { get; set; }
    [Doc("Replicas the operator (or KEDA) wants.")]
    public int? DesiredReplicas { get; set; }
    [Doc("Ready + unacked messages in the queue at the last reading.")]
    public long? QueueDepth { get; set; }
    public DateTimeOffset? LastScaleTime { get; set; }
    [Doc("tessdata version all workers run; during a rollout, the old one until the rollout completes.")]
    public string? ActiveModelVersion { get; set; }
    [Doc("During a rollout: old → new.")]
    public string? ModelRollout { get; set; }
    [Doc("Label selector of the worker pods (scale subresource).")]
    public string? Selector { get; set; }
}
