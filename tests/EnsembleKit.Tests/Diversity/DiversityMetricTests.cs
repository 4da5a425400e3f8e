using EnsembleKit.Analysis;
using EnsembleKit.Diversity;
using EnsembleKit.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Diversity;

public class DiversityMetricTests
{
    // Fixture: 2 members x 4 inputs x 3 classes, given as probabilities; the logits are their logs, so softmax(logits) = probs.
    //            x0               x1               x2               x3
    // A: [.7 .2 .1] -> 0   [.1 .6 .3] -> 1   [.3 .3 .4] -> 2   [.5 .25 .25] -> 0
    // B: [.6 .3 .1] -> 0   [.2 .2 .6] -> 2   [.1 .8 .1] -> 1   [.45 .35 .2] -> 0
    // targets 0, 1, 1, 0: A right on x0 x1 x3, B right on x0 x2 x3.
    static readonly double[][][] Probs =
    [
        [[0.7, 0.2, 0.1], [0.1, 0.6, 0.3], [0.3, 0.3, 0.4], [0.5, 0.25, 0.25]],
        [[0.6, 0.3, 0.1], [0.2, 0.2, 0.6], [0.1, 0.8, 0.1], [0.45, 0.35, 0.2]],
    ];

    static Tensor Logits(double[][][] probs) =>
        tensor(probs.SelectMany(m => m.SelectMany(r => r)).Select(v => Math.Log(v)).ToArray(),
            new long[] { probs.Length, probs[0].Length, probs[0][0].Length }, ScalarType.Float64);

    static Tensor Targets(params long[] t) => tensor(t);

    [Fact]
    public void DisagreementIsTheFractionOfDifferingArgmaxes()
    {
        using var logits = Logits(Probs);
        var d = DiversityMetric.DisagreementMatrix(logits);
        // A and B differ on x1 (1 vs 2) and x2 (2 vs 1): 2 of 4
        Assert.Equal(new double[,] { { 0, 0.5 }, { 0.5, 0 } }, d);
        using var a = logits[0];
        using var b = logits[1];
        Assert.Equal(0.5, DiversityMetric.Disagreement(a, b));
        Assert.Equal(0.5, DiversityMetric.Disagreement([0, 1, 2, 0], [0, 2, 1, 0]));
        // float32 logits give the same answer
        using var single = logits.to(ScalarType.Float32);
        Assert.Equal(d, DiversityMetric.DisagreementMatrix(single));
    }

    [Fact]
    public void KlIsTheMeanOverInputsOfTheSoftmaxKl()
    {
        using var logits = Logits(Probs);
        var kl = DiversityMetric.KlDivergenceMatrix(logits);
        // KL(A||B) = 1/4 [ (.7 ln(.7/.6) + .2 ln(.2/.3) + .1 ln 1) + (.1 ln(.1/.2) + .6 ln 3 + .3 ln(.5))
        //                 + (.3 ln 3 + .3 ln(.3/.8) + .4 ln 4) + (.5 ln(.5/.45) + .25 ln(.25/.35) + .25 ln(.25/.2)) ]
        double ab = (0.7 * Math.Log(0.7 / 0.6) + 0.2 * Math.Log(0.2 / 0.3)
                     + 0.1 * Math.Log(0.5) + 0.6 * Math.Log(3) + 0.3 * Math.Log(0.5)
                     + 0.3 * Math.Log(3) + 0.3 * Math.Log(0.3 / 0.8) + 0.4 * Math.Log(4)
                     + 0.5 * Math.Log(0.5 / 0.45) + 0.25 * Math.Log(0.25 / 0.35) + 0.25 * Math.Log(0.25 / 0.2)) / 4;
        double ba = (0.6 * Math.Log(0.6 / 0.7) + 0.3 * Math.Log(0.3 / 0.2)
                     + 0.2 * Math.Log(2) + 0.2 * Math.Log(0.2 / 0.6) + 0.6 * Math.Log(2)
                     + 0.1 * Math.Log(0.1 / 0.3) + 0.8 * Math.Log(0.8 / 0.3) + 0.1 * Math.Log(0.25)
                     + 0.45 * Math.Log(0.45 / 0.5) + 0.35 * Math.Log(0.35 / 0.25) + 0.2 * Math.Log(0.2 / 0.25)) / 4;
        Assert.Equal(ab, kl[0, 1], 12);
        Assert.Equal(ba, kl[1, 0], 12);
        Assert.Equal(0.0, kl[0, 0]);
        Assert.NotEqual(kl[0, 1], kl[1, 0], 6); // asymmetric
        // logits shifted per row give the same softmax, hence the same KL
        using var shifted = logits + 7.5;
        Assert.Equal(ab, DiversityMetric.KlDivergenceMatrix(shifted)[0, 1], 10);
    }

