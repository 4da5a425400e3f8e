using EnsembleKit.Data;
using EnsembleKit.Data.Corruptions;
using EnsembleKit.Ensembles;
using EnsembleKit.Evaluation;
using EnsembleKit.Training;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Evaluation;

public sealed class CorruptionEvaluationTests(ITestOutputHelper output)
{
    static readonly string[] Corruptions = ["gaussian_noise", "contrast"];
    static readonly int[] Severities = [2, 5];

    /// <summary>24 grey 8×8 images on the 8-bit grid: the top half brighter than the bottom for class 0, darker for class
    /// 1, by a margin that varies from row to row, plus seeded pixel noise.</summary>
    static TensorDataset Images()
    {
        using var scope = NewDisposeScope();
        var targets = tensor(Enumerable.Range(0, 24).Select(i => (long)(i % 2)).ToArray());
        var margin = linspace(0.02, 0.3, 24).to(ScalarType.Float32) * (1 - 2 * targets.to(ScalarType.Float32));
        var halves = stack([0.5f + margin, 0.5f - margin], 1).repeat_interleave(32, 1);
        var pixels = (halves + 0.05f * randn(24, 64, generator: new Generator(5))).clamp(0, 1);
        var inputs = (pixels * 255).round().div(255).reshape(24, 1, 8, 8);
        return new TensorDataset(inputs.MoveToOuterDisposeScope(), targets.MoveToOuterDisposeScope(), 2, "halves");
    }

    static DeepEnsemble Ensemble() => new([new HalfMeans(8), new HalfMeans(20), new HalfMeans(3)]);

    [Fact]
    public void RowsComeCleanFirstThenCorruptionBySeverityAndMatchEnsembleEvaluation()
    {
        using var clean = Images();
        using var ensemble = Ensemble();
        var report = CorruptionEvaluation.Evaluate(ensemble, clean, Corruptions, Severities, seed: 3);

        // 1 clean set + 2 corruptions × 2 severities, 3 members and the ensemble each.
        Assert.Equal(20, report.Rows.Count);
        var sets = new List<(string, int)> { ("clean", 0), ("gaussian_noise", 2), ("gaussian_noise", 5), ("contrast", 2), ("contrast", 5) };
        Assert.Equal(sets.SelectMany(s => new[] { "member 1", "member 2", "member 3", "ensemble" }.Select(p => $"{s.Item1} {s.Item2} {p}")),
            report.Rows.Select(r => $"{r.Corruption} {r.Severity} {r.Predictor}"));

        // Clean rows are EnsembleEvaluation's numbers, and so is each corrupted set's, generated the same way.
        AssertRows(EnsembleEvaluation.Evaluate(ensemble, clean), report.Rows.Take(4));
        for (int set = 1; set < sets.Count; set++)
        {
            using var corrupted = CorruptedDataset.Create(clean, sets[set].Item1, sets[set].Item2, 3);
            AssertRows(EnsembleEvaluation.Evaluate(ensemble, corrupted), report.Rows.Skip(4 * set).Take(4));
        }
        // The shift is real: every corrupted set scores otherwise than the clean one, and at contrast severity 5 (pixels
        // pulled to the image mean by a factor 0.15) the ensemble's NLL is more than twice its clean NLL.
        Assert.All(report.Rows.Skip(4).Where(r => r.Predictor == "ensemble"), r => Assert.NotEqual(report.Rows[3].Nll, r.Nll));
        Assert.True(report.Rows[19].Nll > 2 * report.Rows[3].Nll, $"contrast s5 NLL {report.Rows[19].Nll}, clean {report.Rows[3].Nll}");
        Assert.Contains("gaussian_noise", report.ToTable());
        output.WriteLine(report.ToTable());
    }

