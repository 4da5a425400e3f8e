namespace EnsembleKit.Subnetworks;

/// <summary>
/// How a child reaches its sparse subnetwork while it is tuned (seed 002 Table 6.1): pruned at once before tuning
/// (<see cref="OneShot"/>, Algorithm 2), in equal steps over the first ε epochs (<see cref="Iterative"/>), or by stochastic
/// subnetwork annealing over ε epochs (<see cref="RandomAnnealing"/>, <see cref="TemperatureAnnealing"/>, Algorithm 3).
/// </summary>
public enum PruningMethod { OneShot, Iterative, RandomAnnealing, TemperatureAnnealing }
