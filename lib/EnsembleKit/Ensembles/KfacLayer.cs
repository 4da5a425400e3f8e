using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EnsembleKit.Ensembles;

/// <summary>
/// One layer KFAC-Laplace covers, an <c>nn.Linear</c> or an <c>nn.Conv2d</c>, seen as a matrix W̄ <c>[O, Q]</c>: the weight
/// flattened to <c>[O, fan-in]</c> (a convolution's <c>[O, C_in, kh, kw]</c> row-major, the order <c>unfold</c> lays out its
/// patches in), with the bias as column Q when the layer has one. A convolution is a linear layer applied at every output
/// position t to the input patch a_t; following Grosse and Martens (2016, KFC: spatially homogeneous, spatially
/// uncorrelated derivatives), its factors sum a_t a_tᵀ over positions and average g_t g_tᵀ over them.
/// </summary>
internal sealed class KfacLayer
{
    KfacLayer(string name, nn.Module<Tensor, Tensor> module, Parameter weight, Parameter? bias, Conv2d? conv)
    {
        Name = name;
        Module = module;
        Weight = weight;
        Bias = bias;
        Conv = conv;
    }

    public string Name { get; }
    public nn.Module<Tensor, Tensor> Module { get; }
    public Parameter Weight { get; }
    public Parameter? Bias { get; }
    Conv2d? Conv { get; }

    /// <summary>O, the layer's outputs (a convolution's output channels).</summary>
    public long Outputs => Weight.shape[0];
    /// <summary>Q, the fan-in plus one for the bias.</summary>
    public long InputSize => Weight.numel() / Weight.shape[0] + (Bias is null ? 0 : 1);

    public static KfacLayer Of(string name, nn.Module module)
    {
        switch (module)
        {
            case Linear linear:
                return new KfacLayer(name, linear, linear.weight!, linear.bias, null);
            case Conv2d conv:
                string where = name.Length == 0 ? "the model" : $"layer '{name}'";
                if (conv.groups != 1)
                    throw new NotSupportedException($"KFAC-Laplace covers ungrouped convolutions only; {where} has groups = {conv.groups}.");
                if (conv.padding_mode != PaddingModes.Zeros)
                    throw new NotSupportedException($"KFAC-Laplace covers zero-padded convolutions only; {where} pads with {conv.padding_mode}.");
                if (conv.padding is null)
                    throw new NotSupportedException($"KFAC-Laplace needs {where}'s padding as numbers; it was given as {conv.padding_type}.");
                return new KfacLayer(name, conv, conv.weight!, conv.bias, conv);
            default:
                throw new NotSupportedException($"KFAC-Laplace covers nn.Linear and nn.Conv2d; layer '{name}' is a {module.GetType().Name}.");
        }
    }

    public Tensor Call(Tensor x) => Module.call(x);

    /// <summary>
    /// The rows a whose outer products make A: <c>[B, Q]</c> for a linear layer (its input, with a 1 appended for the bias),
    /// <c>[B·T, Q]</c> for a convolution (the input patch at each of the T output positions), float64 on the CPU.
    /// </summary>
    public Tensor InputRows(Tensor input)
    {
        Tensor rows;
        if (Conv is null)
        {
            if (input.dim() != 2)
                throw new NotSupportedException($"layer '{Name}' gets inputs [{string.Join(", ", input.shape)}]: KFAC-Laplace covers "
                    + "nn.Linear layers applied to [B, I] rows only.");
            rows = input.detach().to(CPU).to(ScalarType.Float64);
        }
        else
        {
            var patches = nn.functional.unfold(input.detach(), (Conv.kernel_size[0], Conv.kernel_size[1]), (Conv.dilation[0], Conv.dilation[1]),
                (Conv.padding![0], Conv.padding[1]), (Conv.stride[0], Conv.stride[1]));        // [B, C_in·kh·kw, T]
            rows = patches.transpose(1, 2).reshape(-1, patches.shape[1]).to(CPU).to(ScalarType.Float64);
        }
        return Bias is null ? rows : cat([rows, ones(rows.shape[0], 1, dtype: ScalarType.Float64)], 1);
    }

    /// <summary>
    /// gᵀg for one back-propagated batch of pre-activation gradients (<c>[B, O]</c>, or <c>[B, O, H', W']</c> for a
    /// convolution, whose T positions are averaged), float64 on the CPU <c>[O, O]</c>.
    /// </summary>
    public Tensor GradientOuter(Tensor gradient)
    {
        var g = gradient.detach().to(CPU).to(ScalarType.Float64);
        if (Conv is null) return g.t().matmul(g);
        long positions = g.shape[2] * g.shape[3];
        var rows = g.permute(0, 2, 3, 1).reshape(-1, g.shape[1]);
        using Scalar perPosition = positions;
        return rows.t().matmul(rows).div_(perPosition);
    }

    /// <summary>W̄_MAP <c>[O, Q]</c>, float64 on the CPU.</summary>
    public Tensor Map()
    {
        using var _ = no_grad();
        var weight = Weight.detach().to(CPU).to(ScalarType.Float64).reshape(Outputs, -1);
        return Bias is null ? weight.clone() : cat([weight, Bias.detach().to(CPU).to(ScalarType.Float64).unsqueeze(1)], 1);
    }

    /// <summary>Copies W̄ <c>[O, Q]</c> into <paramref name="weight"/> (the layer's shape) and <paramref name="bias"/>.</summary>
    public void Write(Tensor weight, Tensor? bias, Tensor augmented)
    {
        using var _ = no_grad();
        long fanIn = weight.numel() / weight.shape[0];
        weight.copy_(augmented.narrow(1, 0, fanIn).reshape(weight.shape));
        bias?.copy_(augmented.select(1, fanIn));
    }
}
