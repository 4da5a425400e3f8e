using System.Globalization;
using EnsembleKit.Data;
using EnsembleKit.Training;
using static TorchSharp.torch;

namespace EnsembleKit.Ensembles;

/// <summary>
/// KFAC-Laplace samples as an <see cref="IEnsemble"/> (<see cref="KfacLaplacePosterior.ToEnsemble"/>): member s is the
/// network with every covered layer's weights drawn with seed <c>Seed + s</c> (<see cref="KfacLaplacePosterior.SampleWeights"/>)
/// at the τ and N fixed when the ensemble was made. Members are computed by loading each draw into the model in turn (its
/// weights are restored afterwards); uses the posterior and the model without owning them. Saved through
/// <see cref="EnsembleFile"/> as the sampled states.
/// </summary>
public sealed class KfacLaplaceEnsemble : IEnsemble
{
    internal const string MethodName = "KFAC-Laplace";
    readonly KfacLaplacePosterior posterior;

    internal KfacLaplaceEnsemble(KfacLaplacePosterior posterior, int count, long seed, double priorPrecision, double datasetSize, CombinationRule rule)
    {
        this.posterior = posterior;
        Count = count;
        Seed = seed;
        PriorPrecision = priorPrecision;
        DatasetSize = datasetSize;
        Rule = rule;
    }

    public string Method => MethodName;
    public int Count { get; }
    public CombinationRule Rule { get; }
    public long Seed { get; }
    /// <summary>τ, fixed when the ensemble was made.</summary>
    public double PriorPrecision { get; }
    /// <summary>N, fixed when the ensemble was made.</summary>
    public double DatasetSize { get; }

    /// <summary>Member logits <c>[M, N, C]</c> on every row of <paramref name="data"/> (eval mode, no gradients), on the model's device.</summary>
    public Tensor MemberLogits(TensorDataset data, int batchSize = 1000) =>
        posterior.MemberLogits(data, Count, Seed, PriorPrecision, DatasetSize, batchSize);

    /// <summary>One state per draw: the model's, with every covered layer's weight (and bias) replaced by the draw.</summary>
    public IReadOnlyList<WeightSnapshot> MemberStates()
    {
        var states = new List<WeightSnapshot>();
        try
        {
            for (int s = 0; s < Count; s++)
            {
                var state = WeightSnapshot.Of(posterior.Model, $"KFAC-Laplace sample {s + 1}");
                states.Add(state);
                using var scope = NewDisposeScope();
                using var _ = no_grad();
                var draws = posterior.SampleWeights(Seed + s, PriorPrecision, DatasetSize);
                for (int l = 0; l < draws.Count; l++)
                {
                    var layer = posterior.Layers[l];
                    var weight = state.State[layer.WeightKey];
                    long fanIn = weight.numel() / weight.shape[0];
                    weight.copy_(draws[l].narrow(1, 0, fanIn).reshape(weight.shape));
                    if (layer.HasBias) state.State[layer.BiasKey].copy_(draws[l].select(1, fanIn));
                }
            }
            return states;
        }
        catch
        {
            foreach (var s in states) s.Dispose();
            throw;
        }
    }

    public IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["curvature"] = posterior.Curvature.ToString(),
        ["dataset size"] = DatasetSize.ToString("R", CultureInfo.InvariantCulture),
        ["prior precision"] = PriorPrecision.ToString("R", CultureInfo.InvariantCulture),
        ["seed"] = Seed.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>Nothing to free: the posterior and the model belong to the caller.</summary>
    public void Dispose() { }
}
