using EnsembleKit.Backend;
using EnsembleKit.Data;
using EnsembleKit.Distillation;
using EnsembleKit.Ensembles;
using EnsembleKit.Metrics;
using EnsembleKit.Models;
using EnsembleKit.Training;
using static TorchSharp.torch;

namespace EnsembleKit.Experiments;

/// <summary>
/// Seed 003's comparison (Allen-Zhu &amp; Li, E3.5 and E3.3) on one multi-view data set: a single <see cref="PatchNetwork"/>
/// (the mean of the ensemble's members), an ensemble of M, the sum of M trained jointly (<see cref="SumOfMembers"/>),
/// knowledge distillation from the ensemble, and self-distillation from its first member; each scored on the test set, its
/// single-view samples and the training set.
/// </summary>
public static class MultiViewComparison
{
    /// <summary>Seeds: ensemble member m gets <see cref="EnsembleSeed"/> + m, the sum's member i <see cref="SumSeed"/> + i,
    /// the students <see cref="DistillationSeed"/> and <see cref="SelfDistillationSeed"/>.</summary>
    public const long EnsembleSeed = 10, SumSeed = 50, DistillationSeed = 100, SelfDistillationSeed = 101;

    /// <summary>
    /// The five methods' rows for data set <paramref name="name"/>, in the order above; the single model's row is the mean of
    /// the members' rounded accuracies. Every network is disposed before it returns.
    /// </summary>
    public static IReadOnlyList<MultiViewComparisonRow> Run(string name, MultiViewSplit train, MultiViewSplit test, MultiViewComparisonOptions options)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        TorchRuntime.EnsureInitialized();
        int models = options.Models, dimension = (int)train.Data.Inputs.shape[^1], classes = train.Data.ClassCount;
        var training = options.Training;
        var single = test.MultiView.Select((multi, i) => (multi, i)).Where(t => !t.multi).Select(t => (long)t.i).ToArray();
        using var singleIndex = tensor(single);
        var rows = new List<MultiViewComparisonRow>();

        (double Test, double SingleView, double Train) Score(nn.Module<Tensor, Tensor> model)
        {
            using var scope = NewDisposeScope();
            var logits = Predict.Logits(model, test.Data);
            return (Percent(logits, test.Data.Targets),
                single.Length == 0 ? double.NaN : Percent(logits.index_select(0, singleIndex), test.Data.Targets.index_select(0, singleIndex)),
                Percent(Predict.Logits(model, train.Data), train.Data.Targets));
        }
        void Add(string method, (double Test, double SingleView, double Train) s) => rows.Add(new(name, method, s.Test, s.SingleView, s.Train));
        PatchNetwork Fresh(long seed)
        {
            manual_seed(seed);
            return Network();
        }
        PatchNetwork Network() => new(dimension, classes, options.NeuronsPerClass, options.Rho);

        // DeepEnsemble.Train seeds member m with EnsembleSeed + m before it calls the factory.
        using var ensemble = DeepEnsemble.Train(Network, train.Data, training with { Label = $"{name}: model" }, models, CombinationRule.MeanProbabilities, seed: EnsembleSeed);
        var singles = ensemble.Members.Select(Score).ToList();
        Add($"single model (mean of {models})", (Math.Round(singles.Average(r => r.Test), 2), Math.Round(singles.Average(r => r.SingleView), 2), Math.Round(singles.Average(r => r.Train), 2)));
        Add($"ensemble of {models}", Score(ensemble));
        using (var sum = new SumOfMembers(Enumerable.Range(0, models).Select(i => (nn.Module<Tensor, Tensor>)Fresh(SumSeed + i))))
        {
            Trainer.Train(sum, train.Data, training with { Label = $"{name}: sum of {models}", Seed = SumSeed });
            Add($"sum of {models} trained jointly", Score(sum));
        }
        using (var kd = Fresh(DistillationSeed))
        {
            KnowledgeDistillation.Train(kd, ensemble, train.Data, training with { Label = $"{name}: KD", Seed = DistillationSeed }, options.Distillation);
            Add("knowledge distillation from the ensemble", Score(kd));
        }
        using (var selfDistilled = Fresh(SelfDistillationSeed))
        {
            KnowledgeDistillation.Train(selfDistilled, ensemble.Members[0], train.Data, training with { Label = $"{name}: self-distillation", Seed = SelfDistillationSeed }, options.Distillation);
            Add("self-distillation from model 1", Score(selfDistilled));
        }
        return rows;
    }

    static double Percent(Tensor logits, Tensor targets) => Math.Round(Metric.Accuracy(logits, targets) * 100, 2);
}
