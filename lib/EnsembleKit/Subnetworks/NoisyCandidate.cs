namespace EnsembleKit.Subnetworks;

/// <summary>
/// One candidate of Algorithm 1's population: its index, the (M, N) draw it came from, the sign of the noise and whether
/// it used the anti-mask (seed 002 eqs. 4.8–4.11), its fitness (validation accuracy), its mean KL(parent ‖ child) on the
/// validation split, and whether it was selected into the ensemble.
/// </summary>
public sealed record NoisyCandidate(int Index, int Draw, int Sign, bool AntiMask, double ValidationAccuracy, double MeanKl, bool Selected);
