namespace EnsembleKit.Subnetworks;

/// <summary>
/// Which units a mask removes: <see cref="Random"/> ones (seed 002's default), or those of smallest
/// <see cref="Magnitude"/> per tensor (L1 pruning, seed 002 Table 6.1: smallest |w| for connections, smallest row L1
/// norm for neurons/channels; ties go to the lower index).
/// </summary>
public enum MaskCriterion { Random, Magnitude }
