using EnsembleKit.Backend;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Models;

/// <summary>
/// The neural-tangent-kernel (NTK) model of a one-hidden-layer ReLU network <c>f(x; θ) = A relu(W x + b) + c</c>: its exact
/// first-order Taylor expansion around the random initialisation <c>θ0 = (W0 [m, d], b0 [m], A0 [C, m], c0 [C])</c>,
/// <code>
/// f_lin(x) = f(x; θ0) + A0 ((ΔW x + Δb) ⊙ 1[W0 x + b0 &gt; 0]) + ΔA relu(W0 x + b0) + Δc,
/// </code>
/// the kernel models of seed 003's E3.2 (Allen-Zhu and Li 2020) in the smallest form. θ0 is drawn like the two
/// <c>Linear</c> layers of a <see cref="Mlp"/> <c>d-m-C</c> (PyTorch's default init, from the global generator, so the same
/// seed gives the same θ0 as <c>new Mlp([(d, m), (m, C)])</c>) and kept as frozen buffers; the only trainable parameters
/// are the displacements <c>ΔW [m, d], Δb [m], ΔA [C, m], Δc [C]</c>, which start at zero, so the untrained model equals
/// the network at θ0. The model is linear in its parameters: training it is kernel regression with the network's
/// (empirical, finite-width) tangent kernel. PyTorch's parameterisation is kept (no <c>1/sqrt(m)</c> output scale as in
/// the NTK literature): it changes the kernel's scale per layer, not what the model is.
/// Inputs <c>[B, d]</c> float32 (higher-rank inputs are flattened); outputs logits <c>[B, C]</c>.
/// </summary>
public sealed class LinearizedMlp : nn.Module<Tensor, Tensor>
{
    // Buffers and parameters are looked up by name because moving the module to a device replaces the tensors.
    const string HiddenWeight0 = "hidden_weight0", HiddenBias0 = "hidden_bias0", OutputWeight0 = "output_weight0", OutputBias0 = "output_bias0";
    const string DeltaHiddenWeight = "delta_hidden_weight", DeltaHiddenBias = "delta_hidden_bias",
        DeltaOutputWeight = "delta_output_weight", DeltaOutputBias = "delta_output_bias";

    public int InputSize { get; }
    public int Width { get; }
    public int Classes { get; }

    public LinearizedMlp(int inputSize, int width, int classes) : base("LinearizedMlp")
    {
        TorchRuntime.EnsureInitialized();
        ModelGuards.RequireLayerSizes(inputSize, width, classes);
        InputSize = inputSize;
        Width = width;
        Classes = classes;
        // θ0 from two default-initialised Linear layers, in Mlp's order, then frozen as buffers.
        using (var hidden = nn.Linear(inputSize, width))
        using (var output = nn.Linear(width, classes))
        {
            register_buffer(HiddenWeight0, hidden.weight!.detach().clone());
            register_buffer(HiddenBias0, hidden.bias!.detach().clone());
            register_buffer(OutputWeight0, output.weight!.detach().clone());
            register_buffer(OutputBias0, output.bias!.detach().clone());
        }
        register_parameter(DeltaHiddenWeight, new TorchSharp.Modules.Parameter(zeros(width, inputSize)));
        register_parameter(DeltaHiddenBias, new TorchSharp.Modules.Parameter(zeros(width)));
        register_parameter(DeltaOutputWeight, new TorchSharp.Modules.Parameter(zeros(classes, width)));
        register_parameter(DeltaOutputBias, new TorchSharp.Modules.Parameter(zeros(classes)));
    }

    /// <summary>The logits <c>[B, C]</c> of the linearised network for inputs <c>[B, d]</c> (or <c>[B, ...]</c> with d elements per sample).</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = input.dim() == 2 ? input : input.flatten(1);
        if (x.dim() != 2 || x.shape[1] != InputSize)
            throw new ArgumentException($"LinearizedMlp expects inputs [B, {InputSize}]; got [{string.Join(", ", input.shape)}].", nameof(input));
        var w0 = get_buffer(HiddenWeight0)!;
        var a0 = get_buffer(OutputWeight0)!;
        var preactivation = nn.functional.linear(x, w0, get_buffer(HiddenBias0)!);            // [B, m]
        var hidden = nn.functional.relu(preactivation);
        using Scalar zero = 0;
        var gate = preactivation.gt(zero).to_type(preactivation.dtype);                        // 1[W0 x + b0 > 0]
        var displacedPreactivation = nn.functional.linear(x, get_parameter(DeltaHiddenWeight)!, get_parameter(DeltaHiddenBias)!);
        // f(x; θ0) + ΔA relu(...) + Δc in one product, then the first layer's tangent term through the frozen gate.
        var readout = nn.functional.linear(hidden, a0.add(get_parameter(DeltaOutputWeight)!), get_buffer(OutputBias0)!.add(get_parameter(DeltaOutputBias)!));
        var tangent = displacedPreactivation.mul(gate).matmul(a0.t());                         // [B, C]
        return readout.add(tangent).MoveToOuterDisposeScope();
    }

    public override string ToString() => $"LinearizedMlp({InputSize}-{Width}-{Classes})";
}
