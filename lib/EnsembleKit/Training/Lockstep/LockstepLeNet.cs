using EnsembleKit.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EnsembleKit.Training.Lockstep;

/// <summary>
/// M <see cref="LeNet"/>s of one configuration as one network: stacked convolution weights (<see cref="StackedConv2d"/>,
/// <c>[M, out, in, 5, 5]</c>) applied member by member or as grouped convolutions (<see cref="LockstepModel.Kernels"/>)
/// up to the flattened features, then stacked fully connected layers
/// (<see cref="StackedLinear"/>) on <c>[M, B, features]</c>; per-member dropout where <see cref="LeNet.forward"/> has it. Inputs <c>[M, B, inChannels, s, s]</c>,
/// logits <c>[M, B, C]</c>.
/// </summary>
public sealed class LockstepLeNet : LockstepModel
{
    readonly StackedConv2d conv1;
    readonly StackedConv2d conv2;
    readonly StackedLinear fc1;
    readonly StackedLinear fc2;
    readonly StackedLinear classifier;
    readonly LeNet first;

    /// <summary>Stacks copies of <paramref name="members"/>' parameters; all must have the same widths, input shape, classes and dropout.</summary>
    public LockstepLeNet(IReadOnlyList<LeNet> members) : base("LockstepLeNet", members.Count)
    {
        if (members.Count == 0) throw new ArgumentException("need at least one member.", nameof(members));
        first = members[0];
        for (int m = 1; m < members.Count; m++)
        {
            var b = members[m];
            if (b.Widths != first.Widths || b.InChannels != first.InChannels || b.ImageSize != first.ImageSize ||
                b.ClassCount != first.ClassCount || b.DropoutRate != first.DropoutRate)
                throw new ArgumentException($"lockstep members must share one architecture: member 0 is {first} (dropout {first.DropoutRate}), " +
                    $"member {m} is {b} (dropout {b.DropoutRate}).", nameof(members));
        }
        var named = members.Select(n => n.named_parameters().ToDictionary(p => p.name, p => p.parameter)).ToList();
        StackedConv2d Conv(string name) => new(named.Select(d => (d[$"{name}.weight"], d[$"{name}.bias"])).ToList());
        var children = members.Select(n => n.named_children().ToDictionary(c => c.name, c => c.module)).ToList();
        StackedLinear Dense(string name) => new(children.Select(d => (Linear)d[name]).ToList());
        conv1 = Conv("conv1");
        conv2 = Conv("conv2");
        fc1 = Dense("fc1");
        fc2 = Dense("fc2");
        classifier = Dense("classifier");
        foreach (var (name, w, bias) in new[] { ("conv1", conv1.Weight, conv1.Bias), ("conv2", conv2.Weight, conv2.Bias),
                     ("fc1", fc1.Weight, fc1.Bias), ("fc2", fc2.Weight, fc2.Bias), ("classifier", classifier.Weight, classifier.Bias) })
        {
            Own($"{name}.weight", w);
            Own($"{name}.bias", bias);
        }
    }

    public override Tensor forward(Tensor input)
    {
        RequireMembers(input, "LockstepLeNet");
        if (input.dim() != 5 || input.shape[2] != first.InChannels || input.shape[3] != first.ImageSize || input.shape[4] != first.ImageSize)
            throw new ArgumentException($"LockstepLeNet expects inputs [{Count}, B, {first.InChannels}, {first.ImageSize}, {first.ImageSize}]; " +
                $"got [{string.Join(", ", input.shape)}].", nameof(input));
        using var scope = NewDisposeScope();
        double p = first.DropoutRate;
        bool batched = Batched(input);
        var features = batched ? GroupedFeatures(input, p) : PerMemberFeatures(input, p);
        var x = Dropout(nn.functional.relu(fc1.Forward(features, batched)), p);
        x = Dropout(nn.functional.relu(fc2.Forward(x, batched)), p);
        return classifier.Forward(x, batched).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The convolutional part member by member (as the member alone would run it), so the large activations are never
    /// stacked (copied); measured on CPU, stacking them made LeNet-S slower than sequential training. Features <c>[M, B, F]</c>.
    /// </summary>
    Tensor PerMemberFeatures(Tensor input, double p)
    {
        var xs = input.unbind(0);
        var (w1, b1, w2, b2) = (conv1.Weight.unbind(0), conv1.Bias.unbind(0), conv2.Weight.unbind(0), conv2.Bias.unbind(0));
        var features = new Tensor[Count];
        for (int m = 0; m < Count; m++)
        {
            var h = Dropout(nn.functional.max_pool2d(nn.functional.relu(nn.functional.conv2d(xs[m], w1[m], b1[m])), 2), p, m);
            h = Dropout(nn.functional.max_pool2d(nn.functional.relu(nn.functional.conv2d(h, w2[m], b2[m])), 2), p, m);
            features[m] = h.flatten(1); // channel·f² + row·f + col, as LeNet flattens
        }
        return stack(features, 0);
    }

    /// <summary>
    /// The convolutional part for all members at once: the members' images side by side as channels <c>[B, M·C, s, s]</c>,
    /// each convolution one grouped call. ReLU and pooling act per channel, so they need no regrouping. Features
    /// <c>[M, B, F]</c> in <see cref="PerMemberFeatures"/>' order. Members fed channels-last (<see cref="Data.ChannelsLast"/>)
    /// are regrouped channels-last, so the grouped convolutions run in that layout too.
    /// </summary>
    Tensor GroupedFeatures(Tensor input, double p)
    {
        long batch = input.shape[1], channels = Count * first.InChannels, size = first.ImageSize;
        var x = Data.ChannelsLast.Is(input)
            // [M, B, C, s, s] -> [B, s, s, M·C] in memory (one copy), seen as [B, M·C, s, s] with channel-last strides.
            ? input.permute(1, 3, 4, 0, 2).reshape(batch, size, size, channels).permute(0, 3, 1, 2)
            : input.transpose(0, 1).reshape(batch, channels, size, size);
        var h = GroupedDropout(nn.functional.max_pool2d(nn.functional.relu(conv1.ForwardGrouped(x)), 2), p);
        h = GroupedDropout(nn.functional.max_pool2d(nn.functional.relu(conv2.ForwardGrouped(h)), 2), p);
        return h.reshape(batch, Count, -1).transpose(0, 1);
    }

    /// <summary>Per-member dropout on the grouped layout <c>[B, M·C, h, w]</c>: member m's mask is the one it would draw alone.</summary>
    Tensor GroupedDropout(Tensor h, double p)
    {
        if (!training || p == 0) return h;
        var shape = h.shape;
        var members = h.view(shape[0], Count, shape[1] / Count, shape[2], shape[3]).transpose(0, 1);
        return Dropout(members, p).transpose(0, 1).reshape(shape);
    }

    public override void WriteBack()
    {
        conv1.WriteBack();
        conv2.WriteBack();
        fc1.WriteBack();
        fc2.WriteBack();
        classifier.WriteBack();
    }
}
