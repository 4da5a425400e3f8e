using EnsembleKit.Data;
using Net = TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>;

namespace EnsembleKit.Subnetworks;

/// <summary>
/// Seed 002's chapter 5 ablations (claim 11) from the parent of one <see cref="SmallBudgetComparison"/> run: fresh sets
/// of children tuned from <see cref="SmallBudgetRun.Parent"/> beside the run's own R and NP ensembles.
/// </summary>
public static partial class SmallBudgetAblations
{
    /// <summary>
    /// The sparsity, partition, tuning and tuning-length ablations, nine rows in this order (each set of children trained
    /// and scored in turn): "R, sparsity 0.25, 1C" (seed 500), "R, sparsity 0.5, 1C" (the run's R children),
    /// "R, sparsity 0.75, 1C" (seed 500), "NP 1/2, 1C" (the run's NP children), "NP 1/3, 1C" (seed 600,
    /// <paramref name="thirdsChildren"/> children of three disjoint masks), "R, sparsity 0.5, FT" and "NP 1/2, FT"
    /// (seed 700, tuned at the constant rate of <paramref name="options"/>' training recipe), "NP 1/2, 1C, 2 epochs" and
    /// "NP 1/2, 1C, 4 epochs" (seed 800, over the budget). Children options come from
    /// <see cref="SmallBudgetComparison.ChildOptions"/>; the children trained here are disposed after scoring.
    /// </summary>
    /// <param name="run">The comparison run whose parent and R / NP ensembles the ablations start from.</param>
    /// <param name="create">Makes a fresh model of the parent's architecture.</param>
    /// <param name="train">The set the children are tuned on (the run's training set).</param>
    /// <param name="test">The set every row is scored on.</param>
    /// <param name="options">The run's options (members, child epochs, training and tuning recipes).</param>
    /// <param name="thirdsChildren">Children of the NP 1/3 setting: a positive multiple of 3.</param>
    public static IReadOnlyList<SubnetworkAblationRow> Run(SmallBudgetRun run, Func<Net> create, TensorDataset train, TensorDataset test,
        SmallBudgetOptions options, int thirdsChildren)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(create);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(options);
        if (thirdsChildren <= 0 || thirdsChildren % 3 != 0)
            throw new ArgumentException($"NP 1/3 needs whole triples of children; got {thirdsChildren}.", nameof(thirdsChildren));
        var constant = options.Training with { Epochs = options.Budget };
        var oneCycle = options.Tuning;
        SparseSubnetworkOptions Sse(long seed, SubnetworkSampling sampling) => SmallBudgetComparison.ChildOptions(options, seed, sampling);
        SubnetworkAblationRow Fresh(string setting, SparseSubnetworkOptions o)
        {
            using var children = SparseSubnetworkEnsemble.Train(run.Parent, create, train, o);
            return SubnetworkAblationRow.Of(setting, children, test);
        }
        const SubnetworkSampling R = SubnetworkSampling.Random, NP = SubnetworkSampling.NeuralPartitioning;
        int epochs = options.ChildEpochs;
        return
        [
            Fresh("R, sparsity 0.25, 1C", Sse(500, R) with { Mask = new MaskOptions { Sparsity = 0.25 } }),
            SubnetworkAblationRow.Of("R, sparsity 0.5, 1C", run.Random, test),
            Fresh("R, sparsity 0.75, 1C", Sse(500, R) with { Mask = new MaskOptions { Sparsity = 0.75 } }),
            SubnetworkAblationRow.Of("NP 1/2, 1C", run.Partitioned, test),
            Fresh("NP 1/3, 1C", Sse(600, NP) with { Partitions = 3, Children = thirdsChildren }),
            Fresh("R, sparsity 0.5, FT", Sse(700, R) with { Tuning = constant with { Epochs = epochs, Seed = 700 } }),
            Fresh("NP 1/2, FT", Sse(700, NP) with { Tuning = constant with { Epochs = epochs, Seed = 700 } }),
            Fresh("NP 1/2, 1C, 2 epochs", Sse(800, NP) with { Tuning = oneCycle with { Epochs = 2 * epochs, Seed = 800 } }),
            Fresh("NP 1/2, 1C, 4 epochs", Sse(800, NP) with { Tuning = oneCycle with { Epochs = 4 * epochs, Seed = 800 } }),
        ];
    }
}
