using System.Diagnostics;
using EnsembleKit.Backend;
using EnsembleKit.Data;
using EnsembleKit.Training;
using Net = TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>;

namespace EnsembleKit.Subnetworks;

/// <summary>One tuned child of a <see cref="PruningMethodSweep"/>: its setting, final test accuracy (a fraction), test
/// accuracy after every epoch, wall time and the weight sparsity it reached.</summary>
public sealed record PruningSweepRun(string Criterion, string Rates, string Method, double Sparsity, string Setting, int Seed,
    double Accuracy, IReadOnlyList<EvaluationRecord> Curve, double Seconds, double AchievedSparsity);

/// <summary>A method's best setting at one sparsity: the accuracy averaged over seeds, per seed, and the first seed's curve.</summary>
public sealed record PruningSweepBest(string Method, string Setting, double Accuracy, IReadOnlyList<double> PerSeed, IReadOnlyList<EvaluationRecord> Curve);

/// <summary>Every run of a sweep.</summary>
public sealed partial record PruningSweepResult(IReadOnlyList<PruningSweepRun> Runs)
{
    /// <summary>Table 6.1's entry: the method's best setting (ε, τ₀) by accuracy averaged over seeds.</summary>
    public PruningSweepBest Best(string criterion, string rates, string method, double sparsity) => Runs
        .Where(r => r.Criterion == criterion && r.Rates == rates && r.Method == method && r.Sparsity == sparsity)
        .GroupBy(r => r.Setting)
        .Select(g => new PruningSweepBest(method, g.Key, g.Average(r => r.Accuracy), g.OrderBy(r => r.Seed).Select(r => r.Accuracy).ToList(), g.OrderBy(r => r.Seed).First().Curve))
        .OrderByDescending(r => r.Accuracy)
        .FirstOrDefault() ?? throw new ArgumentException($"the sweep has no run of '{method}' at sparsity {sparsity} ({criterion}, {rates}).");
}

/// <summary>
/// Seed 002's Table 6.1: prunes a trained parent to each sparsity with one-shot pruning, iterative pruning and
/// random and temperature annealing (Algorithm 3), tunes every child and records its test accuracy per epoch.
/// </summary>
public static class PruningMethodSweep
{
    /// <summary>The name of one-shot pruning's runs, the baseline of the table's gains.</summary>
    public const string OneShot = "one-shot";

    /// <summary>The name of iterative pruning's runs.</summary>
    public const string Iterative = "iterative";

    /// <summary>The name of random annealing's runs.</summary>
    public const string RandomAnnealing = "random annealing";

    /// <summary>The name of temperature annealing's runs.</summary>
    public const string TemperatureAnnealing = "temperature annealing";

    /// <summary>The methods' names, in the table's order.</summary>
    public static readonly IReadOnlyList<string> Methods = [OneShot, Iterative, RandomAnnealing, TemperatureAnnealing];

    /// <summary>
    /// Seed 002's Table 6.1 (ResNet-18 on CIFAR-100, random pruning, constant learning rate): each method's best test
    /// accuracy, a fraction, at sparsities 0.5, 0.7, 0.9, 0.95 and 0.98.
    /// </summary>
    public static readonly IReadOnlyDictionary<(string Method, double Sparsity), double> Table61 = new Dictionary<(string, double), double>
    {
        [(OneShot, 0.5)] = 0.640,
        [(OneShot, 0.7)] = 0.634,
        [(OneShot, 0.9)] = 0.553,
        [(OneShot, 0.95)] = 0.490,
        [(OneShot, 0.98)] = 0.401,
        [(Iterative, 0.5)] = 0.655,
        [(Iterative, 0.7)] = 0.642,
        [(Iterative, 0.9)] = 0.578,
        [(Iterative, 0.95)] = 0.502,
        [(Iterative, 0.98)] = 0.422,
        [(RandomAnnealing, 0.5)] = 0.655,
        [(RandomAnnealing, 0.7)] = 0.636,
        [(RandomAnnealing, 0.9)] = 0.591,
        [(RandomAnnealing, 0.95)] = 0.546,
        [(RandomAnnealing, 0.98)] = 0.457,
        [(TemperatureAnnealing, 0.5)] = 0.658,
        [(TemperatureAnnealing, 0.7)] = 0.643,
        [(TemperatureAnnealing, 0.9)] = 0.595,
        [(TemperatureAnnealing, 0.95)] = 0.554,
        [(TemperatureAnnealing, 0.98)] = 0.463,
    };

