using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EnsembleKit.Training.Lockstep;

/// <summary>Helpers for stacked parameters <c>[M, ...]</c>.</summary>
static class Stacked
{
    /// <summary>A new parameter <c>[M, ...]</c> holding copies of <paramref name="parts"/> stacked along a new dimension 0.</summary>
    /// <remarks>TorchSharp's <c>Parameter(Tensor)</c> leaves the source an empty husk that stays in <c>Tensor.TotalCount</c>
    /// (checked: a disposed <c>new Parameter(randn(3))</c> raises the count by one), so each lockstep run raises it by the
    /// number of stacked parameters; the count stays flat across its steps.</remarks>
    public static Parameter Parameter(IReadOnlyList<Tensor> parts)
    {
        using var scope = NewDisposeScope();
        var data = stack(parts.Select(p => p.detach()).ToList(), 0).contiguous();
        var parameter = new Parameter(data);
        parameter.MoveToOuterDisposeScope();
        return parameter;
    }

    /// <summary>
    /// <c>stack_m layer(x[m], weight[m], bias[m])</c> over <c>unbind</c> views, so the backward pass writes each stacked
    /// gradient once.
    /// </summary>
    public static Tensor PerMember(Tensor x, Tensor weight, Tensor bias, Func<Tensor, Tensor, Tensor, Tensor> layer)
    {
        using var scope = NewDisposeScope();
        var xs = x.unbind(0);
        var ws = weight.unbind(0);
        var bs = bias.unbind(0);
        var outputs = new Tensor[xs.Length];
        for (int m = 0; m < xs.Length; m++) outputs[m] = layer(xs[m], ws[m], bs[m]);
        return stack(outputs, 0).MoveToOuterDisposeScope();
    }
}
