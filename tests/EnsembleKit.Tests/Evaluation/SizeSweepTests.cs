using EnsembleKit.Data;
using EnsembleKit.Ensembles;
using EnsembleKit.Evaluation;
using EnsembleKit.Metrics;
using EnsembleKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Evaluation;

/// <summary>Ashukha et al.'s equal-size comparison: which members form a size-k ensemble of each method, the scores and DEE of
/// each row against scoring the same members directly, and the deep-ensemble-lowest check with its tie margins.</summary>
public sealed class SizeSweepTests
{
    static TensorDataset Data(int seed)
    {
        manual_seed(seed);
        return new TensorDataset(randn(60, 4), randint(0, 3, 60, dtype: ScalarType.Int64), 3, "random rows");
    }

    static nn.Module<Tensor, Tensor> Linear() => nn.Linear(4, 3);

    static TrainingOptions Quick(int epochs) => new() { Epochs = epochs, BatchSize = 20, LearningRate = 0.1, Progress = ProgressSinks.None };

    [Fact]
    public void MembersFollowEachMethodsProtocol()
    {
        using var train = Data(1);
        manual_seed(2);
        using var deep = new DeepEnsemble(Enumerable.Range(0, 4).Select(_ => Linear()));
        Assert.Equal([0, 1], SizeSweep.Members(deep, 2));
        using var snapshot = SnapshotEnsemble.Train(Linear(), train, Quick(4), cycles: 4, create: Linear);
        Assert.Equal([2, 3], SizeSweep.Members(snapshot, 2));
        Assert.Equal([0, 1, 2, 3], SizeSweep.Members(snapshot, 4));
        using var chain = CyclicSgld.Sample(Linear(), Linear, train, new CyclicSgldOptions
        {
            Cycles = 3,
            EpochsPerCycle = 2,
            SamplesPerCycle = 2,
            BatchSize = 20,
            InitialStepSize = 0.1 / 60,
            ExplorationFraction = 0.5,
            Progress = ProgressSinks.None,
        });
        Assert.Equal(6, chain.Count);
        Assert.Equal([3, 5], SizeSweep.Members(chain, 2));       // the last sample of cycles 2 and 3
        Assert.Equal([1, 3, 5], SizeSweep.Members(chain, 3));    // one a cycle
        Assert.Equal([2, 3, 4, 5], SizeSweep.Members(chain, 4)); // more than the cycles: the last samples
        Assert.Equal([0, 1, 2, 3, 4, 5], SizeSweep.Members(chain, 6));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => SizeSweep.Members(deep, 5));
        Assert.Equal("k", e.ParamName);
        Assert.Contains("has 4 members", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => SizeSweep.Members(deep, 0));
    }

    [Fact]
    public void RowsScoreTheChosenMembersAndReadDeeOffTheDeepEnsemblesCurve()
    {
        using var train = Data(3);
        using var test = Data(4);
        manual_seed(5);
        using var deep = DeepEnsemble.Train(Linear, train, Quick(3), count: 3, seed: 0);
        using var snapshot = SnapshotEnsemble.Train(Linear(), train, Quick(4), cycles: 4, create: Linear);
        IEnsemble[] methods = [deep, snapshot];
        var rows = SizeSweep.Run(methods, test, [2, 1, 2, 5], deep);
        Assert.Equal([("deep ensemble", 1), ("deep ensemble", 2), ("snapshot ensemble", 1), ("snapshot ensemble", 2)],
            rows.Select(r => (r.Method, r.K)));
        using var scope = NewDisposeScope();
        var deepLogits = deep.MemberLogits(test);
        var snapshotLogits = snapshot.MemberLogits(test);
        var curve = Enumerable.Range(1, 3).Select(k => EnsembleEvaluation.EvaluateCombined("d", deepLogits.narrow(0, 0, k), test.Targets, deep.Rule).CalibratedNll).ToList();
        var lastTwo = EnsembleEvaluation.EvaluateCombined("snapshot ensemble", snapshotLogits.narrow(0, 2, 2), test.Targets, snapshot.Rule);
        Assert.Equal(lastTwo, rows[3].Score);
        Assert.Equal(DeepEnsembleEquivalent.FromCurve(curve, lastTwo.CalibratedNll), rows[3].Dee);
        Assert.Equal(curve[1], rows[1].Score.CalibratedNll);
        // from logits computed beforehand, the same rows
        var again = SizeSweep.Run(methods, new Dictionary<string, Tensor> { [deep.Method] = deepLogits, [snapshot.Method] = snapshotLogits }, test.Targets, [1, 2], deep);
        Assert.Equal(rows, again);
    }

    static SizeSweepRow Row(string method, int k, double errorPercent, double calibratedNll) =>
        new(method, k, new ScoreRow(method, k, 1 - errorPercent / 100, 0, 0, 0, calibratedNll), 1);

    [Fact]
    public void LeaderComparesWithTheBestOtherWithinTheTieMargins()
    {
        SizeSweepRow[] rows =
        [
            Row("deep", 5, 10.2, 0.300), Row("snap", 5, 10.0, 0.310), Row("vi", 5, 11.0, 0.298), Row("single", 5, 9.0, 0.200),
            Row("deep", 10, 9.0, 0.280), Row("snap", 10, 9.5, 0.290),
        ];
        var five = SizeSweep.Leader(rows, "deep", ["snap", "vi"], 5);
        Assert.Equal(("snap", "vi", 0.298), (five.BestErrorMethod, five.BestNllMethod, five.BestCalibratedNll));
        Assert.Equal(10.0, five.BestErrorPercent, 12);
        Assert.True(five.ReferenceLowest);                                   // 0.2 points and 0.002 nats behind: ties
        Assert.False(SizeSweep.Leader(rows, "deep", ["snap", "vi"], 5, errorTie: 0.1).ReferenceLowest);
        Assert.False(SizeSweep.Leader(rows, "deep", ["snap", "vi"], 5, nllTie: 0.001).ReferenceLowest);
        Assert.False(SizeSweep.Leader(rows, "deep", ["snap", "vi", "single"], 5).ReferenceLowest);
        var ten = SizeSweep.Leader(rows, "deep", ["snap", "vi"], 10);         // vi has no row at 10
        Assert.Equal("snap", ten.BestErrorMethod);
        Assert.True(ten.ReferenceLowest);
        Assert.Equal("reference", Assert.Throws<ArgumentException>(() => SizeSweep.Leader(rows, "deep", ["snap"], 7)).ParamName);
        Assert.Equal("others", Assert.Throws<ArgumentException>(() => SizeSweep.Leader(rows, "deep", ["nothing"], 5)).ParamName);
    }

    [Fact]
    public void LeadersAreTheLeaderAtEachSizeAndSayWhoLeadsInOneLine()
    {
        SizeSweepRow[] rows =
        [
            Row("deep", 5, 10.2, 0.300), Row("snap", 5, 10.0, 0.310), Row("vi", 5, 11.0, 0.298),
            Row("deep", 10, 9.0, 0.280), Row("snap", 10, 9.5, 0.290),
        ];
        var leaders = SizeSweep.Leaders(rows, "deep", ["snap", "vi"], [5, 10]);
        Assert.Equal([SizeSweep.Leader(rows, "deep", ["snap", "vi"], 5), SizeSweep.Leader(rows, "deep", ["snap", "vi"], 10)], leaders);
        Assert.Equal("k = 5: deep 10.20 % / 0.3000, best other 10.00 % (snap) / 0.2980 (vi)", leaders[0].Summary);
        Assert.False(SizeSweep.Leaders(rows, "deep", ["snap", "vi"], [5], errorTie: 0.1)[0].ReferenceLowest);   // the margins reach Leader
        Assert.Equal("sizes", Assert.Throws<ArgumentException>(() => SizeSweep.Leaders(rows, "deep", ["snap"], [])).ParamName);
        Assert.Throws<ArgumentException>(() => SizeSweep.Leaders(rows, "deep", ["snap"], [5, 7]));
    }

    [Fact]
    public void BadInputIsRefusedNamingTheArgument()
    {
        using var test = Data(6);
        manual_seed(7);
        using var deep = new DeepEnsemble(Enumerable.Range(0, 2).Select(_ => Linear()));
        using var logits = deep.MemberLogits(test);
        var given = new Dictionary<string, Tensor> { [deep.Method] = logits };
        Assert.Equal("methods", Assert.Throws<ArgumentException>(() => SizeSweep.Run([], given, test.Targets, [1], deep)).ParamName);
        var sizes = Assert.Throws<ArgumentException>(() => SizeSweep.Run([deep], given, test.Targets, [1, 0], deep));
        Assert.Equal("sizes", sizes.ParamName);
        Assert.Contains("[1, 0]", sizes.Message);
        Assert.Equal("memberLogits", Assert.Throws<ArgumentException>(() => SizeSweep.Run([deep], new Dictionary<string, Tensor>(), test.Targets, [1], deep)).ParamName);
        // logits with fewer rows than the method has members: named, not a native "index out of range"
        using var oneMember = logits.narrow(0, 0, 1);
        var short_ = Assert.Throws<ArgumentException>(() => SizeSweep.Run([deep], new Dictionary<string, Tensor> { [deep.Method] = oneMember }, test.Targets, [1, 2], deep));
        Assert.Equal("memberLogits", short_.ParamName);
        Assert.Contains($"a row for each of its 2 members; got [1, {test.Count}, ", short_.Message);
        // two different ensembles under one name would share one row key: refused (the same ensemble twice is fine)
        using var other = new DeepEnsemble(Enumerable.Range(0, 2).Select(_ => Linear()));
        var clash = Assert.Throws<ArgumentException>(() => SizeSweep.Run([deep, other], test, [1], deep));
        Assert.Equal("methods", clash.ParamName);
        Assert.Contains("2 different ensembles are named 'deep ensemble'", clash.Message);
        Assert.Equal(2, SizeSweep.Run([deep], given, test.Targets, [1, 2], deep).Count);
    }
}