    [Fact]
    public void CorrectnessCorrelationIsPearsonOfTheIndicators()
    {
        using var logits = Logits(Probs);
        using var targets = Targets(0, 1, 1, 0);
        var r = DiversityMetric.CorrectnessCorrelationMatrix(logits, targets);
        // A = [1 1 0 1], B = [1 0 1 1]; means .75; centred A = [.25 .25 -.75 .25], B = [.25 -.75 .25 .25]
        // cov = .0625 - .1875 - .1875 + .0625 = -.25; |A|^2 = |B|^2 = .75 -> r = -1/3
        Assert.Equal(-1.0 / 3, r[0, 1], 12);
        Assert.Equal(1.0, r[0, 0], 12);
    }

    [Fact]
    public void ConstantIndicatorsFollowTheDocumentedRule()
    {
        // members: C always right, D always right, E right on x0 x1 only, F always wrong
        double[][] right = [[0.9, 0.05, 0.05], [0.05, 0.9, 0.05], [0.05, 0.9, 0.05], [0.9, 0.05, 0.05]];
        double[][] half = [[0.9, 0.05, 0.05], [0.05, 0.9, 0.05], [0.05, 0.05, 0.9], [0.05, 0.05, 0.9]];
        double[][] wrong = [[0.05, 0.05, 0.9], [0.05, 0.05, 0.9], [0.05, 0.05, 0.9], [0.05, 0.05, 0.9]];
        using var logits = Logits([right, right, half, wrong]);
        using var targets = Targets(0, 1, 1, 0);
        var r = DiversityMetric.CorrectnessCorrelationMatrix(logits, targets);
        Assert.Equal(1.0, r[0, 1]); // identical constant vectors
        Assert.Equal(0.0, r[0, 2]); // constant vs varying: covariance 0
        Assert.Equal(0.0, r[0, 3]); // all right vs all wrong: covariance 0, not identical
        Assert.Equal(1.0, r[3, 3]);
        Assert.Equal(1.0, r[2, 2]);
    }

    [Fact]
    public void OutputCorrelationAveragesPerInputPearsonOverClasses()
    {
        using var logits = Logits(Probs);
        // brute force: Pearson of the two 3-vectors per input, averaged over the 4 inputs
        double sum = 0;
        for (int b = 0; b < 4; b++)
        {
            var x = Probs[0][b];
            var y = Probs[1][b];
            double mx = x.Average(), my = y.Average();
            double cov = 0, vx = 0, vy = 0;
            for (int c = 0; c < 3; c++) { cov += (x[c] - mx) * (y[c] - my); vx += (x[c] - mx) * (x[c] - mx); vy += (y[c] - my) * (y[c] - my); }
            sum += cov / Math.Sqrt(vx * vy);
        }
        var r = DiversityMetric.OutputCorrelationMatrix(logits);
        Assert.Equal(sum / 4, r[0, 1], 12);
        Assert.Equal(r[0, 1], r[1, 0], 14);
        Assert.Equal(1.0, r[1, 1], 12);
        // on logits the values differ (log is not linear)
        Assert.NotEqual(r[0, 1], DiversityMetric.OutputCorrelationMatrix(logits, onLogits: true)[0, 1], 6);
        // x0 alone: A = [.7 .2 .1], B = [.6 .3 .1], means 1/3; centred A = [.36667 -.13333 -.23333], B = [.26667 -.03333 -.23333]
        // cov = .097778 + .004444 + .054444 = .156667; |A|^2 = .206667, |B|^2 = .126667 -> r = .156667 / sqrt(.026178) = .96830
        using var first = logits.narrow(1, 0, 1);
        Assert.Equal(0.96830, DiversityMetric.OutputCorrelationMatrix(first)[0, 1], 4);
    }

