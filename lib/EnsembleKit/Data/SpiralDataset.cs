using EnsembleKit.Backend;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Data;

/// <summary>
/// Interleaved spirals in the plane, for seed 002's decision-boundary experiment (§4.3.1: a binary interleaved spiral
/// dataset of 2,500 points; the generator's parameters are not stated). [not in seed] Class <c>c</c> of <c>C</c> is the arm
/// <c>r = t</c>, <c>θ = 2π·turns·t + 2πc/C</c> for <c>t ~ U[0, 1)</c>, point <c>(r cos θ, r sin θ)</c> plus Gaussian noise of
/// standard deviation <c>noise</c> on each coordinate; with two classes the arms are point reflections of
/// each other. Inputs <c>[N, 2]</c> float32, targets <c>[N]</c> int64, rows shuffled, all from one seeded CPU generator.
/// </summary>
public static class SpiralDataset
{
    public static TensorDataset Generate(int pointsPerClass, int classes = 2, double noise = 0.05, long seed = 0, double turns = 1.5, string name = "spiral")
    {
        TorchRuntime.EnsureInitialized();
        if (pointsPerClass < 1) throw new ArgumentOutOfRangeException(nameof(pointsPerClass), $"points per class must be positive; got {pointsPerClass}.");
        if (classes < 2) throw new ArgumentOutOfRangeException(nameof(classes), $"a spiral dataset needs at least 2 classes; got {classes}.");
        if (!(noise >= 0) || double.IsInfinity(noise)) throw new ArgumentOutOfRangeException(nameof(noise), $"noise must be finite and >= 0; got {noise}.");
        if (!(turns > 0) || double.IsInfinity(turns)) throw new ArgumentOutOfRangeException(nameof(turns), $"turns must be positive and finite; got {turns}.");
        using var scope = NewDisposeScope();
        using var generator = new Generator((ulong)seed);
        long n = (long)pointsPerClass * classes;
        using Scalar classCount = classes, sweep = 2 * Math.PI * turns, armAngle = 2 * Math.PI / classes, noiseStd = noise;
        var label = arange(classCount, dtype: ScalarType.Int64).repeat_interleave(pointsPerClass);
        var t = rand(n, generator: generator, dtype: ScalarType.Float64);
        var theta = t.mul(sweep).add(label.to(ScalarType.Float64).mul(armAngle));
        var points = stack([t.mul(theta.cos()), t.mul(theta.sin())], 1);
        points = points.add(randn(n, 2, generator: generator, dtype: ScalarType.Float64).mul(noiseStd));
        var order = randperm(n, generator: generator);
        return new TensorDataset(points.index_select(0, order).to(ScalarType.Float32), label.index_select(0, order), classes, name);
    }
}
