using EnsembleKit.Models;
using EnsembleKit.Subnetworks;

namespace EnsembleKit.Experiments;

/// <summary>
/// Notebook 09's sizes by scale (seed 002 chapter 4, noisy subnetwork ensembles), written once: the spiral's grid of noise
/// strengths × mutation sparsities (seed 002 gives σ in [0.05, 0.25] and sparsity in [0, 0.9], not the steps; smaller σ
/// are added for the trust region), the probe draws per setting, the image task's parent, held-out sizes and σ grids, and
/// the trust-region bound Δ (0.02, seed 002's ImageNet value). Made by <see cref="For"/>.
/// </summary>
public sealed record NoisySubnetworkSettings
{
    /// <summary>The scale the settings are for.</summary>
    public required Scale Scale { get; init; }

    /// <summary>The spiral grid's noise strengths σ.</summary>
    public required IReadOnlyList<double> SpiralSigmas { get; init; }

    /// <summary>The spiral grid's mutation sparsities (fraction of weights left unperturbed).</summary>
    public required IReadOnlyList<double> SpiralSparsities { get; init; }

    /// <summary>Random (mask, noise) draws averaged per spiral grid point.</summary>
    public required int Draws { get; init; }

    /// <summary>Epochs of the spiral parent (Adam 0.001).</summary>
    public required int SpiralEpochs { get; init; }

    /// <summary>The image task's name: WRN-28-10 on CIFAR-10 at <c>full</c>, the 784-512-10 MLP on Fashion-MNIST below.</summary>
    public required string ImageTask { get; init; }

    /// <summary>Validation images and test images (each) split from the image task's test set.</summary>
    public required int ImageHeldOut { get; init; }

    /// <summary>The image task's trust-region σ grid (at sparsity 0.5).</summary>
    public required IReadOnlyList<double> ImageSigmas { get; init; }

    /// <summary>Random draws averaged per σ of the image task's search.</summary>
    public required int ImageDraws { get; init; }

    /// <summary>The σ of the average-versus-vote sweep.</summary>
    public required IReadOnlyList<double> VoteSigmas { get; init; }

    /// <summary>The trust-region bound Δ on the mean KL(parent ‖ child).</summary>
    public double Bound { get; init; } = 0.02;

    /// <summary>One line naming the grid and the image task, e.g. "scale cpu: spiral grid 7 sigmas x 5 sparsities x 8 draws; image task: ...".</summary>
    public string Summary =>
        $"scale {Scale}: spiral grid {SpiralSigmas.Count} sigmas x {SpiralSparsities.Count} sparsities x {Draws} draws; image task: {ImageTask}";

    /// <summary>Notebook 09's settings at <paramref name="scale"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="scale"/> is <c>default(Scale)</c>, which names no scale.</exception>
    public static NoisySubnetworkSettings For(Scale scale)
    {
        if (scale.Name is null) throw new ArgumentException("the scale has no name; make it with Scale.Parse.", nameof(scale));
        bool smoke = scale.IsSmoke;
        return new NoisySubnetworkSettings
        {
            Scale = scale,
            SpiralSigmas = smoke ? [0.05, 0.1, 0.2] : [0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25],
            SpiralSparsities = smoke ? [0.0, 0.5, 0.9] : [0.0, 0.25, 0.5, 0.75, 0.9],
            Draws = scale.Pick(smoke: 2, cpu: 8, full: 16),
            SpiralEpochs = smoke ? 3 : 10,
            ImageTask = scale.IsFull ? "WRN-28-10 on CIFAR-10" : "784-512-10 MLP on Fashion-MNIST",
            ImageHeldOut = smoke ? 1_000 : 5_000,
            ImageSigmas = scale.IsFull ? [0.0005, 0.001, 0.002, 0.004, 0.006, 0.008, 0.01] : [0.0025, 0.005, 0.01, 0.015, 0.02, 0.03, 0.04, 0.06],
            ImageDraws = smoke ? 2 : 4,
            VoteSigmas = scale.Pick<double[]>(smoke: [0.02, 0.1], cpu: [0.01, 0.02, 0.04, 0.07, 0.1, 0.15, 0.2], full: [0.002, 0.005, 0.01, 0.02, 0.03, 0.05]),
        };
    }

    /// <summary>The spiral's trust-region search over the whole grid with <see cref="Draws"/> draws and <see cref="Bound"/>, seeded with <paramref name="seed"/>.</summary>
    public TrustRegionOptions SpiralSearch(long seed) => new()
    {
        Strengths = SpiralSigmas,
        Sparsities = SpiralSparsities,
        Draws = Draws,
        Bound = Bound,
        Seed = seed,
    };

    /// <summary>The image task's search: <see cref="ImageSigmas"/> at sparsity 0.5, <see cref="ImageDraws"/> draws, <see cref="Bound"/>, seeded with <paramref name="seed"/>.</summary>
    public TrustRegionOptions ImageSearch(long seed) => new()
    {
        Strengths = ImageSigmas,
        Sparsities = [0.5],
        Draws = ImageDraws,
        Bound = Bound,
        Seed = seed,
    };

    /// <summary>
    /// The image task's parent: seed 002's WRN-28-10 at <c>full</c> (<see cref="ParentTask.Cifar10WideResNet28x10"/>); below,
    /// seed 000's MLP (<see cref="Mlp.Seed000"/>) on 2,000 images for 2 epochs at <c>smoke</c> and 60,000 for 20 at <c>cpu</c>,
    /// cached in the folder notebooks 01-03 use ("fmnist-mlp").
    /// </summary>
    public ParentTask ImageParent() => Scale.IsFull
        ? ParentTask.Cifar10WideResNet28x10(ImageTask)
        : ParentTask.FashionMnistMlp(ImageTask, () => Mlp.Seed000(), trainImages: Scale.IsSmoke ? 2_000 : 60_000, epochs: Scale.IsSmoke ? 2 : 20,
            runFolder: "fmnist-mlp");
}
