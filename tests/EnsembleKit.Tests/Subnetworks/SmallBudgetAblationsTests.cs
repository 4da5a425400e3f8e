using EnsembleKit.Models;
using EnsembleKit.Subnetworks;
using EnsembleKit.Training;
using Net = TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>;

namespace EnsembleKit.Tests.Subnetworks;

/// <summary>Notebook 10's ablations from the parent of a tiny small-budget run.</summary>
public sealed class SmallBudgetAblationsTests
{
    static readonly SmallBudgetOptions Tiny = new()
    {
        Budget = 4,
        Members = 2,
        McSamples = 2,
        Training = new SmallBudgetOptions().Training with { BatchSize = 20, Progress = ProgressSinks.None },
    };

    static Net Create() => new Mlp([(2, 16), (16, 16), (16, 2)]);

    [Fact]
    public void AblationsStructureAndSizeCurveFromOneParent()
    {
        using var train = SubnetFixtures.SpiralData(40, seed: 1);
        using var test = SubnetFixtures.SpiralData(30, seed: 2);
        var run = SmallBudgetComparison.Run("spiral", Create, () => new Mlp([(2, 16), (16, 16), (16, 2)], dropoutRate: 0.5), train, test, Tiny, seed: 5);
        try
        {
            var rows = SmallBudgetAblations.Run(run, Create, train, test, Tiny, thirdsChildren: 3);
            Assert.Equal(["R, sparsity 0.25, 1C", "R, sparsity 0.5, 1C", "R, sparsity 0.75, 1C", "NP 1/2, 1C", "NP 1/3, 1C",
                "R, sparsity 0.5, FT", "NP 1/2, FT", "NP 1/2, 1C, 2 epochs", "NP 1/2, 1C, 4 epochs"], rows.Select(r => r.Setting));
            Assert.Equal([2, 2, 2, 2, 3, 2, 2, 2, 2], rows.Select(r => r.Children));
            // The run's own children are scored as they are.
            Assert.Equal(SubnetworkAblationRow.Of("R, sparsity 0.5, 1C", run.Random, test), rows[1]);
            Assert.Equal(SubnetworkAblationRow.Of("NP 1/2, 1C", run.Partitioned, test), rows[3]);
            Assert.True(rows[0].ChildWeightSparsity < rows[1].ChildWeightSparsity && rows[1].ChildWeightSparsity < rows[2].ChildWeightSparsity);
            Assert.True(rows[4].ChildWeightSparsity > rows[3].ChildWeightSparsity);   // thirds keep 1/3 of each tensor
            Assert.Equal(rows[3].ChildWeightSparsity, rows[^1].ChildWeightSparsity);
            Assert.Throws<ArgumentException>(() => SmallBudgetAblations.Run(run, Create, train, test, Tiny, thirdsChildren: 4));

            var structure = SmallBudgetAblations.Structure(run, Create, train, test, Tiny, [0.25, 0.5], rows.Take(2).ToList());
            Assert.Equal([0.25, 0.5], structure.Select(r => r.Sparsity));
            Assert.Equal(rows[1].EnsembleAccuracy, structure[1].UnstructuredEnsemble);
            Assert.Equal(rows[0].MeanChildAccuracy, structure[0].UnstructuredChild);
            Assert.All(structure, r => Assert.InRange(r.StructuredEnsemble, 0, 100));
            Assert.Throws<ArgumentException>(() => SmallBudgetAblations.Structure(run, Create, train, test, Tiny, [0.25], rows.Take(2).ToList()));
            Assert.Throws<ArgumentOutOfRangeException>(() => SmallBudgetAblations.Structure(run, Create, train, test, Tiny, [1.0], rows.Take(1).ToList()));

            var curve = SmallBudgetAblations.SizeCurve(run, Create, train, test, Tiny, children: 4, orderings: 3);
            Assert.Equal([1, 2, 3, 4], curve.Select(p => p.Size));
            Assert.All(curve, p => Assert.InRange(p.Accuracy, 0, 1));
            Assert.Equal(0, curve[^1].Std, 12);   // every order of all four members is the same ensemble
            Assert.Throws<ArgumentException>(() => SmallBudgetAblations.SizeCurve(run, Create, train, test, Tiny, children: 3));
        }
        finally
        {
            run.Parent.Dispose();
            run.Random.Dispose();
            run.Partitioned.Dispose();
        }
    }

    [Fact]
    public void StructureRowPairsTheTwoRows()
    {
        var u = new SubnetworkAblationRow("u", 2, 0.5, 10, 20, 40.5, 45.25);
        var s = new SubnetworkAblationRow("s", 2, 0.5, 10, 20, 38, 41.5);
        Assert.Equal(new SubnetworkStructureRow(0.5, 40.5, 45.25, 38, 41.5), SubnetworkStructureRow.Of(0.5, u, s));
        Assert.Throws<ArgumentNullException>(() => SubnetworkStructureRow.Of(0.5, u, null!));
    }
}
