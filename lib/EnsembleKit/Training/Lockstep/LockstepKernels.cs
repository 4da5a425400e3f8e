namespace EnsembleKit.Training.Lockstep;

/// <summary>How a <see cref="LockstepModel"/> runs its stacked layers.</summary>
public enum LockstepKernels
{
    /// <summary><see cref="PerMember"/> on the CPU, <see cref="Batched"/> on any other device.</summary>
    Auto,

    /// <summary>
    /// Each member's layer as its own call (matrix product, convolution) inside one graph. Fastest on this CPU build of
    /// libtorch, where batched matrix products and grouped convolutions measured slower than the members' own calls.
    /// </summary>
    PerMember,

    /// <summary>
    /// One call per layer for all members: a batched matrix product for linear layers and one grouped convolution (members'
    /// channels side by side, <c>groups = M</c>) for convolutions. M times fewer kernel launches, which is what a GPU
    /// running small members is bound by.
    /// </summary>
    Batched,
}
