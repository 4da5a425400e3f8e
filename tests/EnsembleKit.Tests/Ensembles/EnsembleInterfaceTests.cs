using EnsembleKit.Data;
using EnsembleKit.Ensembles;
using EnsembleKit.Models;
using EnsembleKit.Subnetworks;
using EnsembleKit.Training;
using Xunit;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Ensembles;

/// <summary>Every method through <see cref="IEnsemble"/>: member logits agree with each method's own API, and
/// <see cref="EnsembleFile"/> saves and loads them unchanged.</summary>
public sealed class EnsembleInterfaceTests
{
    static Mlp Small() => new([(784, 16), (16, 10)]);
    static Mlp SmallWithDropout() => new([(784, 16), (16, 10)], dropoutRate: 0.3);
    static TrainingOptions Quick(int epochs) => new() { Epochs = epochs, BatchSize = 64, Progress = ProgressSinks.None };

    [Fact]
    public void DeepEnsembleSavesAndLoadsTheSameMembers()
    {
        using var train = TestSupport.FashionMnistSubset(train: true, 256);
        using var test = TestSupport.FashionMnistSubset(train: false, 100);
        using var ensemble = Bagging.Train(Small, train, Quick(1), count: 2, rule: CombinationRule.MeanLogits, seed: 3);
        using var folder = new TempFolder();
        EnsembleFile.Save(ensemble, folder.File("bagged.ensemble"));
        using var loaded = EnsembleFile.Load(folder.File("bagged.ensemble"), Small);

        Assert.Equal("bagging", loaded.Method);
        Assert.Equal(CombinationRule.MeanLogits, loaded.Rule);
        Assert.Equal(2, loaded.Count);
        using var before = ((IEnsemble)ensemble).MemberLogits(test);
        using var after = loaded.MemberLogits(test);
        Assert.Equal([2L, 100, 10], after.shape);
        Assert.True(before.allclose(after, rtol: 0, atol: 0));
    }

    [Fact]
    public void SnapshotEnsemblePredictsWithOrWithoutItsFactoryAndLeavesTheTrainedModelAsItWas()
    {
        using var train = TestSupport.FashionMnistSubset(train: true, 256);
        using var test = TestSupport.FashionMnistSubset(train: false, 100);
        manual_seed(1);
        using var model = Small();
        using var withoutFactory = SnapshotEnsemble.Train(model, train, Quick(2), cycles: 2);
        using var final = WeightSnapshot.Of(model, "final");

        IEnsemble ensemble = withoutFactory;
        Assert.Equal("snapshot ensemble", ensemble.Method);
        Assert.Equal(2, ensemble.Count);
        using var viaInterface = ensemble.MemberLogits(test);
        using var viaFactory = withoutFactory.MemberLogits(Small, test);
        Assert.True(viaInterface.allclose(viaFactory, rtol: 0, atol: 0));
        // The trained model served as the vessel and got its own weights back.
        foreach (var (name, value) in model.state_dict()) Assert.True(value.allclose(final.State[name], rtol: 0, atol: 0), name);

        using var folder = new TempFolder();
        EnsembleFile.Save(ensemble, folder.File("snapshots.ensemble"));
        using var loaded = EnsembleFile.Load(folder.File("snapshots.ensemble"), Small);
        Assert.Equal("snapshot ensemble", loaded.Method);
        using var reloaded = loaded.MemberLogits(test);
        Assert.True(reloaded.allclose(viaFactory, rtol: 0, atol: 0));
    }

    [Fact]
    public void FastGeometricEnsembleKeepsTheFactoryFromTrainingTime()
    {
        using var train = TestSupport.FashionMnistSubset(train: true, 256);
        using var test = TestSupport.FashionMnistSubset(train: false, 50);
        manual_seed(2);
        using var model = Small();
        using var fge = FastGeometricEnsemble.Train(model, train, Quick(1), members: 2, cycleEpochs: 2, highRate: 0.05, lowRate: 0.005, create: Small);
        using var viaInterface = ((IEnsemble)fge).MemberLogits(test);
        using var viaFactory = fge.MemberLogits(Small, test);
        Assert.Equal([2L, 50, 10], viaInterface.shape);
        Assert.True(viaInterface.allclose(viaFactory, rtol: 0, atol: 0));
    }

