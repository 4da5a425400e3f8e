using EnsembleKit.Uncertainty;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Uncertainty;

public class UncertaintyScoresTests
{
    /// <summary>
    /// Member logits [2, 2, 3] chosen as logs of small integers, so softmax gives exact fractions:
    /// sample 0: member 0 = [0, 0, 0] → (1/3, 1/3, 1/3), member 1 = [0, 0, ln 2] → (1/4, 1/4, 1/2);
    /// sample 1: both members [ln 2, 0, 0] → (1/2, 1/4, 1/4).
    /// </summary>
    static Tensor HandLogits(ScalarType dtype)
    {
        double l2 = Math.Log(2);
        double[] values = [0, 0, 0, /**/ l2, 0, 0, /**/ 0, 0, l2, /**/ l2, 0, 0];
        return tensor(values, [2, 2, 3], ScalarType.Float64).to(dtype);
    }

    static readonly double Ln2 = Math.Log(2), Ln3 = Math.Log(3);

    [Theory]
    [InlineData(ScalarType.Float64, 14)]
    [InlineData(ScalarType.Float32, 6)]
    public void HandComputedScores(ScalarType dtype, int precision)
    {
        using var logits = HandLogits(dtype);
        // Sample 0: p̄ = (7/24, 7/24, 10/24); sample 1: p̄ = (1/2, 1/4, 1/4).
        AssertClose([10.0 / 24, 0.5], UncertaintyScores.MaxSoftmaxProbability(logits), precision);
        // Mean logits: (0, 0, ln2 / 2) and (ln 2, 0, 0).
        AssertClose([Ln2 / 2, Ln2], UncertaintyScores.MaxLogit(logits), precision);
        // H(7/24, 7/24, 10/24) and H(1/2, 1/4, 1/4) = ½ ln 2 + ½ ln 4 = 1.5 ln 2.
        double pe0 = -(2 * 7.0 / 24 * Math.Log(7.0 / 24) + 10.0 / 24 * Math.Log(10.0 / 24));
        AssertClose([pe0, 1.5 * Ln2], UncertaintyScores.PredictiveEntropy(logits), precision);
        // Sample 0: (H(uniform 3) + H(1/4, 1/4, 1/2)) / 2 = (ln 3 + 1.5 ln 2) / 2; sample 1: both 1.5 ln 2.
        double ee0 = (Ln3 + 1.5 * Ln2) / 2;
        AssertClose([ee0, 1.5 * Ln2], UncertaintyScores.ExpectedEntropy(logits), precision);
        // Identical members (sample 1) carry no epistemic uncertainty.
        AssertClose([pe0 - ee0, 0], UncertaintyScores.MutualInformation(logits), precision);
        // -log Σ exp(mean logits): -ln(1 + 1 + √2) and -ln(2 + 1 + 1); T = 2: -2 ln(2 + 2^¼) and -2 ln(√2 + 2).
        AssertClose([-Math.Log(2 + Math.Sqrt(2)), -Math.Log(4)], UncertaintyScores.Energy(logits), precision);
        AssertClose([-2 * Math.Log(2 + Math.Pow(2, 0.25)), -2 * Math.Log(Math.Sqrt(2) + 2)], UncertaintyScores.Energy(logits, temperature: 2), precision);
        // Predicted class 2 for sample 0: members give 1/3 and 1/2 around 5/12, variance ((1/12)² + (1/12)²) / 2 = 1/144.
        AssertClose([1.0 / 144, 0], UncertaintyScores.PredictedClassVariance(logits), precision);
    }

    [Fact]
    public void InDistributionScoreOrientsEveryMeasureTheSameWay()
    {
        using var logits = HandLogits(ScalarType.Float64);
        foreach (var measure in Enum.GetValues<UncertaintyMeasure>())
        {
            var raw = UncertaintyScores.Compute(measure, logits, temperature: 2);
            var oriented = UncertaintyScores.InDistributionScore(measure, logits, temperature: 2);
            double sign = UncertaintyScores.HigherMeansInDistribution(measure) ? 1 : -1;
            Assert.Equal(raw.Select(v => sign * v), oriented);
        }
        Assert.True(UncertaintyScores.HigherMeansInDistribution(UncertaintyMeasure.MaxSoftmaxProbability));
        Assert.False(UncertaintyScores.HigherMeansInDistribution(UncertaintyMeasure.Energy));
        Assert.Equal(UncertaintyScores.Energy(logits, 2), UncertaintyScores.Compute(UncertaintyMeasure.Energy, logits, 2));
        // Sample 1 (members agree) is the more in-distribution one under mutual information: -0 > -(pe0 - ee0).
        var mi = UncertaintyScores.InDistributionScore(UncertaintyMeasure.MutualInformation, logits);
        Assert.True(mi[1] > mi[0]);
        Assert.Equal(0.0, mi[1]);
        Assert.False(double.IsNegative(mi[1])); // +0, not -0
    }

