using EnsembleKit.Backend;
using EnsembleKit.Data;
using EnsembleKit.Ensembles;
using EnsembleKit.Metrics;
using EnsembleKit.Models;
using EnsembleKit.Subnetworks;
using EnsembleKit.Training;
using static TorchSharp.torch;

namespace EnsembleKit.Experiments;

/// <summary>
/// Seed 002's question E2.5.1, "do larger parents tolerate more pruning?": for each parent architecture, one parent is
/// trained, and at each sparsity an ensemble of randomly pruned children (<see cref="SparseSubnetworkEnsemble"/>) is
/// tuned from it; the rows record the parent's, the mean child's and the ensemble's test accuracy.
/// </summary>
public static class ParentSizeSweep
{
    /// <summary>The seed of every parent (<c>torch.manual_seed</c> before it is built, and its training seed).</summary>
    public const long ParentSeed = 0;

    /// <summary>The seed of every child ensemble (masks and tuning).</summary>
    public const long ChildSeed = 7;

    /// <summary>
    /// Rows in the order architecture, then sparsity. Each parent is built by <see cref="ModelRegistry.Create"/> with
    /// <paramref name="shape"/> and trained with <paramref name="parentTraining"/>; each child is tuned with
    /// <paramref name="childTuning"/>. <paramref name="log"/> gets one line per architecture.
    /// </summary>
    /// <exception cref="ArgumentException">No architecture, an unknown one (<see cref="ModelRegistry.Factory"/>'s check), no sparsity, or a sparsity outside [0, 1).</exception>
    public static IReadOnlyList<ParentSizeRow> Run(IReadOnlyList<string> architectures, IReadOnlyList<double> sparsities, int children,
        TensorDataset train, TensorDataset test, TrainingOptions parentTraining, TrainingOptions childTuning, ModelOptions shape, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(architectures);
        ArgumentNullException.ThrowIfNull(sparsities);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(parentTraining);
        ArgumentNullException.ThrowIfNull(childTuning);
        ArgumentNullException.ThrowIfNull(shape);
        if (architectures.Count == 0) throw new ArgumentException("name at least one parent architecture.", nameof(architectures));
        int classes = test.ClassCount;
        var factories = architectures.Select(a => ModelRegistry.Factory(a, classes, shape)).ToList();   // checks every name before any training
        if (sparsities.Count == 0) throw new ArgumentException("give at least one sparsity.", nameof(sparsities));
        foreach (var s in sparsities) new MaskOptions { Sparsity = s }.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(children, 1);
        TorchRuntime.EnsureInitialized();

        double chance = 100.0 / classes;
        var rows = new List<ParentSizeRow>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        foreach (var (architecture, create) in architectures.Zip(factories))
        {
            manual_seed(ParentSeed);
            using var parent = create();
            Trainer.Train(parent, train, parentTraining with { Seed = ParentSeed, Label = architecture });
            double parentAccuracy = Predict.Accuracy(parent, test) * 100;
            long parameters = ModelRegistry.ParameterCount(parent);
            foreach (var sparsity in sparsities)
            {
                using var ensemble = SparseSubnetworkEnsemble.Train(parent, create, train, new SparseSubnetworkOptions
                {
                    Children = children,
                    Sampling = SubnetworkSampling.Random,
                    Mask = new MaskOptions { Sparsity = sparsity },
                    Tuning = childTuning with { Seed = ChildSeed },
                    Seed = ChildSeed,
                });
                using var scope = NewDisposeScope();
                var logits = ensemble.MemberLogits(test);
                double meanChild = Enumerable.Range(0, children).Average(m => Metric.Accuracy(logits[m], test.Targets)) * 100;
                double ensembleAccuracy = Metric.Accuracy(Combine.Probabilities(logits, CombinationRule.MeanProbabilities).log(), test.Targets) * 100;
                rows.Add(new(architecture, parameters, parentAccuracy, sparsity, meanChild, ensembleAccuracy, chance));
            }
            log?.Invoke($"{architecture}: parent {parentAccuracy:F2} %; ensembles "
                + string.Join(", ", rows.Where(c => c.Parent == architecture).Select(c => $"{c.Sparsity:P0} {c.Ensemble:F2}")) + $" ({clock.Elapsed.TotalSeconds:F0} s)");
        }
        return rows;
    }
}