    /// <param name="parent">The trained parent's weights; every child starts from them.</param>
    /// <param name="create">Makes a model of the parent's architecture.</param>
    /// <param name="train">Tuning data.</param>
    /// <param name="test">Scored after every tuning epoch.</param>
    /// <param name="options">The grid and the tuning recipe; validated first.</param>
    /// <param name="progress">Receives one line per (criterion, regime, sparsity) with every setting's accuracy; null for none.</param>
    public static PruningSweepResult Run(WeightSnapshot parent, Func<Net> create, TensorDataset train, TensorDataset test,
        PruningSweepOptions options, Action<string>? progress = null)
    {
        options.Validate();
        TorchRuntime.EnsureInitialized();
        var runs = new List<PruningSweepRun>();
        var clock = Stopwatch.StartNew();
        foreach (var criterion in options.Criteria)
            foreach (var rates in options.Rates)
                for (int si = 0; si < options.Sparsities.Count; si++)
                {
                    double sparsity = options.Sparsities[si];
                    var tuning = options.Tuning with
                    {
                        Schedule = rates == TuningRates.Constant ? new ConstantSchedule() : new CosineOneCycleSchedule(),
                        LearningRate = rates == TuningRates.Constant ? 0.01 : 0.1,
                    };
                    string ratesName = PruningSweepOptions.Name(rates);
                    for (int seed = 0; seed < options.Seeds; seed++)
                        foreach (var (method, setting, methodOptions) in Configurations(options, criterion))
                        {
                            var start = clock.Elapsed.TotalSeconds;
                            using var child = parent.ToModel(create);
                            var evaluation = new EpochEvaluation(test);
                            using (SubnetworkTuning.Tune(child, train, tuning with { Callbacks = [evaluation], Label = $"{method} {sparsity:P0}", Seed = seed },
                                       new MaskOptions { Sparsity = sparsity, Criterion = criterion }, methodOptions, seed: 100 + si + 1000 * seed)) { }
                            var size = SubnetworkReport.Measure(child, method);
                            runs.Add(new PruningSweepRun(criterion.ToString(), ratesName, method, sparsity, setting, seed, evaluation.Records[^1].Accuracy,
                                evaluation.Records, clock.Elapsed.TotalSeconds - start, size.WeightSparsity));
                        }
                    progress?.Invoke($"{criterion}, {ratesName} LR, sparsity {sparsity:P0}: " + string.Join(", ", runs
                        .Where(r => r.Sparsity == sparsity && r.Criterion == criterion.ToString() && r.Rates == ratesName)
                        .GroupBy(r => r.Method)
                        .Select(g => $"{g.Key} " + string.Join("/", g.GroupBy(r => r.Setting).Select(h => string.Join(" ", h.Select(r => $"{r.Accuracy * 100:F2}"))))))
                        + $" ({clock.Elapsed.TotalSeconds:F0} s so far)");
                }
        return new PruningSweepResult(runs);
    }

    /// <summary>The settings of each method, in the table's order: one-shot; iterative per ε; random annealing per ε
    /// (random masks only); temperature annealing per ε and τ₀.</summary>
    static List<(string Method, string Setting, SubnetworkTuningOptions Options)> Configurations(PruningSweepOptions o, MaskCriterion criterion)
    {
        var list = new List<(string, string, SubnetworkTuningOptions)> { (OneShot, "", new SubnetworkTuningOptions()) };
        foreach (var e in o.Epsilons) list.Add((Iterative, $"ε={e}", new SubnetworkTuningOptions { Method = PruningMethod.Iterative, Epochs = e }));
        if (criterion == MaskCriterion.Random)
            foreach (var e in o.Epsilons)
                list.Add((RandomAnnealing, $"ε={e}", new SubnetworkTuningOptions { Method = PruningMethod.RandomAnnealing, Epochs = e, PerStep = o.PerStep }));
        foreach (var e in o.Epsilons)
            foreach (var tau in o.Temperatures)
                list.Add((TemperatureAnnealing, $"ε={e}, τ₀={tau}", new SubnetworkTuningOptions
                { Method = PruningMethod.TemperatureAnnealing, Epochs = e, InitialTemperature = tau, PerStep = o.PerStep }));
        return list;
    }
}
