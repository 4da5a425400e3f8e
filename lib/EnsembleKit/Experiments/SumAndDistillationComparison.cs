using EnsembleKit.Backend;
using EnsembleKit.Data;
using EnsembleKit.Distillation;
using EnsembleKit.Ensembles;
using EnsembleKit.Evaluation;
using EnsembleKit.Training;
using static TorchSharp.torch;

namespace EnsembleKit.Experiments;

/// <summary>
/// Seed 003's tables (Allen-Zhu &amp; Li, E3.1 for networks, E3.2 for their kernel models) for any architecture: M models
/// trained independently (each scored alone, and their ensemble), the sum of M trained jointly as one network
/// (<see cref="SumOfMembers"/>), knowledge distillation from the ensemble into a fresh model, and self-distillation from
/// the ensemble's first member. <see cref="MultiViewComparison"/> is the same comparison on the theory's patch network.
/// </summary>
public static class SumAndDistillationComparison
{
    /// <summary>
    /// Seeds: <see cref="DeepEnsemble.Train"/> with <see cref="EnsembleSeed"/> (member m: seed + m), the sum built and
    /// trained by <see cref="DeepEnsemble.Train"/> with <see cref="SumSeed"/>, the students built after
    /// <c>manual_seed</c> of <see cref="DistillationSeed"/> and <see cref="SelfDistillationSeed"/> and trained with them.
    /// </summary>
    public const long EnsembleSeed = 0, SumSeed = 50, DistillationSeed = 100, SelfDistillationSeed = 101;

    /// <summary>
    /// Trains and scores the five methods for <paramref name="name"/> on <paramref name="test"/>, in percent. The ensemble
    /// averages probabilities; every network is disposed before it returns. Progress lines carry <paramref name="name"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="models"/> is below 1.</exception>
    public static SumAndDistillationRow Run(string name, Func<nn.Module<Tensor, Tensor>> create, TensorDataset train, TensorDataset test,
        int models, TrainingOptions training, DistillationOptions distillation)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(create);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(distillation);
        if (models < 1) throw new ArgumentOutOfRangeException(nameof(models), $"need at least one model; got {models}.");
        training.Validate();
        distillation.Validate();
        TorchRuntime.EnsureInitialized();

        using var ensemble = DeepEnsemble.Train(create, train, training with { Label = $"{name}: model" }, models, CombinationRule.MeanProbabilities, seed: EnsembleSeed);
        var report = EnsembleEvaluation.Evaluate(ensemble, test);
        using var sum = DeepEnsemble.Train(() => new SumOfMembers(Enumerable.Range(0, models).Select(_ => create()).ToArray()), train,
            training with { Label = $"{name}: sum of {models}" }, count: 1, seed: SumSeed);
        using var student = Student(DistillationSeed);
        KnowledgeDistillation.Train(student, ensemble, train, training with { Label = $"{name}: KD", Seed = DistillationSeed }, distillation);
        using var selfStudent = Student(SelfDistillationSeed);
        KnowledgeDistillation.Train(selfStudent, ensemble.Members[0], train, training with { Label = $"{name}: self-distillation", Seed = SelfDistillationSeed }, distillation);
        return new SumAndDistillationRow(name, report.Members.Select(m => m.Accuracy * 100).ToArray(), report.Ensemble.Accuracy * 100,
            Percent(sum.Members[0]), Percent(student), Percent(selfStudent));

        nn.Module<Tensor, Tensor> Student(long seed)
        {
            manual_seed(seed);
            return create();
        }
        double Percent(nn.Module<Tensor, Tensor> model) => Predict.Accuracy(model, test) * 100;
    }
}
