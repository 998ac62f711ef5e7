namespace KtpFleet.Operator.Crd;

/// <summary>An x-kubernetes-validations rule as the API server sees it.</summary>
public interface ICelRule
{
    string Expression { get; }
    string Message { get; }
}

/// <summary>
/// A CEL rule together with its C# equivalent, so the CRD (checked by the API server) and the operator's own
/// validation (offline tests, API servers without CEL) come from one definition.
/// </summary>
public sealed record CelRule<T>(string Expression, string Message, Func<T, bool> Holds) : ICelRule;

/// <summary>A type that carries CEL rules on its own schema node.</summary>
public interface IHasCelRules<TSelf> where TSelf : IHasCelRules<TSelf>
{
    static abstract IReadOnlyList<CelRule<TSelf>> Rules { get; }
}
