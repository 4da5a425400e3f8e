using static TorchSharp.torch;

namespace EnsembleKit.Analysis;

/// <summary>
/// S2 chapter 7's perceptual-hash diversity: render the same thing from two (or M) members as images — a feature
/// visualisation of the same channel, a saliency map of the same input, an activation map — hash each image, and measure
/// how far apart the hashes of corresponding images are (Hamming distance). More distance = more diverse representations.
/// </summary>
public static class HashDiversity
{
    /// <summary>
    /// Hamming distance between the hashes of <paramref name="a"/>[k] and <paramref name="b"/>[k] for every k (the two
    /// siblings' images of the same channel or input), summarised as mean ± standard error.
    /// </summary>
    public static HashDistanceSummary Between(IReadOnlyList<HashImage> a, IReadOnlyList<HashImage> b, HashKind kind, HashOptions? options = null)
    {
        if (a.Count != b.Count) throw new ArgumentException($"the two members have {a.Count} and {b.Count} images; they must be paired one to one.");
        if (a.Count == 0) throw new ArgumentException("no images to compare.");
        var distances = new int[a.Count];
        int bits = 0;
        for (int k = 0; k < a.Count; k++)
        {
            var ha = ImageHashing.Compute(a[k], kind, options);
            distances[k] = ha.Distance(ImageHashing.Compute(b[k], kind, options));
            bits = ha.Length;
        }
        return HashDistanceSummary.Of(kind, bits, distances);
    }

    /// <summary>
    /// As <see cref="Between(IReadOnlyList{HashImage}, IReadOnlyList{HashImage}, HashKind, HashOptions?)"/> for image batches
    /// <c>[K, H, W]</c> or <c>[K, C, H, W]</c> (C = 1 or 3), converted by <see cref="HashImage.FromBatch"/>: floats in [0, 1],
    /// or per-image min–max normalised when <paramref name="minMaxNormalise"/> (saliency and activation maps).
    /// </summary>
    public static HashDistanceSummary Between(Tensor imagesA, Tensor imagesB, HashKind kind, bool minMaxNormalise = false, HashOptions? options = null) =>
        Between(HashImage.FromBatch(imagesA, minMaxNormalise), HashImage.FromBatch(imagesB, minMaxNormalise), kind, options);

    /// <summary>One summary per kind (S2 reports aHash, pHash, dHash, wHash and colour hash side by side).</summary>
    public static IReadOnlyList<HashDistanceSummary> Between(IReadOnlyList<HashImage> a, IReadOnlyList<HashImage> b, IEnumerable<HashKind> kinds, HashOptions? options = null) =>
        kinds.Select(kind => Between(a, b, kind, options)).ToList();

    /// <summary>
    /// Mean Hamming distance <c>[M, M]</c> between members: <paramref name="memberImages"/>[m][k] is member m's image k (the same
    /// K images, e.g. channels or inputs, for every member). Symmetric, zero diagonal.
    /// </summary>
    public static double[,] MeanDistanceMatrix(IReadOnlyList<IReadOnlyList<HashImage>> memberImages, HashKind kind, HashOptions? options = null)
    {
        int m = memberImages.Count;
        if (m == 0) throw new ArgumentException("no members.", nameof(memberImages));
        int k = memberImages[0].Count;
        if (k == 0 || memberImages.Any(images => images.Count != k))
            throw new ArgumentException($"every member needs the same non-zero number of images; got {string.Join(", ", memberImages.Select(i => i.Count))}.", nameof(memberImages));
        var hashes = memberImages.Select(images => images.Select(image => ImageHashing.Compute(image, kind, options)).ToArray()).ToArray();
        var matrix = new double[m, m];
        for (int i = 0; i < m; i++)
            for (int j = i + 1; j < m; j++)
            {
                double mean = Enumerable.Range(0, k).Average(x => hashes[i][x].Distance(hashes[j][x]));
                matrix[i, j] = matrix[j, i] = mean;
            }
        return matrix;
    }

    /// <summary>
    /// Root mean squared error between two maps of one shape (S2 Fig 7.4's RMSE column for saliency maps). With
    /// <paramref name="minMaxNormalise"/> (default; the seed does not say) each map is first rescaled to [0, 1] by its own
    /// minimum and maximum (a constant map becomes 0).
    /// </summary>
    public static double MapRmse(Tensor a, Tensor b, bool minMaxNormalise = true)
    {
        if (!a.shape.SequenceEqual(b.shape))
            throw new ArgumentException($"maps must have one shape; got {Backend.Shapes.Describe(a)} and {Backend.Shapes.Describe(b)}.");
        using var scope = NewDisposeScope();
        Tensor Prepare(Tensor t)
        {
            var x = t.to(ScalarType.Float64);
            if (!minMaxNormalise) return x;
            var lo = x.min();
            var range = x.max() - lo;
            return range.item<double>() > 0 ? (x - lo) / range : zeros_like(x);
        }
        return (Prepare(a) - Prepare(b).to(a.device)).square().mean().sqrt().item<double>();
    }
}