    [Fact]
    public void PairwiseSummaryUsesTheOffDiagonal()
    {
        var s = PairwiseSummary.Of(new double[,] { { 0, 1, 2 }, { 1, 0, 3 }, { 2, 3, 0 } });
        // off-diagonal: 1 2 1 3 2 3 -> mean 2, population variance (1+0+1+1+0+1)/6 = 2/3
        Assert.Equal(2.0, s.Mean, 12);
        Assert.Equal(Math.Sqrt(2.0 / 3), s.Std, 12);
        Assert.Equal(6, s.Pairs);
        Assert.Throws<ArgumentException>(() => PairwiseSummary.Of(new double[,] { { 1 } }));
    }

    [Fact]
    public void AmbiguityDecompositionAddsUpAndMatchesBruteForce()
    {
        using var logits = Logits(Probs);
        using var targets = Targets(0, 1, 1, 0);
        var d = DiversityMetric.Ambiguity(logits, targets);
        long[] y = [0, 1, 1, 0];
        double ens = 0, a = 0, b = 0, ambA = 0, ambB = 0;
        for (int i = 0; i < 4; i++)
            for (int c = 0; c < 3; c++)
            {
                double t = y[i] == c ? 1 : 0, pa = Probs[0][i][c], pb = Probs[1][i][c], m = (pa + pb) / 2;
                ens += (m - t) * (m - t); a += (pa - t) * (pa - t); b += (pb - t) * (pb - t);
                ambA += (pa - m) * (pa - m); ambB += (pb - m) * (pb - m);
            }
        Assert.Equal(ens / 4, d.EnsembleError, 12);
        Assert.Equal((a + b) / 8, d.MeanMemberError, 12);
        Assert.Equal((ambA + ambB) / 8, d.Ambiguity, 12);
        Assert.Equal(a / 4, d.MemberErrors[0], 12);
        Assert.Equal(b / 4, d.MemberErrors[1], 12);
        Assert.Equal(d.MeanMemberError - d.Ambiguity, d.EnsembleError, 12);
        // x0 by hand: mean = [.65 .25 .1], target [1 0 0]: ensemble error .35^2+.25^2+.1^2 = .195
        using var first = logits.narrow(1, 0, 1);
        using var firstTarget = Targets(0);
        Assert.Equal(0.195, DiversityMetric.Ambiguity(first, firstTarget).EnsembleError, 12);
        // two identical members: no ambiguity, ensemble error = member error
        using var twins = stack([logits[0], logits[0]], 0);
        var same = DiversityMetric.Ambiguity(twins, targets);
        Assert.Equal(0.0, same.Ambiguity, 12);
        Assert.Equal(same.MeanMemberError, same.EnsembleError, 12);
    }

    [Fact]
    public void BiasVarianceCovarianceMatchesItsDefinitions()
    {
        var g = new Generator(3);
        using var logits = randn([3, 2, 5, 4], dtype: ScalarType.Float64, generator: g) * 2; // R=3, M=2, B=5, C=4
        using var targets = Targets(0, 3, 1, 2, 3);
        var d = DiversityMetric.BiasVarianceCovariance(logits, targets);
        using var p = logits.softmax(3);
        var v = p.data<double>().ToArray();
        double P(int r, int m, int b, int c) => v[((r * 2 + m) * 5 + b) * 4 + c];
        long[] y = [0, 3, 1, 2, 3];
        double bias2 = 0, variance = 0, covariance = 0, error = 0;
        for (int b = 0; b < 5; b++)
            for (int c = 0; c < 4; c++)
            {
                double t = y[b] == c ? 1 : 0;
                double[] e = [Enumerable.Range(0, 3).Average(r => P(r, 0, b, c)), Enumerable.Range(0, 3).Average(r => P(r, 1, b, c))];
                double bias = ((e[0] - t) + (e[1] - t)) / 2;
                bias2 += bias * bias;
                variance += Enumerable.Range(0, 3).Average(r => (P(r, 0, b, c) - e[0]) * (P(r, 0, b, c) - e[0]) + (P(r, 1, b, c) - e[1]) * (P(r, 1, b, c) - e[1])) / 2;
                // i != j pairs: (0,1) and (1,0), divided by M(M-1) = 2
                covariance += Enumerable.Range(0, 3).Average(r => 2 * (P(r, 0, b, c) - e[0]) * (P(r, 1, b, c) - e[1])) / 2;
                error += Enumerable.Range(0, 3).Average(r => Math.Pow((P(r, 0, b, c) + P(r, 1, b, c)) / 2 - t, 2));
            }
        Assert.Equal(bias2 / 5, d.BiasSquared, 12);
        Assert.Equal(variance / 5, d.Variance, 12);
        Assert.Equal(covariance / 5, d.Covariance, 12);
        Assert.Equal(error / 5, d.ExpectedError, 12);
        Assert.Equal(d.ExpectedError, d.BiasSquared + d.Variance / 2 + 0.5 * d.Covariance, 12);
        Assert.True(d.Variance > 0);

        // one member: no covariance term, error = bias^2 + variance
        using var single = logits.narrow(1, 0, 1);
        var one = DiversityMetric.BiasVarianceCovariance(single, targets);
        Assert.Equal(0.0, one.Covariance);
        Assert.Equal(one.ExpectedError, one.BiasSquared + one.Variance, 12);
    }