    [Fact]
    public void OneMemberHasNoEpistemicPart()
    {
        using var gen = new TorchSharp.torch.Generator(3);
        using var logits = randn([1, 50, 7], generator: gen) * 3;
        Assert.All(UncertaintyScores.MutualInformation(logits), v => Assert.Equal(0, v, 12));
        Assert.All(UncertaintyScores.PredictedClassVariance(logits), v => Assert.Equal(0, v, 15));
        Assert.Equal(UncertaintyScores.PredictiveEntropy(logits), UncertaintyScores.ExpectedEntropy(logits), (a, b) => Math.Abs(a - b) < 1e-12);
    }

    /// <summary>
    /// Member logits [3, 8, 4] (normal, σ = 2, rounded to 2 decimals) from tests/reference/uncertainty_reference.py, with
    /// the scores computed there by numpy formulas (softmax via max-shifted exp, np.var for the variance).
    /// </summary>
    [Fact]
    public void MatchesNumpyReference()
    {
        var c = UncertaintyReference.Case("scores");
        var rows = c.GetProperty("logits").EnumerateArray().SelectMany(m => m.EnumerateArray().SelectMany(r => r.EnumerateArray().Select(v => v.GetDouble()))).ToArray();
        using var logits = tensor(rows, [3, 8, 4], ScalarType.Float64);
        UncertaintyReference.Equal(c.Doubles("msp"), UncertaintyScores.MaxSoftmaxProbability(logits), 13);
        UncertaintyReference.Equal(c.Doubles("max_logit"), UncertaintyScores.MaxLogit(logits), 13);
        UncertaintyReference.Equal(c.Doubles("predictive_entropy"), UncertaintyScores.PredictiveEntropy(logits), 13);
        UncertaintyReference.Equal(c.Doubles("expected_entropy"), UncertaintyScores.ExpectedEntropy(logits), 13);
        UncertaintyReference.Equal(c.Doubles("mutual_information"), UncertaintyScores.MutualInformation(logits), 13);
        UncertaintyReference.Equal(c.Doubles("energy"), UncertaintyScores.Energy(logits), 13);
        UncertaintyReference.Equal(c.Doubles("energy_t2"), UncertaintyScores.Energy(logits, 2), 13);
        UncertaintyReference.Equal(c.Doubles("predicted_class_variance"), UncertaintyScores.PredictedClassVariance(logits), 13);
        // Deterministic: a second run gives the same bits.
        Assert.Equal(UncertaintyScores.MutualInformation(logits), UncertaintyScores.MutualInformation(logits));
    }

    [Fact]
    public void BadInputNamesTheArgumentAndValue()
    {
        using var twoD = zeros(4, 3);
        var e = Assert.Throws<ArgumentException>(() => UncertaintyScores.MaxSoftmaxProbability(twoD));
        Assert.Equal("memberLogits", e.ParamName);
        Assert.Contains("[4, 3]", e.Message);
        using var ints = zeros([2, 4, 3], dtype: ScalarType.Int64);
        Assert.Throws<ArgumentException>(() => UncertaintyScores.Energy(ints));
        using var empty = zeros(2, 0, 3);
        e = Assert.Throws<ArgumentException>(() => UncertaintyScores.PredictiveEntropy(empty));
        Assert.Contains("batch is empty", e.Message);
        using var broken = zeros(2, 4, 3);
        broken[1, 2, 0] = tensor(float.NaN);
        e = Assert.Throws<ArgumentException>(() => UncertaintyScores.MutualInformation(broken));
        Assert.Contains("member 1, row 2, class 0 holds NaN", e.Message);
        broken[0, 3, 1] = tensor(float.NegativeInfinity);
        e = Assert.Throws<ArgumentException>(() => UncertaintyScores.MaxLogit(broken));
        Assert.Contains("member 0, row 3, class 1 holds -Infinity", e.Message);
        using var fine = zeros(2, 4, 3);
        foreach (double t in new[] { 0, -1, double.NaN, double.PositiveInfinity })
        {
            var range = Assert.Throws<ArgumentOutOfRangeException>(() => UncertaintyScores.Energy(fine, t));
            Assert.Equal("temperature", range.ParamName);
        }
        Assert.Throws<ArgumentNullException>(() => UncertaintyScores.ExpectedEntropy(null!));
    }

    [Fact]
    public void ScoresLeaveNoLiveTensorsWhetherTheyPassOrFail()
    {
        using var logits = HandLogits(ScalarType.Float32);
        using var broken = zeros(2, 4, 3);
        broken[1, 2, 0] = tensor(float.NaN);
        void Run()
        {
            foreach (var measure in Enum.GetValues<UncertaintyMeasure>())
                UncertaintyScores.InDistributionScore(measure, logits);
            Assert.Throws<ArgumentException>(() => UncertaintyScores.PredictedClassVariance(broken));
        }
        Run();
        long before = TestSupport.LiveTensorCount();
        for (int i = 0; i < 3; i++) Run();
        Assert.Equal(before, Tensor.TotalCount);
    }

    static void AssertClose(double[] expected, double[] actual, int precision) => UncertaintyReference.Equal(expected, actual, precision);
}
