namespace EnsembleKit.Subnetworks;

/// <summary>The annealing functions of seed 002 eqs. 6.2–6.4: linear, cosine (with π, see <see cref="AnnealingSchedule"/>), exponential.</summary>
public enum AnnealingShape { Linear, Cosine, Exponential }
