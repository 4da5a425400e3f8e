namespace EnsembleKit.Experiments;

/// <summary>
/// One cell of the parent-size sweep (<see cref="ParentSizeSweep"/>, seed 002 E2.5.1): a parent architecture, a child
/// sparsity, and the test accuracies in percent of the parent, its average child and the children's ensemble.
/// </summary>
/// <param name="Parent">The parent's architecture (a <see cref="Models.ModelRegistry"/> name).</param>
/// <param name="Parameters">The parent's parameter count.</param>
/// <param name="ParentAccuracy">The trained parent's test accuracy, %.</param>
/// <param name="Sparsity">The fraction of weights each child removes.</param>
/// <param name="MeanChild">The children's mean test accuracy, %.</param>
/// <param name="Ensemble">The test accuracy of the children's mean of probabilities, %.</param>
/// <param name="ChancePercent">Chance accuracy, % (100 / classes).</param>
public sealed record ParentSizeRow(string Parent, long Parameters, double ParentAccuracy, double Sparsity, double MeanChild, double Ensemble, double ChancePercent)
{
    /// <summary>
    /// How much of its parent's accuracy above chance the average child keeps: (mean child − chance) / (parent − chance);
    /// 1 when pruning costs nothing, 0 when the children guess.
    /// </summary>
    public double KeptAboveChance => (MeanChild - ChancePercent) / (ParentAccuracy - ChancePercent);
}
