using System.Text.Json.Nodes;
using EnsembleKit.Plotting;
using EnsembleKit.Subnetworks;
using EnsembleKit.Training;
using Plotly.NET;

namespace EnsembleKit.Tests.Plotting;

/// <summary>Notebook 11's tables and charts of a pruning sweep, on a hand-made sweep whose best settings are known.</summary>
public sealed class PruningSweepTablesTests
{
    const string Temperature = "temperature annealing", A = "ε=2, τ₀=0.5", B = "ε=3, τ₀=0.5";

    /// <summary>
    /// Random pruning, constant rate, two seeds a setting. One-shot: 0.81 at 50 %, 0.61 at 90 %. Temperature annealing: at
    /// 50 % setting A (0.84) beats B (0.83), at 90 % B (0.75) beats A (0.71).
    /// </summary>
    static PruningSweepResult Sweep()
    {
        var runs = new List<PruningSweepRun>();
        void Add(string method, double sparsity, string setting, double first, double second)
        {
            runs.Add(new("Random", "constant", method, sparsity, setting, 0, first, [new EvaluationRecord(0, first - 0.1, 1), new EvaluationRecord(1, first, 0.9)], 1, sparsity));
            runs.Add(new("Random", "constant", method, sparsity, setting, 1, second, [new EvaluationRecord(0, 0, 2), new EvaluationRecord(1, second, 1)], 1, sparsity));
        }
        Add(PruningMethodSweep.OneShot, 0.5, "", 0.80, 0.82);
        Add(PruningMethodSweep.OneShot, 0.9, "", 0.60, 0.62);
        Add(Temperature, 0.5, A, 0.83, 0.85);
        Add(Temperature, 0.5, B, 0.86, 0.80);
        Add(Temperature, 0.9, A, 0.70, 0.72);
        Add(Temperature, 0.9, B, 0.74, 0.76);
        return new PruningSweepResult(runs);
    }

    static readonly string[] Methods = [PruningMethodSweep.OneShot, Temperature];
    static readonly double[] Sparsities = [0.5, 0.9];

    static double[] Values(JsonNode trace, string axis) => trace[axis]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();

    [Fact]
    public void BestTableHasAColumnASparsityWithEachMethodsBestMean()
    {
        var frame = Tables.PruningSweepBest(Sweep(), "Random", "constant", Methods, Sparsities);
        Assert.Equal(["method", $"{0.5:P0}", $"{0.9:P0}"], frame.Columns.Select(c => c.Name));
        Assert.Equal(Methods, frame.Columns["method"].Cast<string>());
        Assert.Equal([0.81, 0.84], frame.Columns[$"{0.5:P0}"].Cast<double>());
        Assert.Equal([0.61, 0.75], frame.Columns[$"{0.9:P0}"].Cast<double>());
        Assert.Throws<ArgumentException>(() => Tables.PruningSweepBest(Sweep(), "Magnitude", "constant", Methods, Sparsities));
    }

    [Fact]
    public void SeedsAndPaperTablesShowTheBestSettingsNumbers()
    {
        var seeds = Tables.PruningSweepSeeds(Sweep(), "Random", "constant", Methods, Sparsities);
        Assert.Equal(["Sparsity", "Method", "MeanAccuracy", "PerSeed"], seeds.Columns.Select(c => c.Name));
        Assert.Equal([81.0, 84.0, 61.0, 75.0], seeds.Columns["MeanAccuracy"].Cast<double>());
        Assert.Equal("83.00 / 85.00", seeds.Columns["PerSeed"][1]);
        Assert.Equal("74.00 / 76.00", seeds.Columns["PerSeed"][3]);

        var paper = new Dictionary<(string, double), double>
        {
            [(PruningMethodSweep.OneShot, 0.5)] = 0.640,
            [(PruningMethodSweep.OneShot, 0.9)] = 0.553,
            [(Temperature, 0.5)] = 0.658,
            [(Temperature, 0.9)] = 0.595,
        };
        var versus = Tables.PruningSweepVersusPaper(Sweep(), "Random", "constant", Methods, Sparsities, paper);
        Assert.Equal(["Sparsity", "Method", "Paper", "PaperGainOverOneShot", "ThisRun", "ThisRunGainOverOneShot", "Setting"], versus.Columns.Select(c => c.Name));
        Assert.Equal([0.0, 1.8, 0.0, 4.2], versus.Columns["PaperGainOverOneShot"].Cast<double>());
        Assert.Equal([0.0, 3.0, 0.0, 14.0], versus.Columns["ThisRunGainOverOneShot"].Cast<double>());
        Assert.Equal(["", A, "", B], versus.Columns["Setting"].Cast<string>());
        paper.Remove((Temperature, 0.9));
        Assert.Throws<KeyNotFoundException>(() => Tables.PruningSweepVersusPaper(Sweep(), "Random", "constant", Methods, Sparsities, paper));
        // the library's copy of Table 6.1 covers every method at every sparsity of the default grid
        Assert.All(PruningMethodSweep.Methods, m => Assert.All(new PruningSweepOptions().Sparsities, s => Assert.True(PruningMethodSweep.Table61.ContainsKey((m, s)))));
        Assert.Equal(0.463, PruningMethodSweep.Table61[(Temperature, 0.98)]);
    }

    [Fact]
    public void ChartsDrawAccuracyGainAndTheBestSettingsCurves()
    {
        var accuracy = JsonNode.Parse(GenericChart.toJson(Charts.PruningSweep(Sweep(), "Random", "constant", Methods, Sparsities, "accuracy")))!;
        var traces = accuracy["data"]!.AsArray();
        Assert.Equal(Methods, traces.Select(t => t!["name"]!.GetValue<string>()));
        Assert.Equal([50.0, 90.0], Values(traces[0]!, "x"));
        Assert.Equal([84.0, 75.0], Values(traces[1]!, "y"));
        Assert.Equal("test accuracy, %", accuracy["layout"]!["yaxis"]!["title"]!["text"]!.GetValue<string>());

        var gain = JsonNode.Parse(GenericChart.toJson(Charts.PruningSweep(Sweep(), "Random", "constant", [Temperature], Sparsities, "gain", baseline: PruningMethodSweep.OneShot)))!;
        Assert.Equal([3.0, 14.0], Values(gain["data"]![0]!, "y").Select(v => Math.Round(v, 9)));
        Assert.Equal("accuracy − one-shot accuracy, points", gain["layout"]!["yaxis"]!["title"]!["text"]!.GetValue<string>());

        var curves = JsonNode.Parse(GenericChart.toJson(Charts.PruningCurves(Sweep(), "Random", "constant", Methods, 0.9, "curves")))!["data"]!.AsArray();
        Assert.Equal(["one-shot", $"{Temperature} {B}"], curves.Select(t => t!["name"]!.GetValue<string>()));
        Assert.Equal([1.0, 2.0], Values(curves[1]!, "x"));
        Assert.Equal([64.0, 74.0], Values(curves[1]!, "y").Select(v => Math.Round(v, 9)));   // the first seed's curve of setting B
    }
}
