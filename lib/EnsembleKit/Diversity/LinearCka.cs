using EnsembleKit.Backend;
using static TorchSharp.torch;

namespace EnsembleKit.Diversity;

public static partial class DiversityMetric
{
    /// <summary>
    /// Linear centred kernel alignment (Kornblith et al. 2019, eq. for linear CKA) between two representations of the
    /// same N inputs: <paramref name="x"/> <c>[N, D1]</c> and <paramref name="y"/> <c>[N, D2]</c> (any float dtype; higher-rank
    /// inputs <c>[N, ...]</c> are flattened per row). Columns are centred, then
    /// <c>CKA = ‖Yᵀ X‖²_F / (‖Xᵀ X‖_F ‖Yᵀ Y‖_F)</c>, in float64. In [0, 1]; 1 for identical representations; invariant to
    /// orthogonal transforms and isotropic scaling of either side, not to arbitrary invertible linear maps.
    /// A representation that is constant over the inputs (zero after centring) gives 0.
    /// </summary>
    public static double LinearCka(Tensor x, Tensor y)
    {
        if (x.dim() < 2 || y.dim() < 2 || x.shape[0] != y.shape[0])
            throw new ArgumentException($"representations must be [N, D1] and [N, D2] over the same N inputs; got {Shapes.Describe(x)} and {Shapes.Describe(y)}.");
        if (!x.is_floating_point() || !y.is_floating_point())
            throw new ArgumentException($"representations must be floating point; got {Shapes.Describe(x)} and {Shapes.Describe(y)}.");
        if (x.shape[0] < 2) throw new ArgumentException($"CKA needs at least 2 inputs; got {Shapes.Describe(x)}.", nameof(x));
        using var scope = NewDisposeScope();
        var xc = Centre(x.flatten(1).to(ScalarType.Float64));
        var yc = Centre(y.flatten(1).to(ScalarType.Float64).to(xc.device));
        // Feature-space form (cost N·D1·D2); the Gram form would cost N²·D.
        double cross = yc.t().matmul(xc).square().sum().item<double>();
        double xx = xc.t().matmul(xc).square().sum().sqrt().item<double>();
        double yy = yc.t().matmul(yc).square().sum().sqrt().item<double>();
        if (xx == 0 || yy == 0) return 0.0;
        return Math.Clamp(cross / (xx * yy), 0.0, 1.0);
    }

    static Tensor Centre(Tensor x) => x - x.mean([0], keepdim: true);
}
