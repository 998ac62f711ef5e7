using KtpFleet.Operator.Resources;
using KtpFleet.Operator.Scaling;

namespace KtpFleet.Operator.Tests;

public class AutoscalerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 5, 0, 0, TimeSpan.Zero);

    private static AutoscalingSpec Spec(int min = 1, int max = 10, int mpr = 20, int activation = 0, int window = 300) => new()
    {
        Mode = ScalingMode.Builtin, MinReplicas = min, MaxReplicas = max, MessagesPerReplica = mpr,
        ActivationMessages = activation, ScaleDownStabilizationSeconds = window,
    };

    [Theory]
    [InlineData(2, 100, 5)]   // ceil(100/20)
    [InlineData(2, 101, 6)]   // ceil rounds up
    [InlineData(5, 105, 5)]   // ratio 1.05: within 10% tolerance, no change
    [InlineData(5, 109, 5)]   // ratio 1.09: still within tolerance
    [InlineData(5, 111, 6)]   // ratio 1.11: outside tolerance
    [InlineData(5, 91, 5)]    // ratio 0.91 (window empty -> recommendation 5 anyway)
    public void Replicas_are_ceil_of_depth_over_target_outside_tolerance(int current, long depth, int expected)
    {
        var d = BuiltinAutoscaler.Decide(Spec(window: 0), current, depth, T0, ScalingHistory.Empty);
        Assert.Equal(expected, d.DesiredReplicas);
    }

    [Fact]
    public void Bounds_apply_last()
    {
        Assert.Equal(10, BuiltinAutoscaler.Decide(Spec(max: 10), 10, 100_000, T0, ScalingHistory.Empty).DesiredReplicas);
        Assert.Equal(3, BuiltinAutoscaler.Decide(Spec(min: 3, window: 0), 3, 1, T0, ScalingHistory.Empty).DesiredReplicas);
    }

    [Fact]
    public void Scale_up_is_rate_limited_to_max_of_four_pods_or_double_per_period()
    {
        var spec = Spec(max: 100);
        var d = BuiltinAutoscaler.Decide(spec, 2, 2000, T0, ScalingHistory.Empty);
        Assert.Equal(6, d.DesiredReplicas); // max(2+4, 2*2)
        Assert.Equal("ScaleUpLimited", d.Reason);
        // Within the same 15 s period the budget is counted from the period's start (2): no more growth.
        var again = BuiltinAutoscaler.Decide(spec, 6, 2000, T0.AddSeconds(5), d.History);
        Assert.Equal(6, again.DesiredReplicas);
        // After the period: max(6+4, 12) = 12.
        var later = BuiltinAutoscaler.Decide(spec, 6, 2000, T0.AddSeconds(16), again.History);
        Assert.Equal(12, later.DesiredReplicas);
    }

    [Fact]
    public void Scale_down_waits_for_the_stabilisation_window()
    {
        var spec = Spec(window: 300);
        var h = BuiltinAutoscaler.Decide(spec, 5, 100, T0, ScalingHistory.Empty).History; // recommends 5
        var d = BuiltinAutoscaler.Decide(spec, 5, 20, T0.AddSeconds(60), h);            // recommends 1, window holds 5
        Assert.Equal(5, d.DesiredReplicas);
        Assert.Equal("ScaleDownStabilized", d.Reason);
        var after = BuiltinAutoscaler.Decide(spec, 5, 20, T0.AddSeconds(301), d.History); // the 5 left the window; the 1 at +60 s stays
        Assert.Equal(1, after.DesiredReplicas);
    }

    [Fact]
    public void Scale_up_is_not_stabilised()
    {
        var spec = Spec(window: 300);
        var h = BuiltinAutoscaler.Decide(spec, 1, 10, T0, ScalingHistory.Empty).History;
        Assert.Equal(3, BuiltinAutoscaler.Decide(spec, 1, 60, T0.AddSeconds(1), h).DesiredReplicas);
    }

    [Fact]
    public void Activation_and_scale_to_zero()
    {
        var spec = Spec(min: 0, activation: 5, window: 0);
        var idle = BuiltinAutoscaler.Decide(spec, 2, 5, T0, ScalingHistory.Empty);
        Assert.Equal(0, idle.DesiredReplicas);
        Assert.False(idle.Active);
        var woke = BuiltinAutoscaler.Decide(spec, 0, 6, T0, ScalingHistory.Empty);
        Assert.Equal(1, woke.DesiredReplicas);
        Assert.True(woke.Active);
        // With a minimum above zero, an idle queue keeps the minimum.
        Assert.Equal(2, BuiltinAutoscaler.Decide(Spec(min: 2, activation: 5, window: 0), 4, 0, T0, ScalingHistory.Empty).DesiredReplicas);
    }

    /// <summary>Property: whatever the reading and history, the result stays within bounds and an active queue has a worker.</summary>
    [Fact]
    public void Result_is_always_within_bounds()
    {
        var rng = new Random(42);
        for (var i = 0; i < 2000; i++)
        {
            var min = rng.Next(0, 5);
            var spec = Spec(min: min, max: Math.Max(1, min + rng.Next(0, 20)), mpr: rng.Next(1, 50), activation: rng.Next(0, 10), window: rng.Next(0, 600));
            var history = ScalingHistory.Empty;
            var current = rng.Next(0, 30);
            var now = T0;
            for (var step = 0; step < 10; step++)
            {
                var depth = (long)rng.Next(0, 5000);
                var d = BuiltinAutoscaler.Decide(spec, current, depth, now, history);
                Assert.InRange(d.DesiredReplicas, spec.MinReplicas, Math.Max(spec.MaxReplicas, spec.MinReplicas));
                if (depth > spec.ActivationMessages) Assert.True(d.DesiredReplicas >= 1);
                if (d.DesiredReplicas > current) Assert.True(d.DesiredReplicas <= Math.Max(current * 2, current + 4) || d.DesiredReplicas == spec.MinReplicas);
                current = d.DesiredReplicas;
                history = d.History;
                now = now.AddSeconds(rng.Next(1, 120));
            }
        }
    }
}
