using EnsembleKit.Experiments;
using EnsembleKit.Models;
using EnsembleKit.Subnetworks;
using EnsembleKit.Training;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Experiments;

/// <summary>
/// <see cref="SseVersusMotherNets"/>: MotherNet children start where their mother is, an SSE child is its steps written out
/// one by one (as notebook 13 wrote them), the mother and parent are left alone, and bad widths are refused.
/// </summary>
public class SseVersusMotherNetsTests
{
    static readonly TrainingOptions Training = new() { Epochs = 2, BatchSize = 50, LearningRate = 0.01, Momentum = 0.9, WeightDecay = 0, Schedule = new ConstantSchedule(), Progress = ProgressSinks.None };

    static Mlp Trained(int width, long seed, EnsembleKit.Data.TensorDataset train)
    {
        manual_seed(seed);
        var model = new Mlp([(784, width), (width, 10)]);
        Trainer.Train(model, train, Training with { Seed = seed });
        return model;
    }

    static float[] Weights(Mlp model) => [.. model.parameters().SelectMany(p => p.data<float>().ToArray())];

    [Fact]
    public void ChildrenFollowTheirMethodsStepByStep()
    {
        using var train = TestSupport.FashionMnistSubset(train: true, 300);
        using var test = TestSupport.FashionMnistSubset(train: false, 200);
        using var mother = Trained(4, 1, train);
        using var parent = Trained(16, 2, train);
        var motherBefore = Weights(mother);
        var parentBefore = Weights(parent);

        var curves = SseVersusMotherNets.Run(mother, parent, childWidth: 8, children: 2, train, test, Training);

        Assert.Equal([("MotherNet", 0), ("MotherNet", 1), ("SSE", 0), ("SSE", 1)], curves.Select(c => (c.Method, c.Child)));
        Assert.All(curves, c => Assert.Equal(Training.Epochs + 1, c.Curve.Length));
        double motherAccuracy = Predict.Accuracy(mother, test) * 100;
        Assert.All(curves.Where(c => c.Method == "MotherNet"), c => Assert.Equal(motherAccuracy, c.Curve[0], 9));   // hatched = the mother's function
        Assert.Equal(motherBefore, Weights(mother));
        Assert.Equal(parentBefore, Weights(parent));

        // SSE child 1, written out.
        var child = WeightSnapshot.Of(parent, "parent").ToModel(() => new Mlp([(784, 16), (16, 10)]));
        var evaluation = new EpochEvaluation(test);
        var hidden = new MaskOptions
        {
            Sparsity = 0.5,
            Structure = MaskStructure.Structured,
            IncludeBiases = true,
            Selector = (name, _) => name.StartsWith("layers.0.", StringComparison.Ordinal),
        };
        using var mask = SubnetworkMask.Sample(child, hidden, seed: 201);
        mask.ApplyTo(child);
        double start = Predict.Accuracy(child, test) * 100;
        using (SubnetworkTuning.Tune(child, mask, train, Training with { Seed = 201, Callbacks = [evaluation] }, new SubnetworkTuningOptions(), seed: 201)) { }
        Assert.Equal([start, .. evaluation.Records.Select(r => r.Accuracy * 100)], curves[3].Curve);
        child.Dispose();
    }

    [Fact]
    public void MeanCurveAveragesEpochByEpoch()
    {
        ChildCurve[] curves = [new("SSE", 0, [60, 80]), new("MotherNet", 0, [70, 75]), new("SSE", 1, [70, 84])];
        Assert.Equal([65.0, 82.0], SseVersusMotherNets.MeanCurve(curves, "SSE"));
        Assert.Equal([70.0, 75.0], SseVersusMotherNets.MeanCurve(curves, "MotherNet"));
        Assert.Contains("'bagging'", Assert.Throws<ArgumentException>(() => SseVersusMotherNets.MeanCurve(curves, "bagging")).Message);
        Assert.Throws<ArgumentException>(() => SseVersusMotherNets.MeanCurve([.. curves, new("SSE", 2, [1.0])], "SSE"));
    }

    [Fact]
    public void WidthsOutsideMotherAndParentAreRefused()
    {
        using var train = TestSupport.FashionMnistSubset(train: true, 20);
        using var mother = new Mlp([(784, 4), (4, 10)]);
        using var parent = new Mlp([(784, 16), (16, 10)]);
        using var deep = new Mlp([(784, 16), (16, 16), (16, 10)]);
        Assert.Throws<ArgumentOutOfRangeException>(() => SseVersusMotherNets.Run(mother, parent, 4, 1, train, train, Training));
        Assert.Throws<ArgumentOutOfRangeException>(() => SseVersusMotherNets.Run(mother, parent, 16, 1, train, train, Training));
        Assert.Throws<ArgumentOutOfRangeException>(() => SseVersusMotherNets.Run(mother, parent, 8, 0, train, train, Training));
        Assert.Throws<ArgumentException>(() => SseVersusMotherNets.Run(mother, deep, 8, 1, train, train, Training));
    }
}
