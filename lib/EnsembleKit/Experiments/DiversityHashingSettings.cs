namespace EnsembleKit.Experiments;

/// <summary>
/// Notebook 12's sizes by scale (seed 002 chapter 7: output correlation, saliency and feature-visualisation hashing of
/// sibling subnetworks), written once: the network and CIFAR-10 slice, the parent's and each sibling's epochs, the
/// saliency maps (test images × SmoothGrad noise samples), the feature-visualisation steps and the children per
/// output-correlation set. Made by <see cref="For"/>.
/// </summary>
public sealed record DiversityHashingSettings
{
    /// <summary>The scale the settings are for.</summary>
    public required Scale Scale { get; init; }

    /// <summary>The network's <see cref="Models.ModelRegistry"/> name: "lenet-s" below <c>full</c>, "lenet-l" at <c>full</c>.</summary>
    public required string Architecture { get; init; }

    /// <summary>The first CIFAR-10 training images used.</summary>
    public required int TrainImages { get; init; }

    /// <summary>The first CIFAR-10 test images used.</summary>
    public required int TestImages { get; init; }

    /// <summary>The parent's epochs.</summary>
    public required int ParentEpochs { get; init; }

    /// <summary>Each sibling's epochs (a snapshot cycle, or an NP child's tuning).</summary>
    public required int SiblingEpochs { get; init; }

    /// <summary>Test images whose SmoothGrad maps are hashed.</summary>
    public required int SaliencyImages { get; init; }

    /// <summary>SmoothGrad's noise samples per map.</summary>
    public required int NoiseSamples { get; init; }

    /// <summary>Gradient-ascent steps of each feature visualisation.</summary>
    public required int VisualisationSteps { get; init; }

    /// <summary>Children in each output-correlation set (SSE (R), (NP), (NP + BAG)).</summary>
    public required int CorrelationChildren { get; init; }

    /// <summary>One line naming the sizes, e.g. "scale cpu: lenet-s, 10,000 training images, parent 10 epochs, siblings 3 each; saliency ...".</summary>
    public string Summary =>
        $"scale {Scale}: {Architecture}, {TrainImages:N0} training images, parent {ParentEpochs} epochs, siblings {SiblingEpochs} each; "
        + $"saliency {SaliencyImages:N0} images x {NoiseSamples} samples; feature visualisation {VisualisationSteps} steps";

    /// <summary>Notebook 12's settings at <paramref name="scale"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="scale"/> is <c>default(Scale)</c>, which names no scale.</exception>
    public static DiversityHashingSettings For(Scale scale)
    {
        if (scale.Name is null) throw new ArgumentException("the scale has no name; make it with Scale.Parse.", nameof(scale));
        return new DiversityHashingSettings
        {
            Scale = scale,
            Architecture = scale.Pick(smoke: "lenet-s", cpu: "lenet-s", full: "lenet-l"),
            TrainImages = scale.Pick(smoke: 1_000, cpu: 10_000, full: 50_000),
            TestImages = scale.Pick(smoke: 500, cpu: 2_000, full: 10_000),
            ParentEpochs = scale.Pick(smoke: 2, cpu: 10, full: 40),
            SiblingEpochs = scale.Pick(smoke: 1, cpu: 3, full: 20),
            SaliencyImages = scale.Pick(smoke: 50, cpu: 1_000, full: 10_000),
            NoiseSamples = scale.Pick(smoke: 4, cpu: 16, full: 50),
            VisualisationSteps = scale.Pick(smoke: 20, cpu: 256, full: 1_024),
            CorrelationChildren = scale.IsSmoke ? 2 : 6,
        };
    }
}
