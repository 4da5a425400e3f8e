using EnsembleKit.Backend;
using EnsembleKit.Data;
using EnsembleKit.Ensembles;
using EnsembleKit.Training;
using static TorchSharp.torch;

namespace EnsembleKit.Experiments;

/// <summary>
/// Ashukha et al.'s nine methods (seed-spec E4.3, notebook 18) trained on one task by <see cref="Train"/>, each an
/// <see cref="IEnsemble"/>. <see cref="Single"/> is the deep ensemble's first member; <see cref="KfacPosterior"/> and
/// <see cref="Variational"/> are kept for what a reader may want to print (the tuned prior, the posterior mean's accuracy).
/// Disposing disposes every method, the dropout network and the mean-field network; the networks that only carried a
/// training run (the snapshot run's, FGE's start, SWAG's and cyclic SGLD's chains) are left to the garbage collector, as
/// the notebook that trained them by hand left them.
/// </summary>
/// <param name="Single">The single model: the deep ensemble's first member (shared with <see cref="Deep"/>).</param>
/// <param name="Deep">The deep ensemble.</param>
/// <param name="McDropout">MC dropout.</param>
/// <param name="Snapshot">The snapshot ensemble.</param>
/// <param name="Fge">The fast geometric ensemble.</param>
/// <param name="Swag">SWAG.</param>
/// <param name="Csgld">Cyclic SGLD.</param>
/// <param name="Vi">VI (FFG).</param>
/// <param name="Kfac">KFAC-Laplace.</param>
/// <param name="KfacPosterior">KFAC-Laplace's posterior, its prior precision tuned on the validation split.</param>
/// <param name="Variational">The mean-field network VI fitted.</param>
public sealed record NineMethods(DeepEnsemble Single, DeepEnsemble Deep, McDropoutEnsemble McDropout, SnapshotEnsemble Snapshot,
    FastGeometricEnsemble Fge, SwagEnsemble Swag, CyclicSgldEnsemble Csgld, VariationalEnsemble Vi, KfacLaplaceEnsemble Kfac,
    KfacLaplacePosterior KfacPosterior, nn.Module<Tensor, Tensor> Variational) : IDisposable
{
    /// <summary>The nine in Ashukha et al.'s Table 3 order: single model, deep ensemble, MC dropout, snapshot, FGE, SWAG,
    /// cyclic SGLD, VI (FFG), KFAC-Laplace.</summary>
    public IReadOnlyList<IEnsemble> All => [Single, Deep, McDropout, Snapshot, Fge, Swag, Csgld, Vi, Kfac];

    /// <summary>
    /// Trains the nine on <paramref name="train"/> with <paramref name="recipe"/>, in this order: the deep ensemble and the
    /// dropout network; the snapshot run (<c>Members · CycleEpochs</c> epochs), the FGE start and FGE (<c>Members</c>
    /// cycles of 2 epochs); SWAG (<c>Options.Epochs</c> epochs, rank 20, collecting over the second half at
    /// <c>SwagRate</c>); cyclic SGLD (prior precision <c>N · 5e-4</c>, the last quarter of each cycle sampling,
    /// <c>Samples / Members</c> samples a cycle); VI (Adam 1e-3 on the negative ELBO per example, <c>Options.Epochs</c>
    /// epochs); KFAC-Laplace around the single model, its prior precision chosen by NLL on <paramref name="validation"/>.
    /// Methods that build networks from the global generator are preceded by <see cref="TorchRuntime.Seed"/> of their seed.
    /// </summary>
    /// <exception cref="ArgumentException">The recipe's sizes are not positive, or its mean-field network is not a module.</exception>
    public static NineMethods Train(NineMethodsRecipe recipe, TensorDataset train, TensorDataset validation)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(validation);
        if (recipe.Members < 1 || recipe.Samples < 1 || recipe.CycleEpochs < 1)
            throw new ArgumentException($"members, samples and cycle epochs must be positive; got {recipe.Members}, {recipe.Samples} and {recipe.CycleEpochs}.", nameof(recipe));
        var (o, create, members, samples, seed) = (recipe.Options, recipe.Create, recipe.Members, recipe.Samples, recipe.FirstSeed);

        var deep = DeepEnsemble.Train(create, train, o, count: members, seed: seed);
        var single = new DeepEnsemble(deep.Members.Take(1), method: "single model");
        var dropoutNet = DeepEnsemble.Train(recipe.CreateWithDropout, train, o with { Label = "dropout net" }, count: 1, seed: seed + 100).Members[0];
        var mcDropout = new McDropoutEnsemble(dropoutNet, samples, seed: 0);

        TorchRuntime.Seed(seed + 200);
        var snapshot = SnapshotEnsemble.Train(create(), train, o with { Epochs = members * recipe.CycleEpochs, Seed = seed + 200, Label = "snapshot run" },
            cycles: members, create: create);
        var fgeStart = DeepEnsemble.Train(create, train, o with { Label = "FGE start" }, count: 1, seed: seed + 300).Members[0];
        var fge = FastGeometricEnsemble.Train(fgeStart, train, o with { Label = "FGE" }, members, cycleEpochs: 2, recipe.FgeHighRate, recipe.FgeLowRate, create);

        TorchRuntime.Seed(seed + 400);
        var swag = Ensembles.Swag.Train(create(), create, train, o with { Seed = seed + 400, Label = "SWAG run" },
            new SwaSchedule(recipe.SwagRate, SwaStartFraction: 0.5), rank: 20).ToEnsemble(samples, seed: 0, train);

        TorchRuntime.Seed(seed + 500);
        var csgld = CyclicSgld.Sample(create(), create, train, new CyclicSgldOptions
        {
            Cycles = members,
            EpochsPerCycle = recipe.CycleEpochs,
            InitialStepSize = recipe.SgldRate / train.Count,
            PriorPrecision = 5e-4 * train.Count,
            ExplorationFraction = 0.75,
            SamplesPerCycle = Math.Max(1, samples / members),
            Seed = seed + 500,
        });

        TorchRuntime.Seed(seed + 600);
        var meanField = recipe.CreateVariational();
        if (meanField is not nn.Module<Tensor, Tensor> variational)
            throw new ArgumentException($"VI trains a module; the recipe's mean-field network {meanField.GetType().Name} is none.", nameof(recipe));
        VariationalInference.Train(variational, train, new TrainingOptions
        {
            Epochs = o.Epochs,
            Optimizer = OptimizerKind.Adam,
            LearningRate = 1e-3,
            WeightDecay = 0,
            Seed = seed + 600,
            Label = "VI (FFG)",
        });
        var vi = new VariationalEnsemble(meanField, samples, seed: 0);

        var kfacPosterior = KfacLaplace.Fit(single.Members[0], train);
        kfacPosterior.TunePriorPrecision(validation);
        var kfac = kfacPosterior.ToEnsemble(samples, seed: 0);
        return new NineMethods(single, deep, mcDropout, snapshot, fge, swag, csgld, vi, kfac, kfacPosterior, variational);
    }

    public void Dispose()
    {
        // Single shares the deep ensemble's first member; MC dropout and VI do not own the networks they sample.
        foreach (var method in new IDisposable[] { Deep, McDropout, McDropout.Model, Snapshot, Fge, Swag, Csgld, Vi, Kfac, KfacPosterior, Variational })
            method.Dispose();
    }
}
