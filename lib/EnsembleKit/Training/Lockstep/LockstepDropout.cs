using static TorchSharp.torch;

namespace EnsembleKit.Training.Lockstep;

/// <summary>
/// Dropout for stacked members: each member's mask is drawn from its own generator with the shape the member would
/// have alone, and the same way libtorch's CPU dropout draws it (<c>empty_like(x).bernoulli_(1 - p)</c>, then
/// <c>x · mask / (1 - p)</c>), so a member seeded like its sequential run gets the sequential masks.
/// </summary>
public static class LockstepDropout
{
    /// <summary>Where the members sit in a stacked activation.</summary>
    public enum Layout
    {
        /// <summary><c>[M, B, ...]</c>: member m is row m of dimension 0 (linear layers).</summary>
        Stacked,
        /// <summary><c>[B, M·C, ...]</c>: member m owns channels <c>m·C .. (m+1)·C - 1</c> (grouped convolutions).</summary>
        Channels,
    }

    /// <summary>
    /// Applies dropout with rate <paramref name="rate"/> to <paramref name="x"/> holding <paramref name="count"/> members
    /// in <paramref name="layout"/>; with <paramref name="streams"/> null one mask is drawn from the global generator.
    /// </summary>
    public static Tensor Apply(Tensor x, double rate, int count, Layout layout, IReadOnlyList<Generator>? streams)
    {
        if (rate is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(rate), $"dropout must be in [0, 1); got {rate}.");
        if (streams is not null && streams.Count != count)
            throw new ArgumentException($"need one dropout generator per member ({count}); got {streams.Count}.", nameof(streams));
        using var scope = NewDisposeScope();
        Tensor mask;
        if (streams is null)
        {
            mask = empty_like(x).bernoulli_(1 - rate);
        }
        else
        {
            int dim = layout == Layout.Stacked ? 0 : 1;
            var parts = x.chunk(count, dim);
            var masks = new Tensor[count];
            for (int m = 0; m < count; m++)
            {
                // A member's own shape ([B, ...] or [B, C, ...]) so its stream advances as in a sequential run.
                var own = layout == Layout.Stacked ? parts[m].squeeze(0) : parts[m];
                masks[m] = empty(own.shape, dtype: x.dtype, device: x.device).bernoulli_(1 - rate, generator: streams[m]);
            }
            mask = layout == Layout.Stacked ? stack(masks, 0) : cat(masks, 1);
        }
        return x.mul(mask.div_(1 - rate)).MoveToOuterDisposeScope();
    }
}