    [Fact]
    public void SeverityMeansAverageOverCorruptions()
    {
        using var clean = Images();
        using var ensemble = Ensemble();
        var report = CorruptionEvaluation.Evaluate(ensemble, clean, Corruptions, Severities, seed: 3);
        var means = report.SeverityMeans();

        Assert.Equal(12, means.Count);
        Assert.Equal(report.Rows.Take(4), means.Take(4));
        foreach (var mean in means.Skip(4))
        {
            Assert.Equal(CorruptionEvaluation.Mean, mean.Corruption);
            var at = report.Rows.Where(r => r.Severity == mean.Severity && r.Predictor == mean.Predictor).ToList();
            Assert.Equal(2, at.Count);
            Assert.Equal((at[0].Accuracy + at[1].Accuracy) / 2, mean.Accuracy, 14);
            Assert.Equal((at[0].Nll + at[1].Nll) / 2, mean.Nll, 14);
            Assert.Equal((at[0].Ece + at[1].Ece) / 2, mean.Ece, 14);
            Assert.Equal((at[0].Brier + at[1].Brier) / 2, mean.Brier, 14);
        }
        Assert.Equal([0, 0, 0, 0, 2, 2, 2, 2, 5, 5, 5, 5], means.Select(m => m.Severity));
        Assert.Contains("mean", report.SeverityTable());
        output.WriteLine(report.SeverityTable());

        // The ensemble's row at a severity: the clean row at 0, the mean over both corruptions' ensemble rows above.
        Assert.Equal(report.Rows.Single(r => r.Severity == 0 && r.Predictor == "ensemble"), report.EnsembleAt(0));
        var atFive = report.Rows.Where(r => r.Severity == 5 && r.Predictor == "ensemble").ToList();
        Assert.Equal(2, atFive.Count);
        Assert.Equal((atFive[0].Accuracy + atFive[1].Accuracy) / 2, report.EnsembleAt(5).Accuracy, 14);
        Assert.Equal((atFive[0].Ece + atFive[1].Ece) / 2, report.EnsembleAt(5).Ece, 14);
        Assert.Contains("severity 3 was not evaluated; the report has 0, 2, 5", Assert.Throws<ArgumentOutOfRangeException>(() => report.EnsembleAt(3)).Message);

        // The mean member: at 0 the three clean member rows averaged, at 5 the six member rows (two corruptions).
        var cleanMembers = report.Rows.Where(r => r.Severity == 0 && r.Predictor.StartsWith("member", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, cleanMembers.Count);
        var meanClean = report.MeanMemberAt(0);
        Assert.Equal((CorruptionEvaluation.Clean, 0, CorruptionEvaluationReport.MeanMember, 1), (meanClean.Corruption, meanClean.Severity, meanClean.Predictor, meanClean.Members));
        Assert.Equal(cleanMembers.Sum(r => r.Accuracy) / 3, meanClean.Accuracy, 14);
        Assert.Equal(cleanMembers.Sum(r => r.Brier) / 3, meanClean.Brier, 14);
        var membersAtFive = report.Rows.Where(r => r.Severity == 5 && r.Predictor.StartsWith("member", StringComparison.Ordinal)).ToList();
        Assert.Equal(6, membersAtFive.Count);
        var meanAtFive = report.MeanMemberAt(5);
        Assert.Equal(CorruptionEvaluation.Mean, meanAtFive.Corruption);
        Assert.Equal(membersAtFive.Sum(r => r.Nll) / 6, meanAtFive.Nll, 14);
        Assert.Equal(membersAtFive.Sum(r => r.Ece) / 6, meanAtFive.Ece, 14);
        Assert.Contains("severity 1 was not evaluated", Assert.Throws<ArgumentOutOfRangeException>(() => report.MeanMemberAt(1)).Message);
    }

    [Fact]
    public void IsDeterministicUnderTheSeedAndTheLoaderOverloadAgrees()
    {
        using var clean = Images();
        using var ensemble = Ensemble();
        var first = CorruptionEvaluation.Evaluate(ensemble, clean, Corruptions, Severities, seed: 3);
        var second = CorruptionEvaluation.Evaluate(ensemble, clean, Corruptions, Severities, seed: 3);
        Assert.Equal(first.Rows, second.Rows);
        var otherSeed = CorruptionEvaluation.Evaluate(ensemble, clean, Corruptions, Severities, seed: 4);
        // Gaussian noise is random, contrast is not.
        Assert.NotEqual(first.Rows.Where(r => r.Corruption == "gaussian_noise"), otherSeed.Rows.Where(r => r.Corruption == "gaussian_noise"));
        Assert.Equal(first.Rows.Where(r => r.Corruption == "contrast"), otherSeed.Rows.Where(r => r.Corruption == "contrast"));

        var loaded = CorruptionEvaluation.Evaluate(ensemble, clean, Corruptions, Severities, (c, s) => CorruptedDataset.Create(clean, c, s, 3));
        Assert.Equal(first.Rows, loaded.Rows);
    }

    [Fact]
    public void PreparesEverySetAndReportsProgress()
    {
        using var clean = Images();
        using var ensemble = Ensemble();
        var plain = CorruptionEvaluation.Evaluate(ensemble, clean, Corruptions, Severities, seed: 3);
        var shapes = new List<string>();
        var updates = new List<ProgressUpdate>();
        var flattened = CorruptionEvaluation.Evaluate(ensemble, clean, Corruptions, Severities, seed: 3,
            prepare: d =>
            {
                shapes.Add(string.Join("x", d.Inputs.shape));
                return new TensorDataset(d.Inputs.reshape(d.Inputs.shape[0], 64), d.Targets.clone(), d.ClassCount, d.Name);
            },
            progress: new Recorder(updates));

        // HalfMeans reads flattened rows the same way, so flattening changes nothing but the layout the members see.
        Assert.Equal(plain.Rows, flattened.Rows);
        Assert.Equal(5, shapes.Count);
        Assert.All(shapes, s => Assert.Equal("24x1x8x8", s));
        Assert.Equal([1, 2, 3, 4, 5], updates.Select(u => u.Done));
        Assert.All(updates, u => Assert.Equal(5, u.Total));
        Assert.Equal([false, false, false, false, true], updates.Select(u => u.Finished));
        Assert.StartsWith("contrast s5: ensemble acc", updates[^1].Status);
    }

    [Fact]
    public void SeveralEnsemblesShareEachShiftedSetAndGetTheirOwnReports()
    {
        using var clean = Images();
        using var first = Ensemble();
        using var second = new DeepEnsemble([new HalfMeans(5), new HalfMeans(11)], CombinationRule.MeanLogits, method: "second");
        int loads = 0;
        TensorDataset Load(string corruption, int severity)
        {
            loads++;
            return CorruptedDataset.Create(clean, corruption, severity, 3);
        }
        var both = CorruptionEvaluation.Evaluate([first, second], clean, Corruptions, Severities, Load);
        Assert.Equal(4, loads);   // once per (corruption, severity), not once per ensemble
        Assert.Equal(["deep ensemble", "second"], both.Select(r => r.Method));
        Assert.Equal(CombinationRule.MeanLogits, both[1].Rule);
        // Each report is exactly what scoring that ensemble alone gives, with the seeded overload too.
        foreach (var (ensemble, report) in new IEnsemble[] { first, second }.Zip(both))
        {
            var alone = CorruptionEvaluation.Evaluate(ensemble, clean, Corruptions, Severities, seed: 3);
            Assert.Equal(alone.Rows, report.Rows);
        }
        var seeded = CorruptionEvaluation.Evaluate([first, second], clean, Corruptions, Severities, seed: 3);
        Assert.Equal(both[0].Rows, seeded[0].Rows);
        Assert.Equal(both[1].Rows, seeded[1].Rows);
        Assert.Equal(5 * 3, both[1].Rows.Count);   // 5 sets x (2 members + ensemble)
    }

    [Fact]
    public void RefusesAnEmptyOrHoleyListOfEnsembles()
    {
        using var clean = Images();
        using var ensemble = Ensemble();
        Assert.Equal("ensembles", Assert.Throws<ArgumentException>(() =>
            CorruptionEvaluation.Evaluate([], clean, Corruptions, Severities, seed: 0)).ParamName);
        var hole = Assert.Throws<ArgumentNullException>(() =>
            CorruptionEvaluation.Evaluate([ensemble, null!], clean, Corruptions, Severities, seed: 0));
        Assert.Contains("entry 1", hole.Message);
    }

    [Fact]
    public void RefusesBadInputNamingTheArgumentAndValue()
    {
        using var clean = Images();
        using var ensemble = Ensemble();
        CorruptionEvaluationReport Run(string[] corruptions, int[] severities) =>
            CorruptionEvaluation.Evaluate(ensemble, clean, corruptions, severities, seed: 0);

        var unknown = Assert.Throws<ArgumentException>(() => Run(["gaussian_noise", "fog2"], [1]));
        Assert.Equal("corruptions", unknown.ParamName);
        Assert.Contains("'fog2'", unknown.Message);
        Assert.Equal("corruptions", Assert.Throws<ArgumentException>(() => Run(["frost"], [1])).ParamName);
        Assert.Equal("corruptions", Assert.Throws<ArgumentException>(() => Run([], [1])).ParamName);
        Assert.Contains("twice", Assert.Throws<ArgumentException>(() => Run(["contrast", "contrast"], [1])).Message);
        foreach (int severity in new[] { 0, 6 })
        {
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => Run(["contrast"], [1, severity]));
            Assert.Equal("severities", e.ParamName);
            Assert.Equal(severity, e.ActualValue);
        }
        Assert.Equal("severities", Assert.Throws<ArgumentException>(() => Run(["contrast"], [])).ParamName);
        Assert.Equal("severities", Assert.Throws<ArgumentException>(() => Run(["contrast"], [3, 3])).ParamName);
        var wrongCount = Assert.Throws<ArgumentException>(() =>
            CorruptionEvaluation.Evaluate(ensemble, clean, ["contrast"], [1], (c, s) => clean.Take(10)));
        Assert.Equal("load", wrongCount.ParamName);
        Assert.Contains("10 rows", wrongCount.Message);
    }

