using System.Globalization;
using EnsembleKit.Data;
using EnsembleKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Ensembles;

/// <summary>
/// MC dropout as an <see cref="IEnsemble"/>: <see cref="Count"/> stochastic passes through one model with dropout on,
/// pass t seeded with <c>Seed + t</c> (<see cref="McDropout.SampleLogits"/>), so the members are reproducible. The
/// ensemble does not own the model unless it was loaded from a file.
/// </summary>
public sealed class McDropoutEnsemble : IEnsemble
{
    internal const string MethodName = "MC dropout";
    readonly bool ownsModel;

    public McDropoutEnsemble(nn.Module<Tensor, Tensor> model, int samples, long seed = 0, CombinationRule rule = CombinationRule.MeanProbabilities)
        : this(model, samples, seed, rule, ownsModel: false) { }

    McDropoutEnsemble(nn.Module<Tensor, Tensor> model, int samples, long seed, CombinationRule rule, bool ownsModel)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (samples < 1) throw new ArgumentOutOfRangeException(nameof(samples), $"samples must be positive; got {samples}.");
        if (McDropout.DropoutLayers(model).Count == 0)
            throw new ArgumentException($"{model.GetName()} has no dropout layers: MC dropout would repeat one deterministic prediction.", nameof(model));
        Model = model;
        Count = samples;
        Seed = seed;
        Rule = rule;
        this.ownsModel = ownsModel;
    }

    public nn.Module<Tensor, Tensor> Model { get; }
    public int Count { get; }
    public long Seed { get; }
    public CombinationRule Rule { get; }
    public string Method => MethodName;

    public Tensor MemberLogits(TensorDataset data, int batchSize = 1000) => McDropout.SampleLogits(Model, data, Count, Seed, batchSize);

    /// <summary>One state: the model's (the passes differ only by their seeds, recorded in <see cref="Settings"/>).</summary>
    public IReadOnlyList<WeightSnapshot> MemberStates() => [WeightSnapshot.Of(Model, "MC dropout model")];

    public IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["samples"] = Count.ToString(CultureInfo.InvariantCulture),
        ["seed"] = Seed.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>The ensemble a file saved with <see cref="Settings"/> describes; it owns <paramref name="model"/>.</summary>
    internal static McDropoutEnsemble FromSettings(nn.Module<Tensor, Tensor> model, IReadOnlyDictionary<string, string> settings, CombinationRule rule) =>
        new(model, int.Parse(settings["samples"], CultureInfo.InvariantCulture), long.Parse(settings["seed"], CultureInfo.InvariantCulture), rule, ownsModel: true);

    public void Dispose()
    {
        if (ownsModel) Model.Dispose();
    }
}
