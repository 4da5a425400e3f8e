using EnsembleKit.Metrics;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Metrics;

public class CalibrationTests
{
    [Fact]
    public void TemperatureScalingRecoversAKnownTemperature()
    {
        // Labels drawn from softmax(z); the model reports 2.5 z, i.e. it is over-confident by T = 2.5.
        var generator = new Generator(3);
        using var z = randn(new long[] { 20_000, 5 }, generator: generator, dtype: ScalarType.Float64);
        using var targets = multinomial(z.softmax(1), 1, generator: generator).squeeze(1);
        using var reported = z * 2.5;
        double t = TemperatureScaling.Fit(reported, targets);
        Assert.InRange(t, 2.4, 2.6);
        using var scaled = TemperatureScaling.Apply(reported, t);
        using var raw = reported.softmax(1);
        Assert.True(Metric.NegativeLogLikelihood(scaled, targets) < Metric.NegativeLogLikelihood(raw, targets));
    }

    [Fact]
    public void DeepEnsembleEquivalentInterpolatesTheCurve()
    {
        double[] curve = [0.30, 0.25, 0.22, 0.21];
        Assert.Equal(1, DeepEnsembleEquivalent.FromCurve(curve, 0.31));
        Assert.Equal(1.5, DeepEnsembleEquivalent.FromCurve(curve, 0.275), 12);
        Assert.Equal(3, DeepEnsembleEquivalent.FromCurve(curve, 0.22), 12);
        Assert.Equal(2 + 1.0 / 3, DeepEnsembleEquivalent.FromCurve(curve, 0.24), 12);
        Assert.Equal(4, DeepEnsembleEquivalent.FromCurve(curve, 0.2));
        Assert.Throws<ArgumentException>(() => DeepEnsembleEquivalent.FromCurve([], 0.2));
    }

    [Fact]
    public void TemperatureMustBePositive()
    {
        using var logits = zeros(2, 3);
        Assert.Throws<ArgumentOutOfRangeException>(() => TemperatureScaling.Apply(logits, 0));
    }
}
