using System.Globalization;
using EnsembleKit.Data;
using EnsembleKit.Models;
using EnsembleKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Ensembles;

/// <summary>
/// Samples of a mean-field Gaussian posterior (<see cref="MeanFieldMlp"/> or <see cref="MeanFieldLeNet"/>, trained by
/// <see cref="VariationalInference.Train"/>) as an <see cref="IEnsemble"/>, method "VI (FFG)": member s is the weight draw
/// <see cref="IMeanFieldNetwork.SampleNetwork"/> with seed <c>Seed + s</c>, held as an ordinary deterministic network
/// (an <see cref="Mlp"/> or a <see cref="LeNet"/>), so the members are reproducible one by one and
/// the predictive <c>p(y | x) ≈ (1/M) Σ_s softmax(f(x; w_s))</c> is the mean of member probabilities by default. Owns its
/// members and outlives the posterior. Saved through <see cref="EnsembleFile"/> as the sampled states (load them with a
/// factory of the deterministic network, e.g. an <see cref="Mlp"/> of the same spec).
/// </summary>
public sealed class VariationalEnsemble : IEnsemble
{
    readonly List<nn.Module<Tensor, Tensor>> members;

    /// <summary>Draws <paramref name="samples"/> members from <paramref name="posterior"/>, on its device.</summary>
    public VariationalEnsemble(IMeanFieldNetwork posterior, int samples, long seed = 0, CombinationRule rule = CombinationRule.MeanProbabilities)
    {
        ArgumentNullException.ThrowIfNull(posterior);
        if (samples < 1) throw new ArgumentOutOfRangeException(nameof(samples), $"samples must be positive; got {samples}.");
        if (!Enum.IsDefined(rule)) throw new ArgumentOutOfRangeException(nameof(rule), $"unknown combination rule {(int)rule}.");
        members = [];
        try
        {
            for (int s = 0; s < samples; s++) members.Add(posterior.SampleNetwork(seed + s));
        }
        catch
        {
            foreach (var m in members) m.Dispose();
            throw;
        }
        Seed = seed;
        PriorSigma = posterior.PriorSigma;
        Rule = rule;
    }

    public string Method => "VI (FFG)";
    public int Count => members.Count;
    public CombinationRule Rule { get; }

    /// <summary>Member s was drawn with seed <c>Seed + s</c>.</summary>
    public long Seed { get; }

    /// <summary>s of the N(0, s²) prior the posterior was fitted under.</summary>
    public double PriorSigma { get; }

    public IReadOnlyList<nn.Module<Tensor, Tensor>> Members => members;

    public Tensor MemberLogits(TensorDataset data, int batchSize = 1000) => Predict.MemberLogits(members, data, batchSize);

    public IReadOnlyList<WeightSnapshot> MemberStates() => members.Select((m, i) => WeightSnapshot.Of(m, $"VI sample {i + 1}")).ToList();

    public IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["seed"] = Seed.ToString(CultureInfo.InvariantCulture),
        ["prior sigma"] = PriorSigma.ToString("R", CultureInfo.InvariantCulture),
    };

    public void Dispose()
    {
        foreach (var m in members) m.Dispose();
        members.Clear();
    }
}
