using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EnsembleKit.Training.Lockstep;

/// <summary>
/// Per-member weight masks on a lockstep model: for every stacked parameter that some member masks, the members' 0/1
/// masks stacked <c>[M, ...]</c> (ones for a member without one). What a mask enforcer does for one network, done for all
/// at once: the removed weights' gradients are zeroed before the optimiser step (so momentum stays zero there) and the
/// weights are masked again after it.
/// </summary>
sealed class StackedMasks : IDisposable
{
    readonly List<(Parameter Parameter, Tensor Mask)> masked = [];

    /// <summary>
    /// The stacked masks of <paramref name="model"/>'s members <paramref name="first"/>.. (null when none of them is masked).
    /// A mask is keyed by the member's parameter name (the stacked parameter's too) and has that parameter's shape.
    /// </summary>
    /// <exception cref="ArgumentException">A mask names no parameter of the model or has another shape.</exception>
    public static StackedMasks? Of(LockstepModel model, IReadOnlyList<IReadOnlyDictionary<string, Tensor>?>? masks, int first)
    {
        if (masks is null || masks.All(m => m is null)) return null;
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        for (int m = 0; m < masks.Count; m++)
        {
            foreach (var (name, mask) in masks[m] ?? new Dictionary<string, Tensor>())
            {
                if (!parameters.TryGetValue(name, out var p))
                    throw new ArgumentException($"member {first + m + 1}'s mask names '{name}', which the members do not have (they have {string.Join(", ", parameters.Keys)}).", nameof(masks));
                if (!mask.shape.SequenceEqual(p.shape.Skip(1)))
                    throw new ArgumentException($"member {first + m + 1}'s mask '{name}' is [{string.Join(", ", mask.shape)}] but the parameter is [{string.Join(", ", p.shape.Skip(1))}].", nameof(masks));
            }
        }
        var result = new StackedMasks();
        foreach (var (name, p) in parameters)
        {
            if (!masks.Any(m => m?.ContainsKey(name) == true)) continue;
            using var scope = NewDisposeScope();
            var stacked = stack(masks.Select(m => m is not null && m.TryGetValue(name, out var mask)
                ? mask.to(p.dtype, p.device)
                : ones(p.shape.Skip(1).ToArray(), p.dtype, p.device)).ToList(), 0);
            result.masked.Add((p, stacked.MoveToOuterDisposeScope()));
        }
        return result;
    }

    /// <summary><c>∇W ← ∇W ∘ M</c> for every masked parameter with a gradient.</summary>
    public void MaskGradients()
    {
        using var _ = no_grad();
        foreach (var (p, mask) in masked) p.grad?.mul_(mask);
    }

    /// <summary><c>W ← W ∘ M</c>.</summary>
    public void Apply()
    {
        using var _ = no_grad();
        foreach (var (p, mask) in masked) p.mul_(mask);
    }

    /// <summary>What the masks keep, member by member, for the run's settings (<c>member m: kept of total</c>).</summary>
    public string Describe(int first)
    {
        int count = (int)masked[0].Mask.shape[0];
        return string.Join("; ", Enumerable.Range(0, count).Select(m =>
        {
            long kept = 0, total = 0;
            foreach (var (_, mask) in masked)
            {
                using var member = mask[m];
                using var nonZero = member.count_nonzero();
                kept += nonZero.item<long>();
                total += member.numel();
            }
            return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"member {first + m + 1}: {kept} of {total} kept");
        }));
    }

    public void Dispose()
    {
        foreach (var (_, mask) in masked) mask.Dispose();
        masked.Clear();
    }
}
