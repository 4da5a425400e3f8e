namespace EnsembleKit.Subnetworks;

/// <summary>
/// One grid setting of the trust-region search, measured on the validation split and averaged over the draws:
/// mean <c>KL(parent ‖ child)</c> (seed 002 eq. 4.5), mean squared difference of the softmax outputs (eq. 4.4), and
/// the mutants' mean accuracy; <see cref="WithinBound"/> when the mean KL is at most the bound Δ.
/// </summary>
public sealed record TrustRegionPoint(double Sigma, double Sparsity, double MeanKl, double MeanSquaredDifference, double MeanAccuracy, bool WithinBound);
