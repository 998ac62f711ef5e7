using System.Globalization;
using System.Text.Json.Nodes;
using KtpFleet.Operator.Kube;
using Microsoft.Extensions.Logging;

namespace KtpFleet.Operator.Controller;

public sealed record LeaderElectionOptions(string Namespace, string LeaseName, string Identity)
{
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);
    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);
}

/// <summary>
/// Leader election on a coordination.k8s.io/v1 Lease, updated optimistically (resourceVersion) so two candidates
/// cannot both win. Fencing: the first renew that fails — conflict, another holder, or an error — cancels the
/// leadership token at once, so all reconciling stops before another replica can have taken over
/// (the lease duration is longer than the retry period).
/// </summary>
public sealed class LeaderElector(IKubeClient client, LeaderElectionOptions options, ILogger logger, TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private JsonObject? _lease;

    public bool IsLeader { get; private set; }

    /// <summary>Acquire, run <paramref name="lead"/> with a token that is cancelled when leadership is lost, renew until then.</summary>
    /// <returns>When leadership was lost (or <paramref name="ct"/> cancelled).</returns>
    public async Task RunAsync(Func<CancellationToken, Task> lead, CancellationToken ct)
    {
        while (!await TryAcquireOrRenewAsync(ct).ConfigureAwait(false))
            await Task.Delay(options.RetryPeriod, _clock, ct).ConfigureAwait(false);

        logger.LogInformation("became leader ({Identity}) on lease {Lease}", options.Identity, options.LeaseName);
        using var leading = CancellationTokenSource.CreateLinkedTokenSource(ct);
        IsLeader = true;
        var work = Task.Run(() => lead(leading.Token), CancellationToken.None);
        try
        {
            while (!ct.IsCancellationRequested && !work.IsCompleted)
            {
                await Task.WhenAny(work, Task.Delay(options.RetryPeriod, _clock, ct)).ConfigureAwait(false);
                if (work.IsCompleted || ct.IsCancellationRequested) break;
                bool renewed;
                try { renewed = await TryAcquireOrRenewAsync(ct).ConfigureAwait(false); }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning("lease renew failed: {Error}", e.Message);
                    renewed = false;
                }
                if (!renewed)
                {
                    logger.LogError("lost leadership of lease {Lease}; stopping all reconciling", options.LeaseName);
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
        finally
        {
            IsLeader = false;
            await leading.CancelAsync().ConfigureAwait(false);
            try { await work.ConfigureAwait(false); } catch (OperationCanceledException) { }
        }
    }

    /// <summary>One attempt: create the lease, take it over if expired, or renew it if ours.</summary>
    public async Task<bool> TryAcquireOrRenewAsync(CancellationToken ct)
    {
        var now = _clock.GetUtcNow();
        var lease = await client.GetAsync(ResourceKind.Leases, options.Namespace, options.LeaseName, ct).ConfigureAwait(false);
        if (lease is null)
        {
            try
            {
                _lease = await client.CreateAsync(ResourceKind.Leases, options.Namespace, new JsonObject
                {
                    ["apiVersion"] = "coordination.k8s.io/v1",
                    ["kind"] = "Lease",
                    ["metadata"] = new JsonObject { ["name"] = options.LeaseName, ["namespace"] = options.Namespace },
                    ["spec"] = Spec(now, now, 0),
                }, ct).ConfigureAwait(false);
                return true;
            }
            catch (KubeApiException e) when (e.IsConflict) { return false; }
        }

        var spec = lease["spec"] as JsonObject ?? [];
        var holder = (string?)spec["holderIdentity"];
        var transitions = spec["leaseTransitions"]?.GetValue<int>() ?? 0;
        var ours = holder == options.Identity;
        if (!ours && holder is { Length: > 0 } && !Expired(spec, now)) return false;
        // Renewing with a stale copy would silently overwrite a takeover: only renew what we last wrote.
        if (ours && _lease is not null && (string?)_lease["metadata"]?["resourceVersion"] != (string?)lease["metadata"]?["resourceVersion"])
            return false;

        var acquire = ours ? ParseTime(spec["acquireTime"]) ?? now : now;
        lease["spec"] = Spec(acquire, now, ours ? transitions : transitions + 1);
        try
        {
            _lease = await client.ReplaceAsync(ResourceKind.Leases, lease, ct: ct).ConfigureAwait(false);
            return true;
        }
        catch (KubeApiException e) when (e.IsConflict)
        {
            return false;
        }
    }

    private JsonObject Spec(DateTimeOffset acquire, DateTimeOffset renew, int transitions) => new()
    {
        ["holderIdentity"] = options.Identity,
        ["leaseDurationSeconds"] = (int)options.LeaseDuration.TotalSeconds,
        ["acquireTime"] = MicroTime(acquire),
        ["renewTime"] = MicroTime(renew),
        ["leaseTransitions"] = transitions,
    };

    private static bool Expired(JsonObject spec, DateTimeOffset now)
    {
        var renew = ParseTime(spec["renewTime"]);
        var duration = spec["leaseDurationSeconds"]?.GetValue<int>() ?? 15;
        return renew is null || renew.Value.AddSeconds(duration) < now;
    }

    private static string MicroTime(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    private static DateTimeOffset? ParseTime(JsonNode? n) =>
        n is null ? null : DateTimeOffset.Parse((string)n!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
