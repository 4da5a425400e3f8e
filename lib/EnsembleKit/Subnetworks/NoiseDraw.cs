using EnsembleKit.Backend;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Subnetworks;

/// <summary>One (M, N) draw of seed 002 eqs. 4.6–4.7: a mask and a Gaussian noise tensor per masked parameter (CPU, owned).</summary>
internal sealed class NoiseDraw : IDisposable
{
    public SubnetworkMask Mask { get; }
    readonly Dictionary<string, Tensor> _noise;

    NoiseDraw(SubnetworkMask mask, Dictionary<string, Tensor> noise)
    {
        Mask = mask;
        _noise = noise;
    }

    /// <summary>Mask from seed part 1, noise from part 2 of <paramref name="seed"/>; noise in the mask's name order.</summary>
    public static NoiseDraw Create(nn.Module model, MaskOptions mask, double sigma, double mean, long seed)
    {
        var m = SubnetworkMask.Sample(model, mask, SeedMix.Of(seed, 1));
        using var scope = NewDisposeScope();
        using var generator = new Generator((ulong)SeedMix.Of(seed, 2));
        var noise = new Dictionary<string, Tensor>();
        using Scalar scale = sigma, shift = mean;
        foreach (var name in m.Names)
            noise[name] = randn(m[name].shape, generator: generator).mul_(scale).add_(shift).DetachFromDisposeScope();
        return new NoiseDraw(m, noise);
    }

    /// <summary><c>W ← W + sign · N ∘ M</c>, or with <c>1 − M</c> when <paramref name="complement"/>.</summary>
    public void Apply(nn.Module model, double sign, bool complement)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        using Scalar one = 1, direction = sign;
        foreach (var (name, p) in Mask.Resolve(model))
        {
            var m = Mask.On(name, p);
            var selected = complement ? m.neg().add(one) : m;
            p.add_(_noise[name].to(p.dtype, p.device).mul(selected), alpha: direction);
        }
    }

    public void Dispose()
    {
        Mask.Dispose();
        foreach (var n in _noise.Values) n.Dispose();
    }
}
