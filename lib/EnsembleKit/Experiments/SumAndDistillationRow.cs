namespace EnsembleKit.Experiments;

/// <summary>
/// One architecture's row of <see cref="SumAndDistillationComparison"/>: test accuracies in percent of each independently
/// trained model, their ensemble, the jointly trained sum, the student distilled from the ensemble and the one
/// self-distilled from the first model.
/// </summary>
public sealed record SumAndDistillationRow(string Model, IReadOnlyList<double> Singles, double Ensemble, double Sum,
    double KnowledgeDistillation, double SelfDistillation)
{
    /// <summary>The best single model's accuracy, %.</summary>
    public double BestSingle => Singles.Max();

    /// <summary>The single models' mean accuracy, %.</summary>
    public double MeanSingle => Singles.Average();

    /// <summary>The single models' sample standard deviation (n − 1), points; 0 for one model.</summary>
    public double SingleStandardDeviation => Metrics.SampleStatistics.MeanAndStd(Singles).StandardDeviation;
}