    [Fact]
    public void LeavesNoLiveTensors()
    {
        using var clean = Images();
        using var ensemble = Ensemble();
        void Run()
        {
            CorruptionEvaluation.Evaluate(ensemble, clean, Corruptions, [1], seed: 1,
                prepare: d => new TensorDataset(d.Inputs.reshape(d.Inputs.shape[0], 64), d.Targets.clone(), d.ClassCount, d.Name));
            Assert.Throws<ArgumentException>(() => CorruptionEvaluation.Evaluate(ensemble, clean, ["contrast"], [1], (c, s) => clean.Take(10)));
        }
        Run();
        long before = TestSupport.LiveTensorCount();
        for (int i = 0; i < 3; i++) Run();
        Assert.Equal(before, Tensor.TotalCount);
    }

    static void AssertRows(EnsembleReport expected, IEnumerable<CorruptionRow> rows)
    {
        var actual = rows.ToList();
        Assert.Equal(expected.Rows.Select(r => (r.Name, r.Members, r.Accuracy, r.Nll, r.Ece, r.Brier)),
            actual.Select(r => (r.Predictor, r.Members, r.Accuracy, r.Nll, r.Ece, r.Brier)));
    }

    sealed class Recorder(List<ProgressUpdate> updates) : IProgressSink
    {
        public void Report(ProgressUpdate update) => updates.Add(update);
    }
}
