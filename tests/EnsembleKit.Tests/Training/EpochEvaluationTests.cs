using EnsembleKit.Data;
using EnsembleKit.Ensembles;
using EnsembleKit.Metrics;
using EnsembleKit.Models;
using EnsembleKit.Subnetworks;
using EnsembleKit.Training;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Training;

public class EpochEvaluationTests
{
    static TensorDataset Spiral(long seed) => SpiralDataset.Generate(60, 2, noise: 0.05, seed: seed);

    static readonly TrainingOptions Quick = new()
    {
        Epochs = 3,
        BatchSize = 20,
        LearningRate = 0.05,
        Schedule = new ConstantSchedule(),
        Progress = ProgressSinks.None,
    };

    [Fact]
    public void RecordsOneScorePerEpochAndTheLastMatchesTheTrainedModel()
    {
        using var train = Spiral(1);
        using var test = Spiral(2);
        manual_seed(0);
        using var model = new Mlp([(2, 16), (16, 2)]);
        var evaluation = new EpochEvaluation(test);
        new Trainer(Quick with { Callbacks = [evaluation] }).Fit(model, train);
        Assert.Equal([0, 1, 2], evaluation.Records.Select(r => r.Epoch));
        using var logits = Predict.Logits(model, test);
        Assert.Equal(Metric.Accuracy(logits, test.Targets), evaluation.Records[^1].Accuracy, 12);
        using var probs = logits.to(ScalarType.Float64).softmax(1);
        Assert.Equal(Metric.NegativeLogLikelihood(probs, test.Targets), evaluation.Records[^1].Nll, 9);
        Assert.All(evaluation.Records, r => Assert.InRange(r.Accuracy, 0, 1));
        Assert.Throws<ArgumentNullException>(() => new EpochEvaluation(null!));
    }

    [Fact]
    public void DoesNotChangeAStochasticAnnealingRun()
    {
        using var train = Spiral(1);
        using var test = Spiral(2);
        // the same annealing run with and without the evaluation callback ends with the same weights
        double[] Run(bool evaluate, out EpochEvaluation evaluation)
        {
            manual_seed(0);
            using var model = new Mlp([(2, 16), (16, 2)]);
            using var target = SubnetworkMask.Sample(model, new MaskOptions { Sparsity = 0.5 }, seed: 3);
            using var plan = StochasticMask.Temperature(target, 0.5, new AnnealingSchedule(2));
            evaluation = new EpochEvaluation(test);
            var options = evaluate ? Quick with { Callbacks = [evaluation] } : Quick;
            using var result = SubnetworkTuning.Tune(model, plan, train, options, seed: 4);
            Assert.True(target.IsAppliedTo(model));
            return model.parameters().SelectMany(p => p.detach().flatten().data<float>().ToArray()).Select(v => (double)v).ToArray();
        }
        var plain = Run(false, out _);
        var evaluated = Run(true, out var evaluation);
        Assert.Equal(plain, evaluated);
        Assert.Equal(3, evaluation.Records.Count);
    }
}
