using EnsembleKit.Ensembles;
using EnsembleKit.Experiments;
using EnsembleKit.Models;
using EnsembleKit.Subnetworks;
using EnsembleKit.Training;

namespace EnsembleKit.Tests.Experiments;

/// <summary>
/// <see cref="SseVersusDropout"/>: the two curves are the steps notebook 14 used to write out by hand, the SSE child keeps
/// half of its neurons, roughness is checked by hand, and bad input is refused.
/// </summary>
public class SseVersusDropoutTests
{
    static readonly TrainingOptions Adam = new() { Epochs = 2, Optimizer = OptimizerKind.Adam, LearningRate = 0.001, WeightDecay = 0, BatchSize = 50, Schedule = new ConstantSchedule(), Progress = ProgressSinks.None };


    static double[] Curve(EpochEvaluation evaluation) => [.. evaluation.Records.Select(r => r.Accuracy * 100)];

    [Fact]
    public void CurvesAreTheNotebooksStepsWrittenOut()
    {
        using var train = TestSupport.FashionMnistImages(train: true, 200);
        using var test = TestSupport.FashionMnistImages(train: false, 100);

        var dropout = SseVersusDropout.DropoutCurve("lenet-s", train, test, Adam, ModelOptions.Mnist);
        var sse = SseVersusDropout.SseCurve("lenet-s", train, test, Adam, ModelOptions.Mnist, halfEpochs: 1);

        var dropoutEvaluation = new EpochEvaluation(test);
        using var dropoutModel = DeepEnsemble.TrainMember(() => ModelRegistry.Create("lenet-s", 10, ModelOptions.Mnist with { DropoutRate = 0.5 }), train,
            Adam with { Callbacks = [dropoutEvaluation] }, index: 0, count: 1, seed: 0).Model;
        Assert.Equal(Curve(dropoutEvaluation), dropout);

        var parentEvaluation = new EpochEvaluation(test);
        using var child = DeepEnsemble.TrainMember(() => ModelRegistry.Create("lenet-s", 10, ModelOptions.Mnist), train,
            Adam with { Epochs = 1, Callbacks = [parentEvaluation] }, index: 0, count: 1, seed: 0).Model;
        using var mask = SubnetworkMask.Sample(child, new MaskOptions
        {
            Sparsity = 0.5,
            Structure = MaskStructure.Structured,
            IncludeBiases = true,
            Selector = (name, p) => !name.StartsWith("classifier.", StringComparison.Ordinal) && (p.dim() >= 2 || name.EndsWith(".bias", StringComparison.Ordinal)),
        }, seed: 1);
        mask.ApplyTo(child);
        Assert.Equal(Predict.Accuracy(child, test) * 100, sse.AfterPruning);
        var childEvaluation = new EpochEvaluation(test);
        using var tuned = SubnetworkTuning.Tune(child, mask, train, Adam with { Epochs = 1, Seed = 1, Label = "SSE child", Callbacks = [childEvaluation] },
            new SubnetworkTuningOptions(), seed: 1);
        Assert.Equal([.. Curve(parentEvaluation), .. Curve(childEvaluation)], sse.Curve);
        Assert.Equal(SubnetworkReport.Measure(child, "SSE child"), sse.Size);
        Assert.True(sse.Size.NonZero < sse.Size.Parameters);
    }

    [Fact]
    public void RoughnessIsTheMeanAbsoluteChangeAtTheEnd()
    {
        // last 2 changes of 50, 60, 55, 58: |55 − 60| = 5 and |58 − 55| = 3, mean 4
        Assert.Equal(4, SseVersusDropout.Roughness([50, 60, 55, 58], changes: 2), 12);
        Assert.Equal(6, SseVersusDropout.Roughness([50, 60, 55, 58], changes: 3), 12);
        Assert.Throws<ArgumentOutOfRangeException>(() => SseVersusDropout.Roughness([50, 60], changes: 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => SseVersusDropout.Roughness([50, 60], changes: 0));
    }

    [Fact]
    public void RefusesAnUnknownArchitecture()
    {
        using var data = TestSupport.FashionMnistImages(train: true, 10);
        Assert.Contains("no-such-net", Assert.Throws<ArgumentException>(() => SseVersusDropout.DropoutCurve("no-such-net", data, data, Adam, ModelOptions.Mnist)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => SseVersusDropout.SseCurve("lenet-s", data, data, Adam, ModelOptions.Mnist, halfEpochs: 0));
    }
}
