using EnsembleKit.Backend;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Models;

/// <summary>
/// The neural-tangent-kernel (NTK) model of a <see cref="SimpleCnn"/>: its exact first-order Taylor expansion around the
/// random initialisation θ0, <c>f_lin(x) = f(x; θ0) + J(x; θ0) Δθ</c>, the convolutional kernel model of seed 003's E3.2
/// (Allen-Zhu and Li 2020; their "SimpleCNN-NTK"). θ0 is drawn as a <see cref="SimpleCnn"/> of the same shape draws it
/// (so the same seed gives the same network) and kept as frozen buffers; the only trainable parameters are the
/// displacements Δθ, one per weight and bias, which start at zero, so the untrained model is the network at θ0.
/// <para>The Jacobian-vector product is a second forward pass carried beside the first (forward mode by hand): through a
/// convolution <c>z = conv(h; W0, b0)</c> the tangent is <c>dz = conv(dh; W0) + conv(h; ΔW, Δb)</c>; through ReLU it is
/// gated by <c>1[z &gt; 0]</c> at θ0; average pooling and flattening are linear, so the tangent goes through unchanged; the
/// classifier adds <c>A0 dh + ΔA h + Δc</c>. That costs about three forward passes of the network, not one per
/// parameter, and back-propagating a loss through it gives exactly the network's gradient at θ0 (the model is linear in Δθ).</para>
/// Inputs <c>[B, inChannels, s, s]</c>, logits <c>[B, C]</c>.
/// </summary>
public sealed class LinearizedCnn : nn.Module<Tensor, Tensor>, IImageClassifier
{
    // Buffers and parameters are looked up by name because moving the module to a device replaces the tensors.
    static string Initial(string layer, string kind) => $"{layer}_{kind}0";
    static string Delta(string layer, string kind) => $"delta_{layer}_{kind}";
    static string Conv(int l) => $"conv{l + 1}";
    const string Head = "classifier";

    public int InChannels { get; }
    public int ImageSize { get; }
    public int ClassCount { get; }
    public IReadOnlyList<int> Widths { get; }

    /// <inheritdoc cref="SimpleCnn(IReadOnlyList{int}, int, int, int)"/>
    public LinearizedCnn(IReadOnlyList<int> widths, int classCount = 10, int inChannels = 3, int imageSize = 32) : base("LinearizedCnn")
    {
        TorchRuntime.EnsureInitialized();
        using var network = new SimpleCnn(widths, classCount, inChannels, imageSize);
        InChannels = inChannels;
        ImageSize = imageSize;
        ClassCount = classCount;
        Widths = network.Widths;
        var layers = network.Convolutions.Select((c, l) => (Name: Conv(l), Weight: (Tensor)c.weight!, Bias: (Tensor)c.bias!))
            .Append((Name: Head, Weight: network.Classifier.weight!, Bias: network.Classifier.bias!));
        foreach (var (name, weight, bias) in layers)
        {
            register_buffer(Initial(name, "weight"), weight.detach().clone());
            register_buffer(Initial(name, "bias"), bias.detach().clone());
            register_parameter(Delta(name, "weight"), new TorchSharp.Modules.Parameter(zeros_like(weight)));
            register_parameter(Delta(name, "bias"), new TorchSharp.Modules.Parameter(zeros_like(bias)));
        }
    }

    /// <summary>The linearised network's logits <c>[B, C]</c> for images <c>[B, inChannels, s, s]</c>.</summary>
    public override Tensor forward(Tensor input)
    {
        ModelGuards.RequireImages(input, "LinearizedCnn", InChannels, ImageSize);
        using var scope = NewDisposeScope();
        using Scalar zero = 0;
        Tensor h = input, dh = null!;
        for (int l = 0; l < Widths.Count; l++)
        {
            var w0 = get_buffer(Initial(Conv(l), "weight"))!;
            var z = nn.functional.conv2d(h, w0, get_buffer(Initial(Conv(l), "bias")), padding: [1, 1]);
            var dz = nn.functional.conv2d(h, get_parameter(Delta(Conv(l), "weight"))!, get_parameter(Delta(Conv(l), "bias")), padding: [1, 1]);
            if (l > 0) dz = dz.add(nn.functional.conv2d(dh, w0, padding: [1, 1]));   // the input is fixed: no tangent before layer 1
            var gate = z.gt(zero).to_type(z.dtype);                                      // 1[z > 0] at θ0
            h = nn.functional.avg_pool2d(nn.functional.relu(z), 2);
            dh = nn.functional.avg_pool2d(dz.mul(gate), 2);
        }
        var features = h.flatten(1);
        var a0 = get_buffer(Initial(Head, "weight"))!;
        // f(x; θ0) + ΔA h + Δc in one product, then the convolutions' tangent through the frozen classifier.
        var readout = nn.functional.linear(features, a0.add(get_parameter(Delta(Head, "weight"))!),
            get_buffer(Initial(Head, "bias"))!.add(get_parameter(Delta(Head, "bias"))!));
        return readout.add(nn.functional.linear(dh.flatten(1), a0)).MoveToOuterDisposeScope();
    }

    public override string ToString() => $"LinearizedCnn([{string.Join(", ", Widths)}], {InChannels}x{ImageSize}x{ImageSize} -> {ClassCount})";
}
