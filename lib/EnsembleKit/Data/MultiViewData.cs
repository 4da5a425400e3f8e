using EnsembleKit.Backend;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Data;

/// <summary>One generated split and, per sample, whether it shows both views (multi-view) or only one.</summary>
public sealed record MultiViewSplit(TensorDataset Data, bool[] MultiView) : IDisposable
{
    public void Dispose() => Data.Dispose();
}

/// <summary>
/// Generator of seed 003's multi-view data (and its Gaussian-like control). The features of all classes are one
/// random orthonormal set fixed by the seed, so train and test splits made with the same seed share them.
/// Inputs are <c>[N, Patches, Dimension]</c> float32; targets <c>[N]</c> int64.
/// </summary>
public static class MultiViewData
{
    /// <summary>Generates a training and a test split from one world (features or teacher) fixed by <paramref name="seed"/>.</summary>
    public static (MultiViewSplit Train, MultiViewSplit Test) Generate(MultiViewOptions options, int trainCount, int testCount, long seed)
    {
        options.Validate();
        if (trainCount <= 0 || testCount <= 0) throw new ArgumentOutOfRangeException(nameof(trainCount), $"split sizes must be positive; got {trainCount} and {testCount}.");
        TorchRuntime.EnsureInitialized();
        using var scope = NewDisposeScope();
        using var generator = new Generator((ulong)seed);
        // Orthonormal features: QR of a Gaussian matrix; column 2c + v is view v of class c.
        var (q, _) = linalg.qr(randn(options.Dimension, 2 * options.Classes, generator: generator, dtype: ScalarType.Float64));
        var features = q.t().to(ScalarType.Float32);
        Tensor? teacher = options.GaussianControl ? TeacherWeights(options, generator) : null;
        var train = Split(options, features, teacher, trainCount, generator, "multi-view train");
        var test = Split(options, features, teacher, testCount, generator, "multi-view test");
        return (train, test);
    }

    static Tensor TeacherWeights(MultiViewOptions o, Generator g) => randn(o.Dimension, o.Classes, generator: g);

    static MultiViewSplit Split(MultiViewOptions o, Tensor features, Tensor? teacher, int count, Generator g, string name)
    {
        using Scalar noiseStd = o.NoiseStd;
        var noise = randn(count, o.Patches, o.Dimension, generator: g).mul(noiseStd);
        if (teacher is { } t)
        {
            // Control: pure Gaussian patches labelled by a fixed random linear teacher on the patch sum (E3.3's "linear" row).
            var inputs = randn(count, o.Patches, o.Dimension, generator: g);
            var labels = inputs.sum(dim: 1).matmul(t).argmax(1);
            return new MultiViewSplit(new TensorDataset(inputs, labels, o.Classes, name + " (Gaussian control)"), Enumerable.Repeat(false, count).ToArray());
        }

        var random = new Random((int)(randint(0, int.MaxValue, [1], generator: g).item<long>()));
        var x = new float[count * o.Patches * o.Dimension];
        var y = new long[count];
        var multi = new bool[count];
        var f = features.data<float>().ToArray();
        void AddFeature(int sample, int patch, int feature, double weight)
        {
            int offset = (sample * o.Patches + patch) * o.Dimension;
            for (int d = 0; d < o.Dimension; d++) x[offset + d] += (float)(weight * f[feature * o.Dimension + d]);
        }
        for (int i = 0; i < count; i++)
        {
            int label = random.Next(o.Classes);
            y[i] = label;
            double u = random.NextDouble();
            multi[i] = u >= o.SingleViewFraction;
            bool view0 = multi[i] || u < o.SingleViewFraction / 2;
            bool view1 = multi[i] || !view0;
            var patches = Enumerable.Range(0, o.Patches).OrderBy(_ => random.Next()).ToArray();
            int next = 0;
            foreach (var (present, view) in new[] { (view0, 0), (view1, 1) })
                for (int k = 0; k < o.PatchesPerView; k++, next++)
                    if (present) AddFeature(i, patches[next], 2 * label + view, 1.0);
            // Feature noise: every remaining patch carries one view of another class at a small weight.
            for (; next < o.Patches; next++)
            {
                int other = (label + 1 + random.Next(o.Classes - 1)) % o.Classes;
                AddFeature(i, patches[next], 2 * other + random.Next(2), o.FeatureNoise);
            }
        }
        var data = tensor(x, [count, o.Patches, o.Dimension]) + noise;
        return new MultiViewSplit(new TensorDataset(data, tensor(y), o.Classes, name), multi);
    }
}
