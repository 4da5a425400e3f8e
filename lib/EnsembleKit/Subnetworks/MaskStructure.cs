namespace EnsembleKit.Subnetworks;

/// <summary>
/// Granularity of a subnetwork mask (seed 002 §3.2.1). <see cref="Unstructured"/> masks single connections
/// (entries of a weight tensor); <see cref="Structured"/> masks whole rows of dimension 0, i.e. output neurons of a
/// linear layer (<c>[out, in]</c>) or output channels of a convolution (<c>[out, in, kh, kw]</c>).
/// </summary>
public enum MaskStructure { Unstructured, Structured }
