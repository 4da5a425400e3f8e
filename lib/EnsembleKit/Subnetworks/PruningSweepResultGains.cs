namespace EnsembleKit.Subnetworks;

public sealed partial record PruningSweepResult
{
    /// <summary>
    /// <paramref name="method"/>'s best accuracy against <paramref name="baseline"/>'s at each of
    /// <paramref name="sparsities"/> (<see cref="Best"/>, mean over seeds), in percent with 2 decimals:
    /// <c>"90%: 85.76 vs 83.56, 95%: 83.52 vs 19.01"</c> (sparsities formatted as <c>P0</c> in the current culture).
    /// </summary>
    public string Gains(string criterion, string rates, string method, IEnumerable<double> sparsities, string baseline = PruningMethodSweep.OneShot)
    {
        ArgumentNullException.ThrowIfNull(sparsities);
        return string.Join(", ", sparsities.Select(s =>
            $"{s:P0}: {Best(criterion, rates, method, s).Accuracy * 100:F2} vs {Best(criterion, rates, baseline, s).Accuracy * 100:F2}"));
    }
}
