namespace KtpFleet.Corpus.Generation;

/// <summary>
/// A small deterministic PRNG (SplitMix64) owned by this project, so a corpus seed means the same cards on every
/// runtime version; System.Random's algorithm is an implementation detail we must not depend on.
/// Each card gets its own stream derived from (seed, index), so parallel generation stays deterministic.
/// </summary>
public sealed class CardRandom
{
    private ulong _state;

    public CardRandom(ulong state) => _state = state;

    public static CardRandom ForCard(long seed, int index, string purpose = "") =>
        new(Mix(Mix((ulong)seed ^ 0x9E3779B97F4A7C15UL) ^ (ulong)index ^ StableHash(purpose)));

    public ulong NextULong()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    /// <summary>Uniform in [0, maxExclusive).</summary>
    public int Next(int maxExclusive)
    {
        if (maxExclusive <= 0) throw new ArgumentOutOfRangeException(nameof(maxExclusive));
        return (int)(NextULong() % (ulong)maxExclusive);
    }

    /// <summary>Uniform in [min, maxInclusive].</summary>
    public int Between(int min, int maxInclusive) => min + Next(maxInclusive - min + 1);

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));

    public double Between(double min, double max) => min + (max - min) * NextDouble();

    /// <summary>Symmetric jitter: uniform in [-amplitude, +amplitude].</summary>
    public double Jitter(double amplitude) => Between(-amplitude, amplitude);

    public bool Chance(double probability) => NextDouble() < probability;

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    /// <summary>Picks by weight; weights need not sum to 1.</summary>
    public T PickWeighted<T>(IReadOnlyList<(T Item, double Weight)> items)
    {
        var total = items.Sum(i => i.Weight);
        var x = NextDouble() * total;
        foreach (var (item, weight) in items)
        {
            if (x < weight) return item;
            x -= weight;
        }
        return items[^1].Item;
    }

    /// <summary>A seed for an external tool (ImageMagick -seed) derived from this stream.</summary>
    public int ToolSeed() => (int)(NextULong() & 0x7FFFFFFF);

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong StableHash(string s)
    {
        // FNV-1a: string.GetHashCode is randomised per process.
        var h = 14695981039346656037UL;
        foreach (var c in s) { h ^= c; h *= 1099511628211UL; }
        return h;
    }
}