    [Fact]
    public void ConfusionMatricesPerMemberAndTheirDifference()
    {
        using var logits = Logits(Probs);
        using var targets = Targets(0, 1, 1, 0);
        var matrices = DiversityMetric.MemberConfusionMatrices(logits, targets);
        // A predicts 0 1 2 0, B predicts 0 2 1 0 for targets 0 1 1 0: both give row 0 = [2 0 0], row 1 = [0 1 1]
        long[,] expected = { { 2, 0, 0 }, { 0, 1, 1 }, { 0, 0, 0 } };
        Assert.Equal(expected, matrices[0]);
        Assert.Equal(expected, matrices[1]);
        var same = DiversityMetric.ConfusionDifference(matrices[0], matrices[1]);
        Assert.Equal(0, same.TotalAbsoluteDifference); // yet they disagree on half the inputs: the difference is a lower bound
        Assert.Equal(0.0, same.MovedFraction);

        long[,] a = { { 5, 1 }, { 2, 2 } };
        long[,] b = { { 3, 3 }, { 0, 4 } };
        var diff = DiversityMetric.ConfusionDifference(a, b);
        Assert.Equal(new long[,] { { -2, 2 }, { -2, 2 } }, diff.Difference);
        Assert.Equal([-2L, 2L], diff.CorrectChange);
        Assert.Equal(8, diff.TotalAbsoluteDifference);
        Assert.Equal(8 / 20.0, diff.MovedFraction, 12); // 10 inputs; at least 4 changed
        Assert.Throws<ArgumentException>(() => DiversityMetric.ConfusionDifference(a, new long[,] { { 6, 1 }, { 2, 2 } }));
    }

    [Fact]
    public void LinearCkaHandValuesAndInvariances()
    {
        // 1-D features: CKA = squared correlation. x = [1 2 3] (centred -1 0 1), y = [1 3 2] (centred -1 1 0):
        // dot 1, |x|^2 = |y|^2 = 2 -> 1 / 4
        using var x1 = tensor(new double[] { 1, 2, 3 }).reshape(3, 1);
        using var y1 = tensor(new double[] { 1, 3, 2 }).reshape(3, 1);
        Assert.Equal(0.25, DiversityMetric.LinearCka(x1, y1), 12);
        using var y0 = tensor(new double[] { 1, 0, 1 }).reshape(3, 1); // centred [1/3 -2/3 1/3] is orthogonal to x
        Assert.Equal(0.0, DiversityMetric.LinearCka(x1, y0), 12);

        var g = new Generator(11);
        using var x = randn([40, 6], dtype: ScalarType.Float64, generator: g);
        using var z = randn([40, 9], dtype: ScalarType.Float64, generator: g);
        using var q = linalg.qr(randn([6, 6], dtype: ScalarType.Float64, generator: g)).Q;
        Assert.Equal(1.0, DiversityMetric.LinearCka(x, x), 12);
        using var rotated = x.matmul(q) * 3.5 + 2.0; // orthogonal map, isotropic scaling, a shift
        Assert.Equal(1.0, DiversityMetric.LinearCka(x, rotated), 12);
        double reference = DiversityMetric.LinearCka(x, z);
        Assert.Equal(reference, DiversityMetric.LinearCka(rotated, z), 12);
        Assert.Equal(reference, DiversityMetric.LinearCka(z, x), 12); // symmetric
        Assert.InRange(reference, 0.01, 0.99);
        // not invariant to an anisotropic scaling
        using var stretched = x * tensor(new double[] { 10, 1, 1, 1, 1, 1 });
        Assert.NotEqual(1.0, DiversityMetric.LinearCka(x, stretched), 3);
        // float32 and [N, C, H, W] representations are accepted
        using var image = x.to(ScalarType.Float32).reshape(40, 1, 2, 3);
        Assert.Equal(1.0, DiversityMetric.LinearCka(image, x), 5);
        Assert.Throws<ArgumentException>(() => DiversityMetric.LinearCka(x, z.narrow(0, 0, 30)));
    }

