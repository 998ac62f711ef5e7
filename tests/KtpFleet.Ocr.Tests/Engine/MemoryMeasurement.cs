namespace KtpFleet.Ocr.Tests.Engine;

/// <summary>Tests that read the process's RSS run alone: allocations by tests running beside them would count too.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryMeasurement
{
    public const string Name = "memory measurement";
}
