using System.Globalization;
using EnsembleKit.Data;
using EnsembleKit.Training;
using static TorchSharp.torch;

namespace EnsembleKit.Ensembles;

/// <summary>
/// Last-layer Laplace's predictive as an <see cref="IEnsemble"/> (<see cref="LaplacePosterior.ToEnsemble"/>): Monte Carlo
/// members are weight draws of the head (draw s seeded <c>Seed + s</c>), computed on the features once; the probit
/// predictive is one member whose logits are log p. Method names: "last-layer Laplace (diag, MC)", "(KFAC, probit)", ...
/// Uses the posterior and its model without owning them.
/// </summary>
public sealed class LaplaceEnsemble : IEnsemble
{
    readonly LaplacePosterior posterior;

    internal LaplaceEnsemble(LaplacePosterior posterior, LaplacePredictive predictive, int count, long seed, double priorPrecision, CombinationRule rule)
    {
        this.posterior = posterior;
        Predictive = predictive;
        Count = count;
        Seed = seed;
        PriorPrecision = priorPrecision;
        Rule = rule;
    }

    public LaplacePredictive Predictive { get; }
    public long Seed { get; }
    /// <summary>λ, fixed when the ensemble was made.</summary>
    public double PriorPrecision { get; }
    public int Count { get; }
    public CombinationRule Rule { get; }

    public string Method => $"last-layer Laplace ({(posterior.Kind == HessianKind.Diagonal ? "diag" : "KFAC")}, {(Predictive == LaplacePredictive.MonteCarlo ? "MC" : "probit")})";

    /// <summary>Member logits <c>[M, N, C]</c> float32 on <paramref name="data"/>'s device.</summary>
    public Tensor MemberLogits(TensorDataset data, int batchSize = 1000)
    {
        ArgumentNullException.ThrowIfNull(data);
        using var scope = NewDisposeScope();
        var inputs = posterior.Features(data, batchSize);
        return posterior.PredictiveLogits(inputs, Predictive, Count, Seed, PriorPrecision).to(data.Inputs.device).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Monte Carlo: one state per draw, the model's with the head's weight (and bias) replaced by the draw, so a loaded
    /// file is a deep ensemble of the draws. The probit predictive is no set of weights and cannot be saved this way.
    /// </summary>
    public IReadOnlyList<WeightSnapshot> MemberStates()
    {
        if (Predictive != LaplacePredictive.MonteCarlo)
            throw new NotSupportedException($"{Method} is not a set of weight states; save the Monte Carlo predictive instead.");
        var head = posterior.Head;
        int d = (int)head.Head.weight!.shape[1];
        var states = new List<WeightSnapshot>();
        try
        {
            for (int s = 0; s < Count; s++)
            {
                var state = WeightSnapshot.Of(posterior.Model, $"Laplace sample {s + 1}");
                states.Add(state);
                using var scope = NewDisposeScope();
                using var _ = no_grad();
                var w = posterior.SampleWeights(Seed + s, PriorPrecision);
                var weight = state.State[head.WeightKey];
                weight.copy_(w.narrow(1, 0, d).to(weight.dtype));
                if (posterior.HasBias)
                {
                    var bias = state.State[head.BiasKey];
                    bias.copy_(w.select(1, d).to(bias.dtype));
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
        ["hessian"] = posterior.Kind.ToString(),
        ["predictive"] = Predictive.ToString(),
        ["prior precision"] = PriorPrecision.ToString("R", CultureInfo.InvariantCulture),
        ["seed"] = Seed.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>Nothing to free: the posterior and the model belong to the caller.</summary>
    public void Dispose() { }
}
