using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using EnsembleKit.Backend;
using EnsembleKit.Data;
using EnsembleKit.Ensembles;
using EnsembleKit.Metrics;
using EnsembleKit.Models;
using EnsembleKit.Training;
using static TorchSharp.torch;

namespace EnsembleKit.Cli.Experiments;

/// <summary>One row of the result table: a member or the ensemble, this run's scores and the paper's accuracy.</summary>
public sealed record ResultRow(string Name, double Accuracy, double Nll, double Ece, double Brier, double? PaperAccuracy);

/// <summary>The outcome of <see cref="FmnistDeepEnsembleExperiment"/>.</summary>
public sealed record FmnistDeepEnsembleResult(IReadOnlyList<ResultRow> Rows, IReadOnlyList<TrainingHistory> Histories, double TrainSeconds)
{
    public IEnumerable<ResultRow> Members => Rows.Take(Rows.Count - 1);
    public ResultRow Ensemble => Rows[^1];
}

/// <summary>
/// Seed 000's deep ensemble: M MLPs 784-512-10 trained independently with SGD (lr 0.1, momentum 0.9,
/// weight decay 1e-5, cosine annealing, 20 epochs), combined by the mean of their logits as seed 000's
/// <c>DeepEnsemble</c> does, scored on the 10,000 Fashion-MNIST test images.
/// </summary>
public static class FmnistDeepEnsembleExperiment
{
    /// <summary>Seed 000's test accuracies (%): three members, then the ensemble.</summary>
    public static readonly double[] PaperMemberAccuracy = [87.97, 84.28, 87.30];
    public const double PaperEnsembleAccuracy = 88.54;

    public static FmnistDeepEnsembleResult Run(int members, int epochs, long seed, IProgressSink progress, long trainLimit = 0, string? checkpointPath = null,
        bool lockstep = false)
    {
        TorchRuntime.EnsureInitialized();
        using var trainFull = FashionMnist.Load(train: true);
        using var test = FashionMnist.Load(train: false);
        var train = trainLimit > 0 ? trainFull.Take(trainLimit) : trainFull;
        try
        {
            var options = new TrainingOptions { Epochs = epochs, Progress = progress, CheckpointPath = checkpointPath };
            var clock = Stopwatch.StartNew();
            using var ensemble = DeepEnsemble.Train(Mlp.Seed000, train, options, members, CombinationRule.MeanLogits, seed, lockstep);
            double trainSeconds = clock.Elapsed.TotalSeconds;

            using var scope = NewDisposeScope();
            var memberLogits = ensemble.MemberLogits(test);
            var rows = new List<ResultRow>();
            for (int m = 0; m < members; m++)
            {
                var report = ClassificationReport.FromLogits($"member {m + 1}", memberLogits[m], test.Targets);
                rows.Add(ToRow(report, m < PaperMemberAccuracy.Length ? PaperMemberAccuracy[m] : null));
            }
            var ensembleReport = ClassificationReport.FromProbabilities("ensemble", Combine.Probabilities(memberLogits, ensemble.Rule), test.Targets);
            rows.Add(ToRow(ensembleReport, PaperEnsembleAccuracy));
            return new FmnistDeepEnsembleResult(rows, ensemble.Histories, trainSeconds);
        }
        finally
        {
            if (!ReferenceEquals(train, trainFull)) train.Dispose();
        }
    }

    static ResultRow ToRow(ClassificationReport r, double? paper) => new(r.Name, r.Accuracy * 100, r.Nll, r.Ece, r.Brier, paper);

    public static string ToCsv(FmnistDeepEnsembleResult result)
    {
        var sb = new StringBuilder("name,accuracy_percent,nll,ece,brier,paper_accuracy_percent\n");
        foreach (var r in result.Rows)
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.Name},{r.Accuracy:F2},{r.Nll:F4},{r.Ece:F4},{r.Brier:F4},{(r.PaperAccuracy is { } p ? p.ToString("F2", CultureInfo.InvariantCulture) : "")}"));
        return sb.ToString();
    }

    public static string ToJson(FmnistDeepEnsembleResult result) => JsonSerializer.Serialize(new
    {
        experiment = "fmnist-deep-ensemble",
        source = "seed 000 (Ensembling Neural Networks in Parameter Space)",
        combination = "mean of member logits",
        trainSeconds = Math.Round(result.TrainSeconds, 1),
        rows = result.Rows,
    }, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase });
}
