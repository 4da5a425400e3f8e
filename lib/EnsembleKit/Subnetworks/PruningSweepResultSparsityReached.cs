namespace EnsembleKit.Subnetworks;

public sealed partial record PruningSweepResult
{
    /// <summary>
    /// The weight sparsity the runs reached per target sparsity, in the runs' order: <c>"50% -> 49.80%..49.80%, 90% -> ..."</c>
    /// (the lowest and highest <see cref="PruningSweepRun.AchievedSparsity"/> of each target, <c>P0</c> and <c>P2</c>).
    /// </summary>
    public string SparsityReached() => string.Join(", ", Runs.GroupBy(r => r.Sparsity)
        .Select(g => $"{g.Key:P0} -> {g.Min(r => r.AchievedSparsity):P2}..{g.Max(r => r.AchievedSparsity):P2}"));
}
