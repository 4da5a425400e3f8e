using EnsembleKit.Backend;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Models;

/// <summary>
/// The two-layer convolutional network of Allen-Zhu and Li (2020) that seed 003's theory is about:
/// <c>F_c(X) = sum_{r &lt;= m} sum_p sReLU(&lt;w_{c,r}, x_p&gt;)</c>, with <c>m</c> neurons per class shared across patches and
/// the smoothed ReLU <c>sReLU(z) = z^q / (q rho^{q-1})</c> on <c>[0, rho]</c>, <c>z - (1 - 1/q) rho</c> above, 0 below.
/// Inputs <c>[B, P, D]</c> float32 (patches), outputs logits <c>[B, C]</c>.
/// </summary>
public sealed class PatchNetwork : nn.Module<Tensor, Tensor>
{
    readonly TorchSharp.Modules.Parameter weight;
    public int Classes { get; }
    public int NeuronsPerClass { get; }
    public double Rho { get; }
    public int Power { get; }

    public PatchNetwork(int dimension, int classes, int neuronsPerClass = 4, double rho = 0.1, int power = 3, double initStd = 0.01) : base("PatchNetwork")
    {
        TorchRuntime.EnsureInitialized();
        if (dimension <= 0 || classes < 2 || neuronsPerClass <= 0)
            throw new ArgumentOutOfRangeException(nameof(dimension), $"need positive dimension, at least 2 classes and positive neurons; got {dimension}, {classes}, {neuronsPerClass}.");
        if (!(rho > 0) || power < 1) throw new ArgumentOutOfRangeException(nameof(rho), $"rho must be positive and the power at least 1; got {rho}, {power}.");
        Classes = classes;
        NeuronsPerClass = neuronsPerClass;
        Rho = rho;
        Power = power;
        using (NewDisposeScope())
        {
            using Scalar std = initStd;
            weight = new TorchSharp.Modules.Parameter(randn(classes * neuronsPerClass, dimension).mul(std).DetachFromDisposeScope());
        }
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        if (input.dim() != 3 || input.shape[2] != weight.shape[1])
            throw new ArgumentException($"PatchNetwork expects [B, P, {weight.shape[1]}]; got [{string.Join(", ", input.shape)}].", nameof(input));
        using var scope = NewDisposeScope();
        var z = input.matmul(weight.t());                  // [B, P, C*m]
        // smoothed ReLU: z^q / (q rho^(q-1)) up to rho, then linear with the same value and slope
        using Scalar zero = 0, rho = Rho, power = Power, curveScale = Power * Math.Pow(Rho, Power - 1), lineOffset = (1 - 1.0 / Power) * Rho;
        var positive = z.clamp_min(zero);
        var smooth = where(positive.le(rho), positive.pow(power).div(curveScale), positive.sub(lineOffset));
        var perNeuron = smooth.sum(dim: 1);                // [B, C*m]
        return perNeuron.view(-1, Classes, NeuronsPerClass).sum(dim: 2).MoveToOuterDisposeScope();
    }
}
