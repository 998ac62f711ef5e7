using System.Text.Json;
using System.Text.Json.Nodes;
using KtpFleet.Operator.Resources;

namespace KtpFleet.Operator.Desired;

/// <summary>
/// The objects a pipeline should own, as server-side-apply configurations: only the fields the operator has an
/// opinion on, so fields other managers own (KEDA's replicas, a user's annotations) are left alone.
/// </summary>
public static class DesiredObjects
{
    public static JsonObject OwnerReference(KtpOcrPipeline p) => new()
    {
        ["apiVersion"] = KtpOcrPipeline.ApiVersionString,
        ["kind"] = KtpOcrPipeline.KindName,
        ["name"] = p.Metadata.Name,
        ["uid"] = p.Metadata.Uid ?? throw new InvalidOperationException("the pipeline has no uid yet"),
        ["controller"] = true,
        ["blockOwnerDeletion"] = true,
    };

    private static JsonObject Metadata(KtpOcrPipeline p, string name) => new()
    {
        ["name"] = name,
        ["namespace"] = p.Metadata.Namespace,
        ["labels"] = ToJson(PipelineNames.Labels(p)),
        ["ownerReferences"] = new JsonArray(OwnerReference(p)),
    };

    /// <summary>
    /// The worker Deployment. <paramref name="replicas"/> is null in Keda mode so that the apply does not own
    /// spec.replicas and fight KEDA's HPA over it.
    /// </summary>
    /// <summary>
    /// The worker names its work queue <c>&lt;exchange&gt;.&lt;pipeline&gt;</c> (worker/KtpFleet.Fleet/Messaging/Topology.cs):
    /// the pipeline is the queue name without the exchange prefix, so both sides mean the same queue.
    /// </summary>
    public static string WorkerPipeline(QueueSpec queue) =>
        queue.Name.StartsWith(queue.Exchange + ".", StringComparison.Ordinal) ? queue.Name[(queue.Exchange.Length + 1)..] : queue.Name;

