using static TorchSharp.torch;

namespace EnsembleKit.Analysis;

/// <summary>
/// How far apart two sibling networks' renderings of the same things are (seed 002's E2.7.4-E2.7.5 for one pair): the
/// Hamming distance between the hashes of corresponding images under each of several hash kinds
/// (<see cref="HashDiversity.Between(IReadOnlyList{HashImage}, IReadOnlyList{HashImage}, IEnumerable{HashKind}, HashOptions?)"/>),
/// and the root mean squared error between the images (<see cref="HashDiversity.MapRmse"/>, each rescaled to [0, 1]).
/// </summary>
/// <param name="Pair">The pair's name, e.g. "NP pair".</param>
/// <param name="Summaries">One summary per hash kind, in the order asked for.</param>
/// <param name="Rmse">The root mean squared error between the two image sets, each image rescaled to [0, 1].</param>
public sealed record SiblingHashDistances(string Pair, IReadOnlyList<HashDistanceSummary> Summaries, double Rmse)
{
    /// <summary>
    /// Compares image batches <c>[K, H, W]</c> or <c>[K, C, H, W]</c> of the two siblings, image k against image k: floats
    /// in [0, 1], or per-image min-max normalised when <paramref name="minMaxNormalise"/> (saliency maps). The images are
    /// converted once for all <paramref name="kinds"/>.
    /// </summary>
    public static SiblingHashDistances Of(string pair, Tensor imagesA, Tensor imagesB, IReadOnlyList<HashKind> kinds, bool minMaxNormalise = false,
        HashOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pair);
        ArgumentNullException.ThrowIfNull(imagesA);
        ArgumentNullException.ThrowIfNull(imagesB);
        ArgumentNullException.ThrowIfNull(kinds);
        if (kinds.Count == 0) throw new ArgumentException("name at least one hash kind.", nameof(kinds));
        var summaries = HashDiversity.Between(HashImage.FromBatch(imagesA, minMaxNormalise), HashImage.FromBatch(imagesB, minMaxNormalise), kinds, options);
        return new SiblingHashDistances(pair, summaries, HashDiversity.MapRmse(imagesA, imagesB));
    }

    /// <summary>The summary of one hash kind.</summary>
    /// <exception cref="ArgumentException">The pair was not compared under <paramref name="kind"/>.</exception>
    public HashDistanceSummary For(HashKind kind) => Summaries.FirstOrDefault(s => s.Kind == kind)
        ?? throw new ArgumentException($"{Pair} was compared under {string.Join(", ", Summaries.Select(s => s.Kind))}, not {kind}.", nameof(kind));

    /// <summary>The mean distance averaged over the hash kinds (bits; seed 002 compares feature visualisations so).</summary>
    public double MeanOverKinds => Summaries.Average(s => s.Mean);
}
