using System.Text.Json.Nodes;
using KtpFleet.Operator.Controller;
using KtpFleet.Operator.Desired;
using KtpFleet.Operator.Kube;
using KtpFleet.Operator.Observability;
using KtpFleet.Operator.Resources;

namespace KtpFleet.Operator.Tests;

public class SmallPartsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 6, 0, 0, TimeSpan.Zero);

    private static JsonObject Deployment(string version, int replicas, long generation, long observed, int updated, int available) => new()
    {
        ["metadata"] = new JsonObject { ["generation"] = generation },
        ["spec"] = new JsonObject
        {
            ["replicas"] = replicas,
            ["template"] = new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [PipelineNames.TessdataAnnotation] = version } } },
        },
        ["status"] = new JsonObject
        {
            ["observedGeneration"] = observed, ["replicas"] = replicas, ["updatedReplicas"] = updated,
            ["readyReplicas"] = available, ["availableReplicas"] = available,
        },
    };

    private static JsonObject Parsed(JsonObject o) => (JsonObject)JsonNode.Parse(o.ToJsonString())!;

    [Fact]
    public void Worker_status_keeps_the_old_model_active_until_the_rollout_completes()
    {
        var p = Samples.Pipeline();
        p.Spec.Model.TessdataVersion = "4.2.0";
        var status = new PipelineStatus { ActiveModelVersion = "4.1.0", Conditions = [] };

        WorkerStatus.Fill(status, Parsed(Deployment("4.2.0", 3, 5, 5, 1, 3)), p, 2, Now, rolloutMayProgress: true);
        Assert.Equal("4.1.0", status.ActiveModelVersion);
        Assert.Equal("4.1.0 → 4.2.0", status.ModelRollout);
        Assert.Equal("True", Conditions.Find(status.Conditions, Conditions.Progressing)!.Status);

        // The controller has not even seen the new generation: still rolling.
        WorkerStatus.Fill(status, Parsed(Deployment("4.2.0", 3, 6, 5, 3, 3)), p, 2, Now, rolloutMayProgress: true);
        Assert.Equal("4.1.0", status.ActiveModelVersion);

        WorkerStatus.Fill(status, Parsed(Deployment("4.2.0", 3, 6, 6, 3, 3)), p, 2, Now.AddSeconds(30), rolloutMayProgress: true);
        Assert.Equal("4.2.0", status.ActiveModelVersion);
        Assert.Null(status.ModelRollout);
        var ready = Conditions.Find(status.Conditions, Conditions.Ready)!;
        Assert.Equal(("True", "Available"), (ready.Status, ready.Reason));
        Assert.Equal(3, status.ReadyReplicas);
    }

    [Fact]
    public void Condition_transition_time_moves_only_when_the_status_flips()
    {
        var list = new List<Condition>();
        Conditions.Set(list, Conditions.Ready, false, "A", "", 1, Now);
        Conditions.Set(list, Conditions.Ready, false, "B", "m", 2, Now.AddMinutes(1));
        Assert.Equal(Now, list[0].LastTransitionTime);
        Assert.Equal(("B", 2L), (list[0].Reason, list[0].ObservedGeneration));
        Conditions.Set(list, Conditions.Ready, true, "C", "", 2, Now.AddMinutes(2));
        Assert.Equal(Now.AddMinutes(2), list[0].LastTransitionTime);
        Assert.Single(list);
    }

    [Fact]
    public void Metrics_are_written_in_the_prometheus_text_format()
    {
        var m = new MetricsRegistry();
        m.Increment("ktp_x_total", "Things.", ("result", "ok"));
        m.Increment("ktp_x_total", "Things.", ("result", "ok"));
        m.Set("ktp_depth", "Depth.", 42, ("pipeline", "a\"b"));
        m.Observe("ktp_seconds", "Duration.", 0.3, [0.1, 0.5, 1]);
        m.Observe("ktp_seconds", "Duration.", 0.05, [0.1, 0.5, 1]);
        var text = m.Render();
        Assert.Contains("# TYPE ktp_x_total counter\nktp_x_total{result=\"ok\"} 2\n", text);
        Assert.Contains("ktp_depth{pipeline=\"a\\\"b\"} 42\n", text);
        Assert.Contains("ktp_seconds_bucket{le=\"0.1\"} 1\n", text);
        Assert.Contains("ktp_seconds_bucket{le=\"0.5\"} 2\n", text); // cumulative
        Assert.Contains("ktp_seconds_bucket{le=\"+Inf\"} 2\n", text);
        Assert.Contains("ktp_seconds_count 2\n", text);
    }

    [Fact]
    public void Yaml_scalars_are_typed_by_the_core_schema_and_quoted_strings_stay_strings()
    {
        var doc = YamlJson.Parse("a: 1\nb: \"1\"\nc: 0.5\nd: true\ne: on\nf: ~\ng: 4.1.0\nh: [x, 2]\n");
        Assert.Equal("1", doc["a"]!.ToJsonString());
        Assert.Equal("\"1\"", doc["b"]!.ToJsonString());
        Assert.Equal("0.5", doc["c"]!.ToJsonString());
        Assert.Equal("true", doc["d"]!.ToJsonString());
        Assert.Equal("\"on\"", doc["e"]!.ToJsonString()); // YAML 1.2: not a boolean
        Assert.Null(doc["f"]);
        Assert.Equal("\"4.1.0\"", doc["g"]!.ToJsonString());
        var back = YamlJson.Parse(YamlJson.Serialize(doc));
        Assert.True(JsonNode.DeepEquals(doc, back), YamlJson.Serialize(doc));
    }

    [Fact]
    public void Api_errors_are_typed_from_status_bodies()
    {
        var e = KubeApiException.FromStatus(System.Net.HttpStatusCode.BadRequest,
            """{"kind":"Status","apiVersion":"v1","status":"Failure","message":"too old resource version: 5 (9)","reason":"Expired","code":410}""");
        Assert.True(e.IsGone);
        Assert.Equal(System.Net.HttpStatusCode.Gone, e.Code);
        var plain = KubeApiException.FromStatus(System.Net.HttpStatusCode.BadGateway, "<html>proxy</html>");
        Assert.Equal(System.Net.HttpStatusCode.BadGateway, plain.Code);
        Assert.Contains("proxy", plain.Message);
    }
}
