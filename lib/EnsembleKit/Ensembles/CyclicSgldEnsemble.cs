using System.Globalization;
using EnsembleKit.Data;
using EnsembleKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Ensembles;

/// <summary>
/// The samples of a cSGLD chain (<see cref="CyclicSgld.Sample"/>) as an <see cref="IEnsemble"/>: member s is the s-th
/// kept sample, in chain order (cycle by cycle). Owns the samples (CPU weight states); predicts by loading each into one
/// model from the factory. Saved through <see cref="EnsembleFile"/> as the sample states, with the run's settings.
/// </summary>
public sealed class CyclicSgldEnsemble : IEnsemble
{
    /// <summary>The method's name in tables and ensemble files.</summary>
    public const string MethodName = "cyclic SGLD";

    readonly Func<nn.Module<Tensor, Tensor>> create;

    internal CyclicSgldEnsemble(IReadOnlyList<WeightSnapshot> samples, Func<nn.Module<Tensor, Tensor>> create, CyclicSgldOptions options,
        TrainingHistory history, CombinationRule rule)
    {
        Samples = samples;
        this.create = create;
        Options = options;
        History = history;
        Rule = rule;
    }

    public string Method => MethodName;
    public int Count => Samples.Count;
    public CombinationRule Rule { get; }

    /// <summary>The kept samples, in chain order; their labels name the iteration each was taken after.</summary>
    public IReadOnlyList<WeightSnapshot> Samples { get; }

    /// <summary>The settings the chain ran with.</summary>
    public CyclicSgldOptions Options { get; }

    /// <summary>Per epoch: the mean minibatch loss (not Ũ), the step size α at the epoch's first iteration, wall time.</summary>
    public TrainingHistory History { get; }

    /// <summary>Member logits <c>[M, N, C]</c>, one member a sample in chain order.</summary>
    public Tensor MemberLogits(TensorDataset data, int batchSize = 1000) => SnapshotMembers.Logits(create, Samples, data, batchSize);

    /// <summary>Copies of the samples (the caller disposes them; the ensemble keeps its own).</summary>
    public IReadOnlyList<WeightSnapshot> MemberStates() => Samples.Select(s => s.Copy()).ToList();

    public IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["seed"] = Options.Seed.ToString(CultureInfo.InvariantCulture),
        ["cycles"] = Options.Cycles.ToString(CultureInfo.InvariantCulture),
        ["epochs per cycle"] = Options.EpochsPerCycle.ToString(CultureInfo.InvariantCulture),
        ["initial step size"] = Options.InitialStepSize.ToString("R", CultureInfo.InvariantCulture),
        ["exploration fraction"] = Options.ExplorationFraction.ToString("R", CultureInfo.InvariantCulture),
        ["samples per cycle"] = Options.SamplesPerCycle.ToString(CultureInfo.InvariantCulture),
        ["temperature"] = Options.Temperature.ToString("R", CultureInfo.InvariantCulture),
        ["prior precision"] = Options.PriorPrecision.ToString("R", CultureInfo.InvariantCulture),
        ["batch size"] = Options.BatchSize.ToString(CultureInfo.InvariantCulture),
        ["loss"] = SettingText.Loss(Options.Loss),
    };

    public void Dispose()
    {
        foreach (var s in Samples) s.Dispose();
    }
}
