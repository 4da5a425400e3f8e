namespace EnsembleKit.Backend;

/// <summary>
/// Derives a seed for one purpose (an epoch, a child, a draw) from a base seed, so that related streams differ and a run
/// is reproducible from its base seed alone. Every derived seed in the kit goes through here, except the streams of the
/// corrupted test sets (<c>CorruptedDataset.StreamSeed</c>, SplitMix64), kept as they are so that cached sets stay valid.
/// </summary>
public static class SeedMix
{
    /// <summary><c>seed · 1,000,003 + a · 7,919 + b · 104,729 + 17</c> (wrapping): distinct primes keep the parts apart.</summary>
    public static long Of(long seed, long a, long b = 0) => unchecked(seed * 1_000_003L + a * 7919L + b * 104_729L + 17);
}