    [Fact]
    public void McDropoutMembersAreSeededPassesAndSurviveSaving()
    {
        using var test = TestSupport.FashionMnistSubset(train: false, 50);
        manual_seed(4);
        using var model = SmallWithDropout();
        using var ensemble = new McDropoutEnsemble(model, samples: 3, seed: 11);
        using var logits = ensemble.MemberLogits(test);
        using var direct = McDropout.SampleLogits(model, test, 3, seed: 11);
        Assert.True(logits.allclose(direct, rtol: 0, atol: 0));
        Assert.False(logits[0].allclose(logits[1], rtol: 0, atol: 0));

        using var folder = new TempFolder();
        EnsembleFile.Save(ensemble, folder.File("mc.ensemble"));
        using var loaded = EnsembleFile.Load(folder.File("mc.ensemble"), SmallWithDropout);
        Assert.IsType<McDropoutEnsemble>(loaded);
        Assert.Equal(3, loaded.Count);
        using var reloaded = loaded.MemberLogits(test);
        Assert.True(reloaded.allclose(direct, rtol: 0, atol: 0));
        Assert.Throws<ArgumentException>(() => new McDropoutEnsemble(Small(), 3));
        Assert.Equal("samples", Assert.Throws<ArgumentOutOfRangeException>(() => new McDropoutEnsemble(model, 0)).ParamName);
    }

    [Fact]
    public void SwaIsAOneMemberEnsembleOfTheAverage()
    {
        using var train = TestSupport.FashionMnistSubset(train: true, 256);
        using var test = TestSupport.FashionMnistSubset(train: false, 50);
        manual_seed(5);
        using var model = Small();
        using var swa = Swa.Train(model, Small, train, Quick(3), new SwaSchedule(0.05, SwaStartFraction: 0.5));
        IEnsemble ensemble = swa;
        using var logits = ensemble.MemberLogits(test);
        using var direct = Predict.Logits(swa.Averaged, test);
        Assert.Equal(1, ensemble.Count);
        Assert.True(logits[0].allclose(direct, rtol: 0, atol: 0));
        Assert.Equal(swa.AveragedEpochs.ToString(System.Globalization.CultureInfo.InvariantCulture), ensemble.Settings["averaged epochs"]);
    }

    [Fact]
    public void SubnetworkChildrenAreTheMembersWithoutTheParent()
    {
        using var test = TestSupport.FashionMnistSubset(train: false, 50);
        manual_seed(6);
        var children = new List<Mlp> { Small(), Small() };
        using var ensemble = new SubnetworkEnsemble<Mlp>(children, [], [], null, "noisy subnetwork ensemble");
        using var viaInterface = ((IEnsemble)ensemble).MemberLogits(test);
        Assert.Equal("noisy subnetwork ensemble", ((IEnsemble)ensemble).Method);
        // The interface's members are the children, in order, each its own forward pass.
        Assert.Equal(new long[] { 2, 50, 10 }, viaInterface.shape);
        for (int i = 0; i < children.Count; i++)
        {
            using var alone = Predict.Logits(children[i], test);
            Assert.True(viaInterface[i].allclose(alone, rtol: 0, atol: 0), $"child {i}");
        }
        // With the parent passed in, it is member 0 and the children follow unchanged.
        using var parent = Small();
        using var withParent = ensemble.MemberLogits(test, parent);
        using var parentAlone = Predict.Logits(parent, test);
        Assert.Equal(new long[] { 3, 50, 10 }, withParent.shape);
        Assert.True(withParent[0].allclose(parentAlone, rtol: 0, atol: 0));
        Assert.True(withParent.narrow(0, 1, 2).allclose(viaInterface, rtol: 0, atol: 0));
    }

    [Fact]
    public void LoadingRefusesAnotherArchitectureADamagedFileAndATrainingCheckpoint()
    {
        using var folder = new TempFolder();
        using var ensemble = new DeepEnsemble([Small(), Small()]);
        var path = folder.File("deep.ensemble");
        EnsembleFile.Save(ensemble, path);

        var wrong = Assert.Throws<ArgumentException>(() => EnsembleFile.Load(path, () => new Mlp([(784, 32), (32, 10)])));
        Assert.Equal("create", wrong.ParamName);
        Assert.Contains("does not fit the model from the factory", wrong.Message);

        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(folder.File("damaged.ensemble"), bytes);
        Assert.Throws<CheckpointDamagedException>(() => EnsembleFile.Load(folder.File("damaged.ensemble"), Small));

        using var train = TestSupport.FashionMnistSubset(train: true, 64);
        using var model = Small();
        new Trainer(Quick(1) with { CheckpointPath = folder.File("run.ckpt") }).Fit(model, train);
        var notEnsemble = Assert.Throws<CheckpointDamagedException>(() => EnsembleFile.Load(folder.File("run.ckpt"), Small));
        Assert.Contains("not a saved ensemble", notEnsemble.Message);
        Assert.Throws<FileNotFoundException>(() => EnsembleFile.Load(folder.File("missing.ensemble"), Small));
    }
}