    public static JsonObject WorkerDeployment(KtpOcrPipeline p, int? replicas)
    {
        var spec = p.Spec;
        var version = spec.Model.TessdataVersion;
        // The names the worker reads (worker/KtpFleet.Fleet/FleetSettings.cs, worker/KtpFleet.Worker).
        var env = new JsonArray
        {
            Env("OMP_THREAD_LIMIT", "1"),
            Env("KTP_ENGINES", spec.Worker.EnginesPerPod.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            Env("KTP_PIPELINE", WorkerPipeline(spec.Queue)),
            Env("KTP_TESSDATA", PipelineNames.TessdataMountPath),
            Env("KTP_TESSDATA_VERSION", version),
            Env("KTP_TENANT_POLICY_FILE", $"{PipelineNames.PolicyMountPath}/{PipelineNames.PolicyFile}"),
            new JsonObject
            {
                ["name"] = "KTP_AMQP",
                ["valueFrom"] = new JsonObject
                {
                    ["secretKeyRef"] = new JsonObject { ["name"] = spec.Queue.ConnectionSecret, ["key"] = "uri" },
                },
            },
        };
        if (spec.Worker.ImageSegmentsClaim is not null) env.Add(Env("KTP_IMAGE_STORE", $"segments:{PipelineNames.ImageSegmentsMountPath}"));
        // What the operator sets is not for the user to override (OMP_THREAD_LIMIT above all: 7-8x slower without it).
        var owned = env.Select(e => (string?)e!["name"]).ToHashSet();
        foreach (var e in spec.Worker.Env ?? [])
            if (!owned.Contains(e.Name)) env.Add(Env(e.Name, e.Value));

        var container = new JsonObject
        {
            ["name"] = "worker",
            ["image"] = spec.Worker.Image,
            ["env"] = env,
            ["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["containerPort"] = 8080, ["protocol"] = "TCP" }),
            ["readinessProbe"] = Probe("/readyz", period: 5, failures: 3),
            ["livenessProbe"] = Probe("/healthz", period: 10, failures: 6),
            ["startupProbe"] = Probe("/healthz", period: 5, failures: 60),
            ["volumeMounts"] = new JsonArray(
                new JsonObject { ["name"] = "tenant-policy", ["mountPath"] = PipelineNames.PolicyMountPath, ["readOnly"] = true },
                TessdataMount(spec.Model)),
        };
        if (spec.Worker.ImageSegmentsClaim is not null)
            container["volumeMounts"]!.AsArray().Add(new JsonObject { ["name"] = "image-segments", ["mountPath"] = PipelineNames.ImageSegmentsMountPath, ["readOnly"] = true });
        if (spec.Worker.Resources is { } r)
        {
            var res = new JsonObject();
            if (r.Requests is not null) res["requests"] = ToJson(r.Requests);
            if (r.Limits is not null) res["limits"] = ToJson(r.Limits);
            container["resources"] = res;
        }

        var podSpec = new JsonObject
        {
            ["terminationGracePeriodSeconds"] = spec.Worker.TerminationGracePeriodSeconds,
            ["containers"] = new JsonArray(container),
            ["volumes"] = new JsonArray(
                // A ConfigMap volume (not subPath, not env) so a tenant threshold change reaches running pods without a restart.
                new JsonObject
                {
                    ["name"] = "tenant-policy",
                    ["configMap"] = new JsonObject { ["name"] = PipelineNames.TenantPolicy(p) },
                },
                TessdataVolume(spec.Model)),
        };
        // Read-only: workers only read what the API appended (a reference names segment, offset and length).
        if (spec.Worker.ImageSegmentsClaim is { } claim)
            podSpec["volumes"]!.AsArray().Add(new JsonObject
            {
                ["name"] = "image-segments",
                ["persistentVolumeClaim"] = new JsonObject { ["claimName"] = claim, ["readOnly"] = true },
            });
        if (spec.Model.Source.Image is { } modelImage)
        {
            podSpec["initContainers"] = new JsonArray(new JsonObject
            {
                ["name"] = "tessdata",
                ["image"] = modelImage,
                ["command"] = new JsonArray("sh", "-c",
                    // Every set the image holds: the worker also reads doubted values with a second model when it is there.
                    $"cp -R /tessdata/. {PipelineNames.TessdataMountPath}/ && test -s {PipelineNames.TessdataMountPath}/{version}/ind.traineddata"),
                ["volumeMounts"] = new JsonArray(new JsonObject { ["name"] = "tessdata", ["mountPath"] = PipelineNames.TessdataMountPath }),
            });
        }

        var deploymentSpec = new JsonObject();
        if (replicas is { } n) deploymentSpec["replicas"] = n;
        deploymentSpec["selector"] = new JsonObject { ["matchLabels"] = ToJson(PipelineNames.SelectorLabels(p)) };
        deploymentSpec["strategy"] = new JsonObject
        {
            ["type"] = "RollingUpdate",
            ["rollingUpdate"] = new JsonObject { ["maxUnavailable"] = 0, ["maxSurge"] = "25%" },
        };
        deploymentSpec["template"] = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["labels"] = ToJson(PipelineNames.Labels(p)),
                // The version in the template is what rolls the pods when the model changes.
                ["annotations"] = new JsonObject { [PipelineNames.TessdataAnnotation] = version },
            },
            ["spec"] = podSpec,
        };

        return new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "Deployment",
            ["metadata"] = Metadata(p, PipelineNames.Worker(p)),
            ["spec"] = deploymentSpec,
        };
    }

    private static JsonObject TessdataMount(ModelSpec model) => model.Source.PersistentVolumeClaim is not null
        ? new JsonObject
        {
            ["name"] = "tessdata",
            ["mountPath"] = $"{PipelineNames.TessdataMountPath}/{model.TessdataVersion}",
            ["subPath"] = model.TessdataVersion,
            ["readOnly"] = true,
        }
        : new JsonObject { ["name"] = "tessdata", ["mountPath"] = PipelineNames.TessdataMountPath, ["readOnly"] = true };

    private static JsonObject TessdataVolume(ModelSpec model) => model.Source.PersistentVolumeClaim is { } claim
        ? new JsonObject
        {
            ["name"] = "tessdata",
            ["persistentVolumeClaim"] = new JsonObject { ["claimName"] = claim, ["readOnly"] = true },
        }
        : new JsonObject { ["name"] = "tessdata", ["emptyDir"] = new JsonObject() };

    private static JsonObject Probe(string path, int period, int failures) => new()
    {
        ["httpGet"] = new JsonObject { ["path"] = path, ["port"] = "http" },
        ["periodSeconds"] = period,
        ["failureThreshold"] = failures,
    };

    private static JsonObject Env(string name, string value) => new() { ["name"] = name, ["value"] = value };

    /// <summary>
    /// The tenant policy ConfigMap: one JSON file in the shape the fleet's <c>TenantPolicyFile</c> reads (snake_case;
    /// per tenant the worker's VerdictPolicy under <c>verdict</c>, plus upload and rate limits). A test parses it with
    /// that reader.
    /// </summary>
    public static JsonObject TenantPolicyConfigMap(KtpOcrPipeline p) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = Metadata(p, PipelineNames.TenantPolicy(p)),
        ["data"] = new JsonObject { [PipelineNames.PolicyFile] = TenantPolicyDocument(p).ToJsonString(Indented) },
    };

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static JsonObject TenantPolicyDocument(KtpOcrPipeline p)
    {
        var tenants = new JsonObject();
        foreach (var t in p.Spec.Tenants.OrderBy(t => t.Id, StringComparer.Ordinal))
        {
            tenants[t.Id] = new JsonObject
            {
                ["max_image_bytes"] = t.Upload.MaxBytes,
                ["rate_limit_per_second"] = t.RateLimit.RequestsPerSecond,
                ["verdict"] = new JsonObject
                {
                    ["auto_accept_confidence"] = t.AutoAcceptConfidence,
                    ["field_confidence"] = new JsonObject((t.FieldConfidence ?? []).OrderBy(kv => kv.Key, StringComparer.Ordinal)
                        .Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
                    ["required_fields"] = new JsonArray((t.RequiredFields ?? KtpFields.All.ToList()).Select(f => (JsonNode?)f).ToArray()),
                    ["failed_check_forces_review"] = t.FailedCheckForcesReview,
                },
            };
        }
        return new JsonObject
        {
            ["schema_version"] = 1,
            ["pipeline"] = p.Metadata.Name,
            ["queue"] = p.Spec.Queue.Name,
            ["tenants"] = tenants,
        };
    }

    /// <summary>KEDA ScaledObject: RabbitMQ queue-length trigger over the management API, counting ready + unacked.</summary>
    public static JsonObject ScaledObject(KtpOcrPipeline p)
    {
        var a = p.Spec.Autoscaling;
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        return new JsonObject
        {
            ["apiVersion"] = "keda.sh/v1alpha1",
            ["kind"] = "ScaledObject",
            ["metadata"] = Metadata(p, PipelineNames.Worker(p)),
            ["spec"] = new JsonObject
            {
                ["scaleTargetRef"] = new JsonObject
                {
                    ["apiVersion"] = "apps/v1",
                    ["kind"] = "Deployment",
                    ["name"] = PipelineNames.Worker(p),
                },
                ["minReplicaCount"] = a.MinReplicas,
                ["maxReplicaCount"] = a.MaxReplicas,
                ["pollingInterval"] = a.PollingIntervalSeconds,
                ["cooldownPeriod"] = Math.Max(a.ScaleDownStabilizationSeconds, 1),
                ["advanced"] = new JsonObject
                {
                    ["horizontalPodAutoscalerConfig"] = new JsonObject
                    {
                        ["behavior"] = new JsonObject
                        {
                            ["scaleDown"] = new JsonObject { ["stabilizationWindowSeconds"] = a.ScaleDownStabilizationSeconds },
                        },
                    },
                },
                ["triggers"] = new JsonArray(new JsonObject
                {
                    ["type"] = "rabbitmq",
                    ["metadata"] = new JsonObject
                    {
                        ["protocol"] = "http",
                        ["mode"] = "QueueLength",
                        ["value"] = a.MessagesPerReplica.ToString(inv),
                        ["activationValue"] = a.ActivationMessages.ToString(inv),
                        ["queueName"] = p.Spec.Queue.Name,
                        ["vhostName"] = p.Spec.Queue.Vhost,
                        // Count unacked (in-flight) messages too: a busy worker's jobs are load.
                        ["excludeUnacknowledged"] = "false",
                    },
                    ["authenticationRef"] = new JsonObject { ["name"] = PipelineNames.TriggerAuth(p) },
                }),
            },
        };
    }

    /// <summary>KEDA TriggerAuthentication giving the trigger the management URL from the connection secret.</summary>
    public static JsonObject TriggerAuthentication(KtpOcrPipeline p) => new()
    {
        ["apiVersion"] = "keda.sh/v1alpha1",
        ["kind"] = "TriggerAuthentication",
        ["metadata"] = Metadata(p, PipelineNames.TriggerAuth(p)),
        ["spec"] = new JsonObject
        {
            ["secretTargetRef"] = new JsonArray(new JsonObject
            {
                ["parameter"] = "host",
                ["name"] = p.Spec.Queue.ConnectionSecret,
                ["key"] = "managementUri",
            }),
        },
    };

    private static JsonObject ToJson(Dictionary<string, string> d) =>
        new(d.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value)));
}
