using EnsembleKit.Backend;
using EnsembleKit.Data;
using EnsembleKit.Ensembles;
using EnsembleKit.Experiments;
using EnsembleKit.Models;
using EnsembleKit.Training;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Experiments;

/// <summary>
/// <see cref="NineMethods.Train"/> trains Ashukha et al.'s nine methods in Table 3's order with the sizes and seeds its
/// recipe names; methods are checked against the same steps written out by hand.
/// </summary>
public class NineMethodsTests
{
    // 4 epochs: SWAG collects over the second half, and its low-rank term needs at least two iterates.
    static readonly TrainingOptions Recipe = new() { Epochs = 4, BatchSize = 64, Progress = ProgressSinks.None };

    static NineMethodsRecipe Small => NineMethodsRecipe.FashionMnistMlp(Recipe, members: 2, samples: 4, cycleEpochs: 2);

    [Fact]
    public void TrainsTheNineInTableOrderAsTheirStepsWrittenOut()
    {
        using var train = TestSupport.FashionMnistSubset(train: true, 512);
        using var validation = FashionMnist.Load(train: false).Take(256);
        using var nine = NineMethods.Train(Small, train, validation);

        Assert.Equal(["single model", "deep ensemble", "MC dropout", "snapshot ensemble", "fast geometric ensemble", "SWAG", "cyclic SGLD", "VI (FFG)", "KFAC-Laplace"],
            nine.All.Select(m => m.Method));
        // members 2 (deep, snapshot cycles, FGE points), samples 4 (MC dropout, SWAG, VI, KFAC; cyclic SGLD: 2 a cycle).
        Assert.Equal([1, 2, 4, 2, 2, 4, 4, 4, 4], nine.All.Select(m => m.Count));
        Assert.Same(nine.Deep.Members[0], nine.Single.Members[0]);
        Assert.True(nine.KfacPosterior.PriorPrecision > 0);

        using var scope = NewDisposeScope();
        // The deep ensemble: seeds 0 and 1, as DeepEnsemble.Train gives them.
        using var deep = DeepEnsemble.Train(() => Mlp.Seed000(), train, Recipe, count: 2, seed: 0);
        Assert.True(deep.MemberLogits(validation).equal(nine.Deep.MemberLogits(validation)).all().item<bool>());
        // The snapshot run: seed 200, 2 cycles of 2 epochs.
        TorchRuntime.Seed(200);
        using var snapshot = SnapshotEnsemble.Train(Mlp.Seed000(), train, Recipe with { Epochs = 4, Seed = 200, Label = "snapshot run" },
            cycles: 2, create: () => Mlp.Seed000());
        Assert.True(snapshot.MemberLogits(validation).equal(nine.Snapshot.MemberLogits(validation)).all().item<bool>());
        // VI: seed 600, Adam 1e-3 on the negative ELBO, the recipe's 4 epochs.
        TorchRuntime.Seed(600);
        using var variational = MeanFieldMlp.Seed000();
        VariationalInference.Train(variational, train, new TrainingOptions
        {
            Epochs = 4,
            Optimizer = OptimizerKind.Adam,
            LearningRate = 1e-3,
            WeightDecay = 0,
            Seed = 600,
            Label = "VI (FFG)",
            Progress = ProgressSinks.None,
        });
        using var vi = new VariationalEnsemble(variational, 4, seed: 0);
        Assert.True(vi.MemberLogits(validation).allclose(nine.Vi.MemberLogits(validation), rtol: 0, atol: 0));
    }

    [Fact]
    public void TheCifarRecipeIsLeNetSmallWithItsOwnSeedsAndRates()
    {
        var recipe = NineMethodsRecipe.Cifar10LeNetSmall(Recipe, members: 5, samples: 10, cycleEpochs: 2);
        Assert.Equal(1000, recipe.FirstSeed);
        Assert.Equal((0.025, 0.00025, 0.005, 0.25), (recipe.FgeHighRate, recipe.FgeLowRate, recipe.SwagRate, recipe.SgldRate));
        using var net = recipe.Create();
        using var dropout = recipe.CreateWithDropout();
        Assert.Equal(0.0, Assert.IsType<LeNet>(net).DropoutRate);
        Assert.Equal(0.1, Assert.IsType<LeNet>(dropout).DropoutRate);
        Assert.IsType<MeanFieldLeNet>(recipe.CreateVariational());
    }

    [Theory]
    [InlineData(0, 4, 2)]
    [InlineData(2, 0, 2)]
    [InlineData(2, 4, 0)]
    public void NonPositiveSizesAreRefusedBeforeAnyTraining(int members, int samples, int cycleEpochs)
    {
        using var train = TestSupport.FashionMnistSubset(train: true, 64);
        var recipe = NineMethodsRecipe.FashionMnistMlp(Recipe, members, samples, cycleEpochs);
        var refused = Assert.Throws<ArgumentException>(() => NineMethods.Train(recipe, train, train));
        Assert.Contains($"got {members}, {samples} and {cycleEpochs}", refused.Message);
    }
}
