using EnsembleKit.Data;
using EnsembleKit.Distillation;
using EnsembleKit.Ensembles;
using EnsembleKit.Experiments;
using EnsembleKit.Models;
using EnsembleKit.Training;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Experiments;

/// <summary>
/// <see cref="SumAndDistillationComparison.Run"/> gives the accuracies of its steps written out one by one (as notebooks 21
/// and 22 wrote them before it existed), derives best, mean and spread by hand, and refuses bad settings.
/// </summary>
public class SumAndDistillationComparisonTests
{
    static readonly TrainingOptions Training = new()
    {
        Epochs = 2,
        BatchSize = 16,
        LearningRate = 0.1,
        Momentum = 0.9,
        WeightDecay = 0,
        Schedule = new ConstantSchedule(),
        Progress = ProgressSinks.None,
    };

    static readonly DistillationOptions Distillation = new() { Alpha = 0.5, Temperature = 3 };

    static (TensorDataset Train, TensorDataset Test) Data()
    {
        var generator = new TorchSharp.torch.Generator(7);
        var inputs = randn([96, 6], generator: generator);
        var weights = randn([6, 3], generator: generator);
        var targets = inputs.matmul(weights).argmax(1);
        return (new TensorDataset(inputs[..64], targets[..64], 3, "train"), new TensorDataset(inputs[64..], targets[64..], 3, "test"));
    }

    static Mlp Create() => new([(6, 8), (8, 3)]);

    static double Percent(nn.Module<Tensor, Tensor> model, TensorDataset test) => Predict.Accuracy(model, test) * 100;

    [Fact]
    public void AccuraciesEqualTheStepsWrittenOut()
    {
        var (train, test) = Data();
        using var _train = train;
        using var _test = test;
        var row = SumAndDistillationComparison.Run("mlp", Create, train, test, models: 3, Training, Distillation);

        using var ensemble = DeepEnsemble.Train(Create, train, Training, 3, CombinationRule.MeanProbabilities, seed: 0);
        Assert.Equal(ensemble.Members.Select(m => Percent(m, test)), row.Singles);
        Assert.Equal(Percent(ensemble, test), row.Ensemble);
        using var sum = DeepEnsemble.Train(() => new SumOfMembers([Create(), Create(), Create()]), train, Training, count: 1, seed: 50);
        Assert.Equal(Percent(sum.Members[0], test), row.Sum);
        manual_seed(100);
        using var student = Create();
        KnowledgeDistillation.Train(student, ensemble, train, Training with { Seed = 100 }, Distillation);
        Assert.Equal(Percent(student, test), row.KnowledgeDistillation);
        manual_seed(101);
        using var selfStudent = Create();
        KnowledgeDistillation.Train(selfStudent, ensemble.Members[0], train, Training with { Seed = 101 }, Distillation);
        Assert.Equal(Percent(selfStudent, test), row.SelfDistillation);
        Assert.Equal("mlp", row.Model);
    }

    [Fact]
    public void BestMeanAndSpreadOfTheSingleModels()
    {
        var row = new SumAndDistillationRow("m", [50.0, 56.0, 59.0], 60, 61, 55, 54);
        Assert.Equal(59.0, row.BestSingle);
        Assert.Equal(55.0, row.MeanSingle, 12);
        // deviations -5, 1, 4: (25 + 1 + 16) / 2 = 21
        Assert.Equal(Math.Sqrt(21), row.SingleStandardDeviation, 12);
        Assert.Equal(0, new SumAndDistillationRow("m", [50.0], 60, 61, 55, 54).SingleStandardDeviation);
    }

    [Fact]
    public void RefusesBadSettings()
    {
        var (train, test) = Data();
        using var _train = train;
        using var _test = test;
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => SumAndDistillationComparison.Run("m", Create, train, test, 0, Training, Distillation));
        Assert.Contains("at least one model; got 0", error.Message);
        Assert.Throws<ArgumentException>(() => SumAndDistillationComparison.Run(" ", Create, train, test, 2, Training, Distillation));
        Assert.ThrowsAny<ArgumentException>(() => SumAndDistillationComparison.Run("m", Create, train, test, 2, Training with { Epochs = 0 }, Distillation));
        Assert.ThrowsAny<ArgumentException>(() => SumAndDistillationComparison.Run("m", Create, train, test, 2, Training, Distillation with { Temperature = 0 }));
    }
}