    static Mlp Tiny(double w1, double w2, double b)
    {
        var model = new Mlp([(2, 1)]);
        using var _ = no_grad();
        model.Layers[0].weight!.copy_(tensor(new float[] { (float)w1, (float)w2 }).reshape(1, 2));
        model.Layers[0].bias!.copy_(tensor(new float[] { (float)b }));
        return model;
    }

    [Fact]
    public void WeightCosineHandValues()
    {
        using var a = Tiny(1, 2, 5);
        using var b = Tiny(2, 1, -5);
        // weights only: (1*2 + 2*1) / (sqrt 5 sqrt 5) = 0.8; with biases: (4 - 25) / (sqrt 30 sqrt 30) = -0.7
        Assert.Equal(0.8, DiversityMetric.WeightCosine(a, b), 6);
        Assert.Equal(-0.7, DiversityMetric.WeightCosine(a, b, includeBiases: true), 6);
    }

    [Fact]
    public void WeightCosineOfAModelWithItselfAndItsNegation()
    {
        manual_seed(4);
        using var model = new Mlp([(6, 5), (5, 3)]);
        using var negated = new Mlp([(6, 5), (5, 3)]);
        using (var _ = no_grad())
            foreach (var (target, source) in negated.parameters().Zip(model.parameters()))
                target.copy_(-source);
        Assert.Equal(1.0, DiversityMetric.WeightCosine(model, model), 12);
        Assert.Equal(-1.0, DiversityMetric.WeightCosine(model, negated), 12);
        Assert.Equal(-1.0, DiversityMetric.WeightCosine(model, negated, includeBiases: true), 12);
        var matrix = DiversityMetric.WeightCosineMatrix([model, negated, model]);
        Assert.Equal(1.0, matrix[0, 2], 12);
        Assert.Equal(-1.0, matrix[2, 1], 12);
        // the float[] overload agrees with the module overload
        var vectors = new[] { ParameterVector.Flatten(model), ParameterVector.Flatten(negated) };
        Assert.Equal(-1.0, DiversityMetric.WeightCosineMatrix(vectors)[0, 1], 12);
    }

    [Fact]
    public void WeightCosineNamesTheFirstMismatchingParameter()
    {
        using var a = new Mlp([(6, 5), (5, 3)]);
        using var b = new Mlp([(6, 4), (4, 3)]);
        var e = Assert.Throws<ArgumentException>(() => DiversityMetric.WeightCosine(a, b));
        Assert.Contains("layers.0.weight", e.Message);
        Assert.Contains("[5, 6]", e.Message);
        Assert.Contains("[4, 6]", e.Message);
        using var deeper = new Mlp([(6, 5), (5, 3), (3, 3)]);
        e = Assert.Throws<ArgumentException>(() => DiversityMetric.WeightCosine(a, deeper));
        Assert.Contains("layers.2.weight", e.Message);
    }

