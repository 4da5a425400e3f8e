using EnsembleKit.Backend;
using EnsembleKit.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.WeightSpace;

/// <summary>
/// Activation matching (Ainsworth et al. 2022, section 3.1; Li et al. 2016): pairs each hidden unit of model B with
/// the unit of model A whose activations over the same inputs correlate best, one linear assignment per hidden layer.
/// </summary>
public static class ActivationMatching
{
    /// <summary>Permutations of <paramref name="other"/>'s hidden units, in the groups of <see cref="PermutationSpec.ForMlp"/>.</summary>
    /// <param name="reference">Model A, whose unit order is kept; <paramref name="other"/>'s units are matched to its units.</param>
    /// <param name="other">Model B, whose hidden units are permuted; same layer sizes as <paramref name="reference"/>.
    /// Both models are run in eval mode and their training flags are restored afterwards; weights are not changed.</param>
    /// <param name="inputs"><c>[N, in]</c> float32 inputs (a few thousand training images are enough).</param>
    public static Dictionary<string, int[]> AlignMlp(Mlp reference, Mlp other, Tensor inputs)
    {
        if (!reference.Spec.SequenceEqual(other.Spec))
            throw new ArgumentException($"activation matching needs the same architecture; got {reference} and {other}.", nameof(other));
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        bool trainingA = reference.training, trainingB = other.training;
        reference.eval(); other.eval();
        try
        {
            var a = reference.HiddenActivations(inputs);
            var b = other.HiddenActivations(inputs);
            var perms = new Dictionary<string, int[]>();
            for (int l = 0; l < a.Count; l++)
                perms[PermutationSpec.HiddenGroup(l)] = LinearAssignment.Solve(Correlation(a[l], b[l]), maximize: true);
            return perms;
        }
        finally
        {
            reference.train(trainingA); other.train(trainingB);
        }
    }

    /// <summary>
    /// Pearson correlation <c>[n, n]</c> between the columns of <paramref name="a"/> and <paramref name="b"/> (<c>[N, n]</c>);
    /// a unit that never varies (e.g. a dead ReLU) correlates 0 with everything.
    /// </summary>
    public static double[,] Correlation(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        Tensor Standardise(Tensor x)
        {
            var centred = x.to(ScalarType.Float64) - x.to(ScalarType.Float64).mean([0L], keepdim: true);
            using Scalar two = 2, smallest = 1e-12;
            var std = centred.pow(two).mean([0L], keepdim: true).sqrt();
            return centred / std.clamp_min(smallest);
        }
        using Scalar samples = a.shape[0];
        return HostMatrix.Of(Standardise(a).t().matmul(Standardise(b)).div(samples));
    }
}
