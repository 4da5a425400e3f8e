using EnsembleKit.Data;
using EnsembleKit.Evaluation;
using EnsembleKit.Subnetworks;
using EnsembleKit.Training;
using static TorchSharp.torch;

namespace EnsembleKit.Experiments;

/// <summary>
/// Seed 002's E2.5.4 grid: sparse subnetwork ensembles of one parent, made with random (R) or Neural Partitioning (NP,
/// halves) masks and tuned by each recipe given (e.g. plain fine-tuning "FT" and one-cycle "1C"), each scored by
/// <see cref="EnsembleEvaluation.Evaluate(Ensembles.IEnsemble, TensorDataset, int, int)"/>.
/// </summary>
public static class MaskAndTuningGrid
{
    /// <summary>The seed of every ensemble (masks and tuning).</summary>
    public const long Seed = 11;

    /// <summary>
    /// One row per recipe and mask kind, in the order tuning (as given), then R before NP. The parent is left as it is;
    /// each ensemble has <paramref name="children"/> children at <paramref name="sparsity"/>. <paramref name="log"/> gets
    /// one line per row.
    /// </summary>
    /// <exception cref="ArgumentException">No tuning recipe, an unnamed one, an odd child count for NP halves, or a sparsity outside [0, 1).</exception>
    public static IReadOnlyList<MaskAndTuningRow> Run(nn.Module<Tensor, Tensor> parent, Func<nn.Module<Tensor, Tensor>> create, TensorDataset train, TensorDataset test,
        IReadOnlyList<(string Name, TrainingOptions Options)> tunings, int children, double sparsity = 0.5, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(create);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(tunings);
        if (tunings.Count == 0) throw new ArgumentException("give at least one tuning recipe.", nameof(tunings));
        if (tunings.Any(t => string.IsNullOrWhiteSpace(t.Name) || t.Options is null))
            throw new ArgumentException("every tuning recipe needs a name and options.", nameof(tunings));
        if (children < 2 || children % 2 != 0)
            throw new ArgumentException($"NP halves come in pairs: children must be even and at least 2; got {children}.", nameof(children));
        new MaskOptions { Sparsity = sparsity }.Validate();

        var rows = new List<MaskAndTuningRow>();
        foreach (var (name, tuning) in tunings)
            foreach (var sampling in new[] { SubnetworkSampling.Random, SubnetworkSampling.NeuralPartitioning })
            {
                using var ensemble = SparseSubnetworkEnsemble.Train(parent, create, train, new SparseSubnetworkOptions
                {
                    Children = children,
                    Sampling = sampling,
                    Partitions = 2,
                    Mask = new MaskOptions { Sparsity = sparsity },
                    Tuning = tuning with { Seed = Seed },
                    Seed = Seed,
                });
                var report = EnsembleEvaluation.Evaluate(ensemble, test);
                var row = new MaskAndTuningRow(sampling == SubnetworkSampling.Random ? "R" : "NP", name,
                    report.Members.Average(m => m.Accuracy) * 100, report.Ensemble.Accuracy * 100, report.Ensemble.Nll);
                rows.Add(row);
                log?.Invoke($"{row.Masks} + {name}: ensemble {row.Ensemble:F2} %, mean child {row.MeanChild:F2} %");
            }
        return rows;
    }
}