    [Fact]
    public void ParameterVectorRoundTripsAndSkipsBiases()
    {
        manual_seed(5);
        using var model = new Mlp([(3, 2), (2, 2)]);
        var layout = ParameterVector.Layout(model);
        Assert.Equal(["layers.0.weight", "layers.1.weight"], layout.Select(s => s.Name));
        Assert.Equal(6 + 4, ParameterVector.Length(model));
        Assert.Equal(6 + 2 + 4 + 2, ParameterVector.Length(model, includeBiases: true));
        var all = ParameterVector.Flatten(model, includeBiases: true);
        using var copy = new Mlp([(3, 2), (2, 2)]);
        ParameterVector.Load(copy, all, includeBiases: true);
        foreach (var (x, y) in model.parameters().Zip(copy.parameters()))
            Assert.True(x.allclose(y, rtol: 0, atol: 0));
        var doubled = ParameterVector.Flatten(model).Select(v => 2 * v).ToArray();
        ParameterVector.Load(copy, doubled);
        Assert.Equal(model.Layers[0].bias!.data<float>().ToArray(), copy.Layers[0].bias!.data<float>().ToArray()); // biases untouched
        Assert.Equal(doubled, ParameterVector.Flatten(copy));
        Assert.Throws<ArgumentException>(() => ParameterVector.Load(copy, new float[3]));
    }

    [Fact]
    public void BadShapesAreRejected()
    {
        using var flat = zeros(4, 3);
        Assert.Contains("[4, 3]", Assert.Throws<ArgumentException>(() => DiversityMetric.DisagreementMatrix(flat)).Message);
        using var logits = Logits(Probs);
        using var shortTargets = Targets(0, 1);
        Assert.Throws<ArgumentException>(() => DiversityMetric.CorrectnessCorrelationMatrix(logits, shortTargets));
        using var badTargets = Targets(0, 1, 5, 0);
        Assert.Throws<ArgumentException>(() => DiversityMetric.Ambiguity(logits, badTargets));
        using var targets = Targets(0, 1, 1, 0);
        Assert.Throws<ArgumentException>(() => DiversityMetric.BiasVarianceCovariance(logits, targets));
    }

    [Fact]
    public void TargetsOutsideTheClassesAreRefusedByEveryMeasureThatReadsThem()
    {
        // 1-based labels: without the check, the 3 would silently count as "wrong" for every member.
        using var logits = Logits(Probs);
        using var oneBased = Targets(1, 2, 2, 3);
        var refusals = new Func<object>[]
        {
            () => DiversityMetric.CorrectnessCorrelationMatrix(logits, oneBased),
            () => DiversityMetric.ErrorOverlap(logits, oneBased),
            () => DiversityMetric.MemberConfusionMatrices(logits, oneBased),
            () => DiversityMetric.AccuracyBySize(logits, oneBased),
            () => DiversityMetric.Ambiguity(logits, oneBased),
        };
        foreach (var call in refusals)
            Assert.StartsWith("targets: value 3 at index 3 is outside [0, 3).", Assert.Throws<ArgumentException>(call).Message);
    }

    [Fact]
    public void NonFiniteOutputsAreRefusedNamingTheEntry()
    {
        using var logits = Logits(Probs);
        logits[1, 2, 0] = tensor(double.NaN);
        using var targets = Targets(0, 1, 1, 0);
        var refusals = new Func<object>[]
        {
            () => DiversityMetric.DisagreementMatrix(logits),
            () => DiversityMetric.KlDivergenceMatrix(logits),
            () => DiversityMetric.OutputCorrelationMatrix(logits),
            () => DiversityMetric.CorrectnessCorrelationMatrix(logits, targets),
            () => DiversityMetric.ErrorOverlap(logits, targets),
        };
        foreach (var call in refusals)
        {
            var e = Assert.Throws<ArgumentException>(call);
            Assert.StartsWith("memberLogits: member 1, row 2, class 0 holds NaN; logits must be finite.", e.Message);
        }
        using var a = zeros(3, 2);
        using var b = zeros(3, 2);
        b[2, 1] = tensor(float.PositiveInfinity);
        Assert.StartsWith("b: row 2, class 1 holds Infinity; logits must be finite.", Assert.Throws<ArgumentException>(() => DiversityMetric.Disagreement(a, b)).Message);
        using var empty = zeros(0, 2);
        Assert.Throws<ArgumentException>(() => DiversityMetric.Disagreement(empty, empty));
    }
}

