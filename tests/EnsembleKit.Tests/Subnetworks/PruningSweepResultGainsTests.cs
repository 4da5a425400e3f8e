using EnsembleKit.Subnetworks;
using EnsembleKit.Training;

namespace EnsembleKit.Tests.Subnetworks;

/// <summary>The sweep summaries notebook 11 prints: gains over one-shot pruning and the sparsity reached.</summary>
public sealed class PruningSweepResultGainsTests
{
    const string Temperature = "temperature annealing";

    static PruningSweepResult Sweep()
    {
        var runs = new List<PruningSweepRun>();
        void Add(string method, double sparsity, string setting, int seed, double accuracy, double reached) =>
            runs.Add(new("Random", "constant", method, sparsity, setting, seed, accuracy, [new EvaluationRecord(0, accuracy, 1)], 1, reached));
        Add(PruningMethodSweep.OneShot, 0.5, "", 0, 0.80, 0.49);
        Add(PruningMethodSweep.OneShot, 0.5, "", 1, 0.82, 0.495);
        Add(PruningMethodSweep.OneShot, 0.9, "", 0, 0.60, 0.89);
        Add(Temperature, 0.9, "A", 0, 0.70, 0.9);
        Add(Temperature, 0.9, "B", 0, 0.75, 0.88);
        return new PruningSweepResult(runs);
    }

    [Fact]
    public void GainsListEachSparsityAgainstTheBaseline()
    {
        var sweep = Sweep();
        Assert.Equal($"{0.9:P0}: 75.00 vs 60.00", sweep.Gains("Random", "constant", Temperature, [0.9]));
        Assert.Equal($"{0.5:P0}: 81.00 vs 81.00, {0.9:P0}: 60.00 vs 60.00",
            sweep.Gains("Random", "constant", PruningMethodSweep.OneShot, [0.5, 0.9]));
        Assert.Throws<ArgumentException>(() => sweep.Gains("Random", "constant", Temperature, [0.5]));
        Assert.Throws<ArgumentNullException>(() => sweep.Gains("Random", "constant", Temperature, null!));
    }

    [Fact]
    public void SparsityReachedGivesTheRangePerTarget()
    {
        Assert.Equal($"{0.5:P0} -> {0.49:P2}..{0.495:P2}, {0.9:P0} -> {0.88:P2}..{0.9:P2}", Sweep().SparsityReached());
    }
}
