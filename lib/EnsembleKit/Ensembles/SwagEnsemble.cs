using System.Globalization;
using EnsembleKit.Data;
using EnsembleKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Ensembles;

/// <summary>
/// SWAG samples as an <see cref="IEnsemble"/> (<see cref="SwagPosterior{TModel}.ToEnsemble"/>): member s is the model
/// drawn with seed <c>Seed + s</c>. Owns its models. Saved through <see cref="EnsembleFile"/> as the sampled states.
/// </summary>
public sealed class SwagEnsemble : IEnsemble
{
    readonly List<nn.Module<Tensor, Tensor>> models;

    internal SwagEnsemble(List<nn.Module<Tensor, Tensor>> models, long seed, double scale, bool diagonal, int rank, int deviations, CombinationRule rule)
    {
        this.models = models;
        Seed = seed;
        Scale = scale;
        Diagonal = diagonal;
        Rank = rank;
        DeviationCount = deviations;
        Rule = rule;
    }

    public string Method => Diagonal ? "SWAG-diagonal" : "SWAG";
    public int Count => models.Count;
    public CombinationRule Rule { get; }
    public long Seed { get; }
    public double Scale { get; }
    public bool Diagonal { get; }
    public int Rank { get; }
    /// <summary>K, the deviations the low-rank term used.</summary>
    public int DeviationCount { get; }

    public IReadOnlyList<nn.Module<Tensor, Tensor>> Members => models;

    public Tensor MemberLogits(TensorDataset data, int batchSize = 1000) => Predict.MemberLogits(models, data, batchSize);

    public IReadOnlyList<WeightSnapshot> MemberStates() => models.Select((m, i) => WeightSnapshot.Of(m, $"SWAG sample {i + 1}")).ToList();

    public IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["seed"] = Seed.ToString(CultureInfo.InvariantCulture),
        ["scale"] = Scale.ToString("R", CultureInfo.InvariantCulture),
        ["rank"] = Rank.ToString(CultureInfo.InvariantCulture),
        ["deviations"] = (Diagonal ? 0 : DeviationCount).ToString(CultureInfo.InvariantCulture),
    };

    public void Dispose()
    {
        foreach (var m in models) m.Dispose();
        models.Clear();
    }
}