public class DiversityLeakTests
{
    [Fact]
    public void DiversityFunctionsLeaveNoLiveTensors()
    {
        var g = new Generator(2);
        using var logits = randn([3, 20, 4], generator: g);
        using var replicates = randn([2, 3, 20, 4], generator: g);
        using var targets = randint(0, 4, [20], generator: g);
        using var x = randn([20, 5], generator: g);
        using var a = new Mlp([(4, 3)]);
        using var b = new Mlp([(4, 3)]);
        using var images = rand([2, 3, 16, 16], generator: g);
        void All()
        {
            DiversityMetric.DisagreementMatrix(logits);
            DiversityMetric.KlDivergenceMatrix(logits);
            DiversityMetric.CorrectnessCorrelationMatrix(logits, targets);
            DiversityMetric.OutputCorrelationMatrix(logits);
            DiversityMetric.Ambiguity(logits, targets);
            DiversityMetric.BiasVarianceCovariance(replicates, targets);
            DiversityMetric.MemberConfusionMatrices(logits, targets);
            DiversityMetric.LinearCka(x, x);
            DiversityMetric.WeightCosine(a, b);
            DiversityMetric.WeightCosineMatrix([ParameterVector.Flatten(a), ParameterVector.Flatten(b)]);
            ParameterVector.Load(b, ParameterVector.Flatten(a));
            HashDiversity.Between(images, images, HashKind.Wavelet);
            HashDiversity.MapRmse(images, images);
        }
        All();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long live = Tensor.TotalCount;
        All();
        Assert.Equal(live, Tensor.TotalCount);
    }
}

public class EnsembleSizeCurveTests
{
    [Fact]
    public void AccuracyOfTheFirstKMembers()
    {
        // 3 members x 3 inputs x 2 classes, probabilities given as logs; targets all class 0.
        // member 0: [.6 .4] [.4 .6] [.4 .6]   member 1: [.4 .6] [.6 .4] [.4 .6]   member 2: [.9 .1] [.9 .1] [.45 .55]
        // k = 1: member 0 right on x0 only -> 1/3
        // k = 2: mean of 0, 1 = [.5 .5] [.5 .5] [.4 .6] -> ties go to class 0: right on x0, x1 -> 2/3
        // k = 3: mean = [.633 .367] [.633 .367] [.417 .583] -> right on x0, x1 -> 2/3
        double[] p = [.6, .4, .4, .6, .4, .6, .4, .6, .6, .4, .4, .6, .9, .1, .9, .1, .45, .55];
        using var logits = tensor(p.Select(v => Math.Log(v)).ToArray(), new long[] { 3, 3, 2 }, ScalarType.Float64);
        using var targets = tensor(new long[] { 0, 0, 0 });
        var curve = DiversityMetric.AccuracyBySize(logits, targets);
        Assert.Equal([1, 2, 3], curve.Select(c => c.Size));
        Assert.Equal(1.0 / 3, curve[0].Accuracy, 12);
        Assert.Equal(2.0 / 3, curve[1].Accuracy, 12);   // the exact ties of k = 2 go to class 0
        Assert.Equal(2.0 / 3, curve[2].Accuracy, 12);
        Assert.All(curve, c => Assert.Equal(0.0, c.Std));
        // averaged over orderings the full ensemble is the same whatever the order
        var averaged = DiversityMetric.AccuracyBySize(logits, targets, orderings: 6, seed: 1);
        Assert.Equal(2.0 / 3, averaged[2].Accuracy, 12);
        Assert.Equal(0.0, averaged[2].Std, 12);
        Assert.Equal(averaged, DiversityMetric.AccuracyBySize(logits, targets, orderings: 6, seed: 1));
    }
}

public class OutputCorrelationDegenerateTests
{
    [Fact]
    public void UniformOutputsCorrelateOneWithThemselvesAndZeroWithOthers()
    {
        // member 0 and 1 output a uniform distribution (constant vector) on the only input; member 2 does not
        using var logits = tensor(new double[] { 0, 0, 0, 5, 5, 5, 1, 2, 3 }, new long[] { 3, 1, 3 });
        var r = DiversityMetric.OutputCorrelationMatrix(logits);
        Assert.Equal(1.0, r[0, 1]); // identical constant vectors
        Assert.Equal(0.0, r[0, 2]);
        Assert.Equal(1.0, r[2, 2], 12);
    }
}
