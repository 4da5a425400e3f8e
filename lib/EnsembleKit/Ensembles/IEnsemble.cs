using EnsembleKit.Data;
using static TorchSharp.torch;

namespace EnsembleKit.Ensembles;

/// <summary>
/// What every ensemble method in the kit is, once trained: <see cref="Count"/> members whose logits on a dataset come out
/// as one <c>[M, N, C]</c> tensor, a <see cref="Rule"/> that combines them, and a file it can be saved to and loaded from
/// (<see cref="EnsembleFile"/>). Deep ensembles, bagging, snapshot and fast geometric ensembles, SWA, MC dropout and the
/// subnetwork ensembles all implement it, so one evaluation (<see cref="Evaluation.EnsembleEvaluation"/>) scores them all.
/// </summary>
public interface IEnsemble : IDisposable
{
    /// <summary>The method's name as tables print it, e.g. "deep ensemble", "snapshot ensemble", "MC dropout".</summary>
    string Method { get; }

    /// <summary>The number of members M (snapshots, samples, children).</summary>
    int Count { get; }

    /// <summary>How member outputs are combined into the ensemble's distribution.</summary>
    CombinationRule Rule { get; }

    /// <summary>Member logits <c>[M, N, C]</c> on every row of <paramref name="data"/> (eval mode, no gradients).</summary>
    Tensor MemberLogits(TensorDataset data, int batchSize = 1000);

    /// <summary>The members as weight states on the CPU, in member order, for <see cref="EnsembleFile.Save"/>
    /// (the caller disposes them).</summary>
    IReadOnlyList<Training.WeightSnapshot> MemberStates();

    /// <summary>Method-specific settings a loaded ensemble needs besides the member states (e.g. MC dropout's seed);
    /// recorded in the file's header as text.</summary>
    IReadOnlyDictionary<string, string> Settings { get; }
}
