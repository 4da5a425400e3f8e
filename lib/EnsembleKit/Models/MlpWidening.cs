using EnsembleKit.Backend;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Models;

/// <summary>
/// Function-preserving widening of an MLP's hidden layer, as MotherNets (Wasay et al. 2020) "hatch" a larger child from a
/// small trained network (seed 002 compares it with SSE in E2.5.5): the old units keep their weights; each new unit gets
/// fresh incoming weights (PyTorch's default initialisation of that layer, seeded) and **zero outgoing weights**, so the
/// widened network computes exactly what the original did until training moves the new weights.
/// </summary>
public static class MlpWidening
{
    /// <param name="model">The trained network; left unchanged.</param>
    /// <param name="hiddenLayer">Which hidden layer to widen (0 = the first layer's outputs).</param>
    /// <param name="width">The new number of units; at least the current one.</param>
    /// <param name="seed">Seeds the fresh incoming weights and biases of the new units.</param>
    public static Mlp Widen(Mlp model, int hiddenLayer, int width, long seed = 0)
    {
        TorchRuntime.EnsureInitialized();
        ArgumentNullException.ThrowIfNull(model);
        if (hiddenLayer < 0 || hiddenLayer >= model.Spec.Count - 1)
            throw new ArgumentOutOfRangeException(nameof(hiddenLayer), $"{model} has {model.Spec.Count - 1} hidden layer(s); got index {hiddenLayer}.");
        int current = model.Spec[hiddenLayer].Out;
        if (width < current) throw new ArgumentOutOfRangeException(nameof(width), $"widening cannot shrink hidden layer {hiddenLayer} from {current} to {width} units.");

        var spec = model.Spec.ToArray();
        spec[hiddenLayer] = (spec[hiddenLayer].In, width);
        spec[hiddenLayer + 1] = (width, spec[hiddenLayer + 1].Out);
        var wide = new Mlp(spec, model.DropoutRate);
        using var generator = new Generator((ulong)seed);
        using (no_grad())
        {
            var source = model.Layers;
            var target = wide.Layers;
            for (int l = 0; l < source.Count; l++)
            {
                var (from, to) = (source[l], target[l]);
                if (l == hiddenLayer)
                {
                    // new units: PyTorch's default Linear initialisation, U(-1/sqrt(fan_in), 1/sqrt(fan_in)), from the seed
                    double bound = 1 / Math.Sqrt(from.weight!.shape[1]);
                    using (var init = NewDisposeScope())
                    {
                        using Scalar range = 2 * bound, lower = bound;
                        to.weight!.copy_(rand(to.weight!.shape, generator: generator).mul_(range).sub_(lower));
                        to.bias!.copy_(rand(to.bias!.shape, generator: generator).mul_(range).sub_(lower));
                    }
                    to.weight!.narrow(0, 0, current).copy_(from.weight!);      // old units keep their incoming weights
                    to.bias!.narrow(0, 0, current).copy_(from.bias!);
                }
                else if (l == hiddenLayer + 1)
                {
                    to.weight!.zero_();                                         // new units start silent downstream
                    to.weight!.narrow(1, 0, current).copy_(from.weight!);
                    to.bias!.copy_(from.bias!);
                }
                else
                {
                    to.weight!.copy_(from.weight!);
                    to.bias!.copy_(from.bias!);
                }
            }
        }
        return wide;
    }
}
