using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.WeightSpace;

/// <summary>Sinkhorn normalisation (Sinkhorn 1964; Mena et al. 2018): a square score matrix to a doubly-stochastic matrix.</summary>
public static class Sinkhorn
{
    /// <summary>
    /// <c>exp(scores / temperature)</c> with rows and columns alternately normalised to sum to one, <paramref name="iterations"/>
    /// times, in log space so large scores do not overflow. Differentiable. <paramref name="scores"/> is <c>[n, n]</c>.
    /// </summary>
    public static Tensor Normalise(Tensor scores, int iterations = 20, double temperature = 1.0)
    {
        if (scores.dim() != 2 || scores.shape[0] != scores.shape[1])
            throw new ArgumentException($"Sinkhorn needs a square matrix; got [{string.Join(", ", scores.shape)}].", nameof(scores));
        using var scope = NewDisposeScope();
        using Scalar divisor = temperature;
        var log = scores.div(divisor);
        for (int k = 0; k < iterations; k++)
        {
            log = log - log.logsumexp(1, keepdim: true);
            log = log - log.logsumexp(0, keepdim: true);
        }
        return log.exp().MoveToOuterDisposeScope();
    }
}
