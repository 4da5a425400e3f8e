using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using EnsembleKit.Backend;
using EnsembleKit.Data;
using EnsembleKit.Ensembles;
using EnsembleKit.Evaluation;
using EnsembleKit.Experiments;
using EnsembleKit.Metrics;
using EnsembleKit.Models;
using EnsembleKit.Training;
using EnsembleKit.Uncertainty;
using static TorchSharp.torch;

namespace EnsembleKit.Cli.Experiments;

/// <summary>
/// One row of the result table: a member or the ensemble, this run's scores, the paper's accuracy, and how well the
/// predictor tells Fashion-MNIST test images from MNIST digits (AUROC, by maximum softmax probability and, for the
/// ensemble, by mutual information; null when the digits were not available or, for MI, for a single member).
/// </summary>
public sealed record ResultRow(string Name, double Accuracy, double Nll, double Ece, double Brier, double? PaperAccuracy,
    double? MnistAurocMsp = null, double? MnistAurocMi = null);

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

    /// <summary>The experiment's name, as <c>kit reproduce</c> and <c>kit member</c> spell it.</summary>
    public const string Name = "fmnist-deep-ensemble";

    /// <summary>Trains and scores the ensemble; <paramref name="lockstep"/> trains the members together
    /// (<see cref="Training.Lockstep.LockstepTrainer"/>), which gives the same members up to float rounding, in
    /// <paramref name="lockstepWorkers"/> groups at once on the CPU.</summary>
    public static FmnistDeepEnsembleResult Run(int members, int epochs, long seed, IProgressSink progress, long trainLimit = 0, string? checkpointPath = null,
        bool lockstep = false, int lockstepWorkers = 1)
    {
        TorchRuntime.EnsureInitialized();
        using var train = LoadTrain(trainLimit);
        using var test = FashionMnist.Load(train: false);
        var clock = Stopwatch.StartNew();
        using var ensemble = DeepEnsemble.Train(Mlp.Seed000, train, Options(epochs, progress, checkpointPath), members, CombinationRule.MeanLogits, seed, lockstep, lockstepWorkers);
        double trainSeconds = clock.Elapsed.TotalSeconds;
        using var ood = TryLoadOod();
        using var scope = NewDisposeScope();
        var rows = Score(ensemble.MemberLogits(test), test.Targets, Enumerable.Range(0, members).ToList(), ood is null ? null : ensemble.MemberLogits(ood));
        return new FmnistDeepEnsembleResult(rows, ensemble.Histories, trainSeconds);
    }

    /// <summary>
    /// The out-of-distribution set of the table: the 10,000 MNIST digits (<see cref="MnistDigits"/>, fetched on first use),
    /// standardised like Fashion-MNIST; null, with one line on stderr saying why, when they cannot be had (the table then
    /// leaves its AUROC columns empty rather than failing the run).
    /// </summary>
    public static TensorDataset? TryLoadOod()
    {
        try
        {
            return MnistDigits.Load();
        }
        catch (Exception e) when (e is IOException or InvalidDataException or HttpRequestException or TimeoutException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"FMNIST-vs-MNIST AUROC left out: MNIST digits unavailable ({e.Message}). {MnistDigits.HowToGet}");
            return null;
        }
    }

    /// <summary>The Fashion-MNIST training images, or only the first <paramref name="trainLimit"/> when it is positive.</summary>
    public static TensorDataset LoadTrain(long trainLimit)
    {
        if (trainLimit <= 0) return FashionMnist.Load(train: true);
        using var full = FashionMnist.Load(train: true);
        return full.Take(trainLimit);
    }

    /// <summary>Each member's training options (seed 000's recipe; <see cref="DeepEnsemble.Train{TModel}"/> sets seed and label).</summary>
    public static TrainingOptions Options(int epochs, IProgressSink progress, string? checkpointPath = null) =>
        new() { Epochs = epochs, Progress = progress, CheckpointPath = checkpointPath };

    /// <summary>
    /// The table's rows for member logits <c>[M, N, C]</c> on the test set (e.g. members trained on other machines): one
    /// per member, named by its place in the ensemble (<paramref name="memberIndices"/>, 0-based, so an ensemble of
    /// members 1 and 3 shows "member 1", "member 3"), then their ensemble by the mean of the logits.
    /// </summary>
    /// <para>With <paramref name="oodMemberLogits"/> (<c>[M, N', C]</c> on MNIST digits), the rows carry the AUROCs.</para>
    public static IReadOnlyList<ResultRow> Score(Tensor memberLogits, Tensor targets, IReadOnlyList<int> memberIndices, Tensor? oodMemberLogits = null)
    {
        var names = memberIndices.Select(m => $"member {m + 1}").ToList();
        var report = EnsembleEvaluation.Evaluate("deep ensemble", memberLogits, targets, CombinationRule.MeanLogits, memberNames: names);
        var ood = oodMemberLogits is null ? [] : OutOfDistributionEvaluation.Evaluate(memberLogits, oodMemberLogits, "MNIST digits");
        double? Auroc(int row, UncertaintyMeasure measure) =>
            ood.FirstOrDefault(r => r.Predictor == (row < 0 ? "ensemble" : $"member {row + 1}") && r.Measure == measure)?.Auroc;

        var rows = report.Members.Select((r, i) => ToRow(r, memberIndices[i] < Seed000Figures.MemberAccuracy.Count ? Seed000Figures.MemberAccuracy[memberIndices[i]] : null,
            Auroc(i, UncertaintyMeasure.MaxSoftmaxProbability), null)).ToList();
        rows.Add(ToRow(report.Ensemble, Seed000Figures.EnsembleAccuracy, Auroc(-1, UncertaintyMeasure.MaxSoftmaxProbability), Auroc(-1, UncertaintyMeasure.MutualInformation)));
        return rows;
    }

    static ResultRow ToRow(ScoreRow r, double? paper, double? aurocMsp, double? aurocMi) =>
        new(r.Name, r.Accuracy * 100, r.Nll, r.Ece, r.Brier, paper, aurocMsp, aurocMi);

    static string Optional(double? value, string format) => value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "";

    /// <summary>
    /// Writes the table as <c>results.csv</c> and <c>results.json</c> into <paramref name="folder"/>; returns the CSV's path.
    /// Both texts are made before either file is written, and each file is replaced atomically (never half written); a
    /// failure or a kill between the two writes leaves the new JSON beside the old CSV.
    /// </summary>
    public static string WriteResults(string folder, FmnistDeepEnsembleResult result)
    {
        string csv = ToCsv(result), json = ToJson(result);
        var csvPath = Path.Combine(folder, "results.csv");
        AtomicFile.WriteAllText(Path.Combine(folder, "results.json"), json);
        AtomicFile.WriteAllText(csvPath, csv);
        return csvPath;
    }

    public static string ToCsv(FmnistDeepEnsembleResult result)
    {
        var sb = new StringBuilder("name,accuracy_percent,nll,ece,brier,paper_accuracy_percent,mnist_auroc_msp,mnist_auroc_mi\n");
        foreach (var r in result.Rows)
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.Name},{r.Accuracy:F2},{r.Nll:F4},{r.Ece:F4},{r.Brier:F4},{Optional(r.PaperAccuracy, "F2")},{Optional(r.MnistAurocMsp, "F4")},{Optional(r.MnistAurocMi, "F4")}"));
        return sb.ToString();
    }

    public static string ToJson(FmnistDeepEnsembleResult result) => JsonSerializer.Serialize(new
    {
        experiment = Name,
        source = "seed 000 (Ensembling Neural Networks in Parameter Space)",
        combination = "mean of member logits",
        trainSeconds = Math.Round(result.TrainSeconds, 1),
        rows = result.Rows,
    }, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase });
}
