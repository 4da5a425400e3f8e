namespace EnsembleKit.Experiments;

/// <summary>
/// One method's accuracies on one data set of <see cref="MultiViewComparison"/>, in percent rounded to 2 decimals: on
/// the test set, on its single-view samples (NaN when it has none) and on the training set.
/// </summary>
public sealed record MultiViewComparisonRow(string Data, string Method, double TestAccuracy, double SingleViewAccuracy, double TrainAccuracy);
