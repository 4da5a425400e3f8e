namespace EnsembleKit.Evaluation;

/// <summary>
/// One method's ensemble of <paramref name="K"/> members or samples in a <see cref="SizeSweep"/>: its scores and its deep
/// ensemble equivalent (DEE, Ashukha et al. 2020: the size of deep ensemble with the same calibrated NLL).
/// </summary>
/// <param name="Method">The ensemble's method name.</param>
/// <param name="K">How many of its members were combined (<see cref="SizeSweep.Members"/> says which).</param>
/// <param name="Score">Error, NLL, ECE, Brier and the two-fold calibrated NLL of the combined prediction.</param>
/// <param name="Dee">The deep ensemble equivalent of <see cref="ScoreRow.CalibratedNll"/>, between 1 and the deep ensemble's size.</param>
public sealed record SizeSweepRow(string Method, int K, ScoreRow Score, double Dee);
