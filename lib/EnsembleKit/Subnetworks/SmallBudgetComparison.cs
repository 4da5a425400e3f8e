using System.Diagnostics;
using EnsembleKit.Backend;
using EnsembleKit.Data;
using EnsembleKit.Ensembles;
using EnsembleKit.Evaluation;
using EnsembleKit.Metrics;
using EnsembleKit.Training;
using static TorchSharp.torch;
using Net = TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>;

namespace EnsembleKit.Subnetworks;

/// <summary>One method's scores in a <see cref="SmallBudgetComparison"/>; accuracies in percent.</summary>
public sealed record SmallBudgetRow(string Data, string Method, int Members, double Accuracy, double Nll, double Ece, double MemberAccuracy);

/// <summary>The rows of one comparison, with the SSE parent and both child ensembles for further analysis (the caller
/// owns and disposes them).</summary>
public sealed record SmallBudgetRun(IReadOnlyList<SmallBudgetRow> Rows, Net Parent, SubnetworkEnsemble<Net> Random, SubnetworkEnsemble<Net> Partitioned);

/// <summary>
/// Seed 002's small-budget comparison (Table 5.1): at the same epoch budget B, one independent model (B epochs), a
/// deep ensemble (M members × B/M epochs), dropout 0.5 (B epochs; test-time dropout off, and on for an MC-dropout row),
/// bagging (M × B/M epochs on bootstraps), and Sparse Subnetwork Ensembles: a parent trained B/2 epochs (the
/// independent model's half-way weights, so it costs nothing extra) and M children pruned from it and tuned for one
/// epoch each, random (R) and Neural Partitioning (NP). Every ensemble averages probabilities.
/// </summary>
public static class SmallBudgetComparison
{
    /// <summary>Runs every method on one data set.</summary>
    /// <param name="data">The data set's name, copied into the rows.</param>
    /// <param name="create">Makes a fresh model of the architecture under test.</param>
    /// <param name="createDropout">The same architecture with dropout after every hidden layer (0.5 in Table 5.1).</param>
    /// <param name="train">Training set every method draws on.</param>
    /// <param name="test">Test set every row is scored on.</param>
    /// <param name="options">Budget, ensemble size, training and tuning recipe (Table 5.1's by default); validated first.</param>
    /// <param name="seed">Seeds everything; methods use <c>seed</c>, <c>seed + 100</c>, ... <c>seed + 400</c>.</param>
    /// <param name="progress">Receives one line per finished method, with the elapsed time; null for none.</param>
    public static SmallBudgetRun Run(string data, Func<Net> create, Func<Net> createDropout, TensorDataset train, TensorDataset test,
        SmallBudgetOptions options, long seed, Action<string>? progress = null)
    {
        options.Validate();
        TorchRuntime.EnsureInitialized();
        var training = options.Training with { Epochs = options.Budget };
        var members = training with { Epochs = options.MemberEpochs };
        var clock = Stopwatch.StartNew();
        void Done(string what) => progress?.Invoke($"{data}, run {seed}: {what} ({clock.Elapsed.TotalSeconds:F0} s)");
        var rows = new List<SmallBudgetRow>();
        void Add(string method, Func<Tensor> memberLogits)
        {
            using var scope = NewDisposeScope();
            rows.Add(Score(data, method, memberLogits(), test));
        }

        // The independent model's weights half-way through are the SSE parent.
        var halfway = new SnapshotCallback((epoch, _) => epoch == options.ParentEpochs - 1, "parent");
        manual_seed(seed);
        Net parent;
        using (var independent = create())
        {
            new Trainer(training with { Seed = seed, Label = "independent", Callbacks = [halfway] }).Fit(independent, train);
            var snapshots = halfway.TakeSnapshots();
            parent = snapshots[0].ToModel(create);
            foreach (var snapshot in snapshots) snapshot.Dispose();
            Add($"Independent (1 model × {options.Budget} epochs)", () => Predict.MemberLogits([independent], test));
        }
        Done("independent");

        using (var deep = DeepEnsemble.Train(create, train, members, options.Members, CombinationRule.MeanProbabilities, seed: seed + 100))
            Add($"Deep ensemble ({options.Members} × {options.MemberEpochs} epochs)", () => deep.MemberLogits(test));
        Done("deep ensemble");

        manual_seed(seed + 200);
        using (var dropout = createDropout())
        {
            new Trainer(training with { Seed = seed + 200, Label = "dropout" }).Fit(dropout, train);
            Add($"Dropout 0.5 (1 model × {options.Budget} epochs, off at test)", () => Predict.MemberLogits([dropout], test));
            Add($"MC dropout ({options.McSamples} passes of that model)", () => McDropout.SampleLogits(dropout, test, options.McSamples, seed + 250));
        }
        Done("dropout");

        using (var bagged = Bagging.Train(create, train, members, options.Members, fraction: options.BaggingFraction, withReplacement: true, seed: seed + 300))
            Add($"Bagging ({options.Members} × {options.MemberEpochs} epochs, {options.BaggingFraction * 100:0.#} % bootstrap)", () => bagged.MemberLogits(test));
        Done("bagging");

        Add($"SSE parent alone ({options.ParentEpochs} epochs)", () => Predict.MemberLogits([parent], test));
        var random = SparseSubnetworkEnsemble.Train(parent, create, train, ChildOptions(options, seed + 400, SubnetworkSampling.Random));
        Add($"SSE (R) ({options.Members} children × {options.ChildEpochs} epoch)", () => random.MemberLogits(test));
        var partitioned = SparseSubnetworkEnsemble.Train(parent, create, train, ChildOptions(options, seed + 400, SubnetworkSampling.NeuralPartitioning));
        Add($"SSE (NP) ({options.Members / 2} pairs × {options.ChildEpochs} epoch)", () => partitioned.MemberLogits(test));
        Add("SSE (NP) + parent (Algorithm 2's average)", () => partitioned.MemberLogits(test, parent));
        Done("SSE (R) and (NP)");
        return new SmallBudgetRun(rows, parent, random, partitioned);
    }

    /// <summary>The comparison's SSE children: <see cref="SmallBudgetOptions.Members"/> of them, R at
    /// <see cref="SmallBudgetOptions.Sparsity"/> or NP pairs, tuned with <see cref="SmallBudgetOptions.Tuning"/>.</summary>
    public static SparseSubnetworkOptions ChildOptions(SmallBudgetOptions options, long seed, SubnetworkSampling sampling) => new()
    {
        Children = options.Members,
        Sampling = sampling,
        Partitions = 2,
        Mask = new MaskOptions { Sparsity = options.Sparsity },
        Tuning = options.Tuning with { Seed = seed },
        Seed = seed,
    };

    /// <summary>Scores members' logits <c>[M, B, C]</c>: the mean-probability ensemble's accuracy, NLL and ECE, and the
    /// members' mean accuracy.</summary>
    public static SmallBudgetRow Score(string data, string method, Tensor memberLogits, TensorDataset test)
    {
        Shapes.RequireMembers(memberLogits, nameof(memberLogits));
        var report = EnsembleEvaluation.Evaluate(method, memberLogits, test.Targets, CombinationRule.MeanProbabilities);
        var e = report.Ensemble;
        return new SmallBudgetRow(data, method, e.Members, e.Accuracy * 100, e.Nll, e.Ece, report.Members.Average(m => m.Accuracy) * 100);
    }
}
