namespace EnsembleKit.Analysis;

/// <summary>
/// Hamming distances between paired hashes (S2 Figs 7.3, 7.4: one distance per visualised channel or per input image, between
/// two sibling networks) and their mean ± standard error, as S2 reports them. <paramref name="Std"/> is the sample standard
/// deviation (n − 1); <paramref name="StandardError"/> = Std / √n (0 for a single pair).
/// For two unrelated images a 64-bit median-threshold hash has an expected distance of about 32.
/// </summary>
public sealed record HashDistanceSummary(HashKind Kind, int Bits, double Mean, double StandardError, double Std, int[] Distances)
{
    public static HashDistanceSummary Of(HashKind kind, int bits, IReadOnlyList<int> distances)
    {
        if (distances.Count == 0) throw new ArgumentException("no distances to summarise.", nameof(distances));
        double mean = distances.Average();
        double std = distances.Count > 1 ? Math.Sqrt(distances.Sum(d => (d - mean) * (d - mean)) / (distances.Count - 1)) : 0.0;
        return new HashDistanceSummary(kind, bits, mean, std / Math.Sqrt(distances.Count), std, distances.ToArray());
    }

    /// <summary>"mean ± standard error", for tables.</summary>
    public string ToShortString() => $"{Mean:F2} ± {StandardError:F2}";

    public override string ToString() => $"{Kind}: {Mean:F2} ± {StandardError:F2} of {Bits} bits over {Distances.Length} pairs";
}
