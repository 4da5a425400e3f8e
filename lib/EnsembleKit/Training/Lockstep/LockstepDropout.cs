using EnsembleKit.Backend;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Training.Lockstep;

/// <summary>
/// Dropout for stacked members <c>[M, B, ...]</c>: each member's mask is drawn from its own generator with the shape the
/// member would have alone, the way libtorch's CPU dropout draws it (<c>empty_like(x).bernoulli_(1 - p)</c>, then
/// <c>x · mask / (1 - p)</c>), so a member whose generator is seeded like its sequential run gets the sequential masks.
/// </summary>
public static class LockstepDropout
{
    /// <summary>
    /// Applies dropout with rate <paramref name="rate"/> to <paramref name="x"/> <c>[M, B, ...]</c>; with
    /// <paramref name="streams"/> null one mask is drawn from the global generator.
    /// </summary>
    public static Tensor Apply(Tensor x, double rate, IReadOnlyList<Generator>? streams)
    {
        if (rate is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(rate), $"dropout must be in [0, 1); got {rate}.");
        if (streams is not null && streams.Count != x.shape[0])
            throw new ArgumentException($"need one dropout generator per member ({x.shape[0]}); got {streams.Count}.", nameof(streams));
        using var scope = NewDisposeScope();
        var memberShape = x.shape.Skip(1).ToArray();
        var mask = streams is null
            ? empty_like(x).bernoulli_(1 - rate)
            : stack(streams.Select(g => SeededDraws.Bernoulli(memberShape, 1 - rate, x.dtype, x.device, g)).ToList(), 0);
        using Scalar keep = 1 - rate;
        return x.mul(mask.div_(keep)).MoveToOuterDisposeScope();
    }

    /// <summary>Dropout on one member's activation <paramref name="x"/> <c>[B, ...]</c>, drawn from <paramref name="stream"/> (global when null).</summary>
    public static Tensor ApplyOne(Tensor x, double rate, Generator? stream)
    {
        if (rate is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(rate), $"dropout must be in [0, 1); got {rate}.");
        using var scope = NewDisposeScope();
        var mask = stream is null ? empty_like(x).bernoulli_(1 - rate) : SeededDraws.Bernoulli(x.shape, 1 - rate, x.dtype, x.device, stream);
        using Scalar keep = 1 - rate;
        return x.mul(mask.div_(keep)).MoveToOuterDisposeScope();
    }
}
