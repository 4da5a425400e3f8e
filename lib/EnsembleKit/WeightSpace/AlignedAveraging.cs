using EnsembleKit.Backend;
using EnsembleKit.Data;
using EnsembleKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.WeightSpace;

/// <summary>
/// Aligns members 2..M to member 1 (the reference) by hidden-unit permutations, then averages the aligned weights.
/// Permuting hidden units does not change what a network computes, so each aligned member is the same function as
/// before; only the average changes.
/// </summary>
public static class AlignedAveraging
{
    /// <summary>Finds the permutation of <c>other</c> that aligns it to <c>reference</c>.</summary>
    public delegate IReadOnlyDictionary<string, int[]> Aligner(nn.Module<Tensor, Tensor> reference, nn.Module<Tensor, Tensor> other);

    /// <summary>Weight matching as the aligner.</summary>
    public static Aligner ByWeightMatching(PermutationSpec spec, long seed = 0) => (reference, other) =>
    {
        var a = ModelState.Copy(reference);
        var b = ModelState.Copy(other);
        try { return WeightMatching.Align(spec, a, b, seed: seed).Permutations; }
        finally { ModelState.Dispose(a); ModelState.Dispose(b); }
    };

    /// <summary>The members' states with members 2..M permuted into member 1's unit order (caller disposes).</summary>
    public static List<Dictionary<string, Tensor>> AlignedStates(IReadOnlyList<nn.Module<Tensor, Tensor>> members, PermutationSpec spec, Aligner align)
    {
        TorchRuntime.EnsureInitialized();
        if (members.Count == 0) throw new ArgumentException("no members to align.", nameof(members));
        var states = new List<Dictionary<string, Tensor>> { ModelState.Copy(members[0]) };
        for (int m = 1; m < members.Count; m++)
        {
            var perms = align(members[0], members[m]);
            var state = ModelState.Copy(members[m]);
            states.Add(Permutations.Apply(spec, state, perms));
            ModelState.Dispose(state);
        }
        return states;
    }

    /// <summary>
    /// Writes the average of the aligned members into <paramref name="target"/>; batch-norm statistics are recomputed on
    /// <paramref name="recalibrationData"/> when the network has batch norm.
    /// </summary>
    public static TModel Into<TModel>(IReadOnlyList<nn.Module<Tensor, Tensor>> members, PermutationSpec spec, TModel target, Aligner align,
        TensorDataset? recalibrationData = null) where TModel : nn.Module<Tensor, Tensor>
    {
        var states = AlignedStates(members, spec, align);
        try
        {
            var average = WeightAveraging.Average(states.Cast<IReadOnlyDictionary<string, Tensor>>().ToList());
            ModelState.Load(target, average);
            ModelState.Dispose(average);
        }
        finally
        {
            foreach (var s in states) ModelState.Dispose(s);
        }
        if (BatchNormRecalibration.Layers(target).Count > 0)
        {
            if (recalibrationData is null)
                throw new ArgumentException("the network has batch norm: pass training data to recompute its running statistics after averaging.", nameof(recalibrationData));
            BatchNormRecalibration.Recompute(target, recalibrationData);
        }
        target.eval();
        return target;
    }
}
