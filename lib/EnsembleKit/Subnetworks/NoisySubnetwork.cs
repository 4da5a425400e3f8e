using EnsembleKit.Backend;
using EnsembleKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Subnetworks;

/// <summary>Noise mutations of subnetworks (seed 002 ch. 4, eqs. 4.1–4.3 and the mirrored/partitioned 4.6–4.11).</summary>
public static class NoisySubnetwork
{
    /// <summary>
    /// Mutates <paramref name="model"/> in place: <c>W ← W + N ∘ M</c>, M drawn with <paramref name="mask"/> (Sparsity =
    /// fraction left unperturbed), <c>N ~ N(mean, sigma²)</c>; both from <paramref name="seed"/>, so the same seed repeats the mutation.
    /// </summary>
    public static void Mutate(nn.Module model, double sigma, MaskOptions mask, long seed, double mean = 0)
    {
        TorchRuntime.EnsureInitialized();
        new NoisySubnetworkOptions { Sigma = sigma, Mean = mean, Mask = mask }.Validate();
        using var draw = NoiseDraw.Create(model, mask, sigma, mean, seed);
        draw.Apply(model, +1, complement: false);
    }

    /// <summary>
    /// <paramref name="count"/> mutated copies of <paramref name="parent"/> (built by <paramref name="create"/>, which must
    /// return a new model of the same architecture), without selection. Draw <c>d</c> uses seed
    /// <c>(seed, d)</c> and yields, in this order, <c>W + N∘M</c>, then <c>W + N∘(1−M)</c> if partitioned, <c>W − N∘M</c> if
    /// mirrored, <c>W − N∘(1−M)</c> if both; the last draw is cut short when <paramref name="count"/> is not a multiple.
    /// The caller owns the children.
    /// </summary>
    public static List<TModel> Children<TModel>(TModel parent, Func<TModel> create, NoisySubnetworkOptions options, int count, long seed)
        where TModel : nn.Module<Tensor, Tensor>
    {
        TorchRuntime.EnsureInitialized();
        options.Validate();
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), $"child count must be positive; got {count}.");
        var children = new List<TModel>();
        foreach (var (draw, sign, complement, _) in Variants(parent, options, count, seed))
        {
            var child = ModelState.Clone(parent, create);
            draw.Apply(child, sign, complement);
            children.Add(child);
        }
        return children;
    }

    /// <summary>The (draw, sign, complement, draw index) of each child in order; each draw is disposed once its children are made.</summary>
    internal static IEnumerable<(NoiseDraw Draw, double Sign, bool Complement, int DrawIndex)> Variants(nn.Module parent, NoisySubnetworkOptions o, int count, long seed)
    {
        var variants = new List<(double, bool)> { (+1, false) };
        if (o.Partitioned) variants.Add((+1, true));
        if (o.Mirrored) variants.Add((-1, false));
        if (o.Mirrored && o.Partitioned) variants.Add((-1, true));
        int made = 0;
        for (int d = 0; made < count; d++)
        {
            using var draw = NoiseDraw.Create(parent, o.Mask, o.Sigma, o.Mean, SeedMix.Of(seed, d));
            foreach (var (sign, complement) in variants)
            {
                if (made == count) break;
                yield return (draw, sign, complement, d);
                made++;
            }
        }
    }
}
