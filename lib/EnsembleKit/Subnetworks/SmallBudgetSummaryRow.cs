namespace EnsembleKit.Subnetworks;

/// <summary>
/// One data set and method of <see cref="SmallBudgetSummary"/>: the means over runs of <see cref="SmallBudgetRow"/>'s
/// accuracy (percent, 2 decimals), NLL and ECE (4 decimals) and members' accuracy (2 decimals), and the accuracy's
/// standard error over runs (2 decimals; NaN for one run).
/// </summary>
public sealed record SmallBudgetSummaryRow(string Data, string Method, int Members, double Accuracy, double StdError, double Nll, double Ece, double MemberAccuracy);
