using EnsembleKit.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.WeightSpace;

/// <summary>
/// Which axes of which parameters each hidden-unit permutation touches (Ainsworth et al. 2022, "Git Re-Basin").
/// <see cref="Axes"/> maps a state-dict entry to one group name (or null) per axis: permuting group <c>P</c> by
/// <c>perm</c> replaces that axis' index <c>i</c> with <c>perm[i]</c>. A dense layer <c>out x in</c> between groups
/// <c>P_in</c> and <c>P_out</c> is <c>[P_out, P_in]</c>, its bias <c>[P_out]</c>; a convolution
/// <c>[P_out, P_in, null, null]</c>; a batch norm's weight, bias and running statistics <c>[P]</c>; a residual
/// stream shares one group across every block it passes through. Entries not listed are never permuted.
/// </summary>
public sealed class PermutationSpec
{
    readonly Dictionary<string, string?[]> axes;
    readonly Dictionary<string, List<(string Parameter, int Axis)>> byGroup = [];

    public PermutationSpec(IReadOnlyDictionary<string, string?[]> axes)
    {
        this.axes = axes.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());
        foreach (var (name, groups) in this.axes)
            for (int axis = 0; axis < groups.Length; axis++)
                if (groups[axis] is { } group)
                {
                    if (!byGroup.TryGetValue(group, out var list)) byGroup[group] = list = [];
                    list.Add((name, axis));
                }
        if (byGroup.Count == 0) throw new ArgumentException("the spec permutes nothing: no axis names a group.", nameof(axes));
    }

    /// <summary>Per state-dict entry, the group acting on each axis (null: not permuted).</summary>
    public IReadOnlyDictionary<string, string?[]> Axes => axes;

    /// <summary>Group names, in a fixed (sorted) order.</summary>
    public IReadOnlyList<string> Groups => byGroup.Keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>The (entry, axis) pairs group <paramref name="group"/> permutes.</summary>
    public IReadOnlyList<(string Parameter, int Axis)> AxesOf(string group) =>
        byGroup.TryGetValue(group, out var list) ? list : throw new ArgumentException($"no permutation group '{group}'; the spec has {string.Join(", ", Groups)}.", nameof(group));

    /// <summary>
    /// Checks the spec against a state dict and returns each group's size: every listed entry exists, has as many
    /// axes as the spec says, and every axis of one group has the same length.
    /// </summary>
    public IReadOnlyDictionary<string, int> GroupSizes(IReadOnlyDictionary<string, Tensor> state)
    {
        var sizes = new Dictionary<string, int>();
        foreach (var (name, groups) in axes)
        {
            if (!state.TryGetValue(name, out var value))
                throw new ArgumentException($"the permutation spec names '{name}' but the model has no such entry (it has {string.Join(", ", state.Keys.Take(8))}{(state.Count > 8 ? ", ..." : "")}).");
            if (value.dim() != groups.Length)
                throw new ArgumentException($"the spec gives '{name}' {groups.Length} axes but it has shape [{string.Join(", ", value.shape)}].");
            for (int axis = 0; axis < groups.Length; axis++)
            {
                if (groups[axis] is not { } group) continue;
                int size = (int)value.shape[axis];
                if (sizes.TryGetValue(group, out int known) && known != size)
                    throw new ArgumentException($"group '{group}' has size {known} elsewhere but '{name}' axis {axis} has {size}.");
                sizes[group] = size;
            }
        }
        return sizes;
    }

    /// <summary>
    /// The spec of an <see cref="Mlp"/>: one group per hidden layer, <c>P_l</c> permuting the outputs of layer
    /// <c>l</c> and the inputs of layer <c>l + 1</c>; the input and output layers keep their order.
    /// </summary>
    public static PermutationSpec ForMlp(Mlp model)
    {
        var builder = new Builder();
        int layers = model.Spec.Count;
        if (layers < 2) throw new ArgumentException($"{model} has no hidden layer to permute.", nameof(model));
        for (int l = 0; l < layers; l++)
            builder.Dense($"layers.{l}", input: l == 0 ? null : HiddenGroup(l - 1), output: l == layers - 1 ? null : HiddenGroup(l));
        return builder.Build();
    }

    /// <summary>
    /// The spec of a <see cref="ResNet"/> with projection shortcuts (ResNet-18/34, or any ResNet built with
    /// <see cref="ResNetShortcut.Projection"/>): one group per stage for the residual stream (<c>S_s</c>: the stem's
    /// output channels are stage 0's stream), which every block of the stage reads and adds to, and one group per block
    /// for its inner channels (<c>B_s_b</c>). A projection shortcut maps stream <c>S_(s-1)</c> to <c>S_s</c>; the
    /// classifier reads the last stream. He et al.'s CIFAR ResNets (zero-padding shortcuts) are refused: the padding
    /// ties each stage's stream order to the previous one, which independent groups cannot express.
    /// </summary>
    public static PermutationSpec ForResNet(ResNet model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Shortcut == ResNetShortcut.ZeroPad && model.Widths.Count > 1)
            throw new NotSupportedException($"{model} has zero-padding (option A) shortcuts, which tie each stage's channel order to the "
                + "previous stage's; build it with ResNetShortcut.Projection to align or average it in weight space.");
        var builder = new Builder().Conv("stem.conv", null, StreamGroup(0)).Norm("stem.bn", StreamGroup(0));
        for (int s = 0; s < model.Widths.Count; s++)
            for (int b = 0; b < model.BlocksPerStage[s]; b++)
            {
                string prefix = $"stages.{s}.blocks.{b}", inner = $"B_{s}_{b}";
                string input = b == 0 && s > 0 ? StreamGroup(s - 1) : StreamGroup(s);
                builder.Conv($"{prefix}.conv1", input, inner).Norm($"{prefix}.bn1", inner)
                    .Conv($"{prefix}.conv2", inner, StreamGroup(s)).Norm($"{prefix}.bn2", StreamGroup(s));
                if (b == 0 && s > 0)
                    builder.Conv($"{prefix}.shortcut.conv", input, StreamGroup(s)).Norm($"{prefix}.shortcut.bn", StreamGroup(s));
            }
        return builder.Dense("classifier", StreamGroup(model.Widths.Count - 1), null).Build();
    }

    /// <summary>The group name of stage <paramref name="stage"/>'s residual stream in a ResNet spec (0-based).</summary>
    public static string StreamGroup(int stage) => $"S_{stage}";

    /// <summary>The group name of hidden layer <paramref name="index"/> of an MLP spec (0-based).</summary>
    public static string HiddenGroup(int index) => $"P_{index}";

    /// <summary>Builds a spec from layer-level statements, e.g. for convolutional and residual networks.</summary>
    public sealed class Builder
    {
        readonly Dictionary<string, string?[]> axes = [];

        /// <summary>A linear layer <c>prefix.weight [out, in]</c> and <c>prefix.bias [out]</c>.</summary>
        public Builder Dense(string prefix, string? input, string? output, bool bias = true)
        {
            axes[$"{prefix}.weight"] = [output, input];
            if (bias) axes[$"{prefix}.bias"] = [output];
            return this;
        }

        /// <summary>A convolution <c>prefix.weight [out, in, kh, kw]</c> (and bias).</summary>
        public Builder Conv(string prefix, string? input, string? output, bool bias = false)
        {
            axes[$"{prefix}.weight"] = [output, input, null, null];
            if (bias) axes[$"{prefix}.bias"] = [output];
            return this;
        }

        /// <summary>A batch norm over channels <paramref name="group"/>: weight, bias, running mean and variance.</summary>
        public Builder Norm(string prefix, string? group)
        {
            foreach (var entry in new[] { "weight", "bias", "running_mean", "running_var" }) axes[$"{prefix}.{entry}"] = [group];
            return this;
        }

        /// <summary>Any entry with explicit per-axis groups.</summary>
        public Builder Entry(string name, params string?[] groups)
        {
            axes[name] = groups;
            return this;
        }

        public PermutationSpec Build() => new(axes);
    }
}
