using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Evaluation;

/// <summary>
/// A test model for image-shaped inputs: the logits of an image (any layout whose row-major pixels run top to bottom,
/// e.g. <c>[N, 1, H, W]</c> or flattened <c>[N, H·W]</c>) are a learnable scale times the mean of its top half and of its
/// bottom half, so class 0 means "brighter on top".
/// </summary>
public sealed class HalfMeans : nn.Module<Tensor, Tensor>
{
    readonly TorchSharp.Modules.Parameter scale;

    public HalfMeans(double value) : base("HalfMeans")
    {
        scale = new TorchSharp.Modules.Parameter(tensor(new[] { (float)value }));
        RegisterComponents();
    }

    public override Tensor forward(Tensor input) => input.reshape(input.shape[0], 2, -1).mean([2]) * scale;
}
