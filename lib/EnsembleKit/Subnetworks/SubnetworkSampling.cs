namespace EnsembleKit.Subnetworks;

/// <summary>How children's subnetworks are drawn: independently at random (R), or by Neural Partitioning (NP), groups of k disjoint masks.</summary>
public enum SubnetworkSampling { Random, NeuralPartitioning }
