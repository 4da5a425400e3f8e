using EnsembleKit.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EnsembleKit.Training.Lockstep;

/// <summary>
/// M <see cref="LeNet"/>s of one configuration as one network: stacked convolution weights (<see cref="StackedConv2d"/>,
/// <c>[M, out, in, 5, 5]</c>) applied member by member up to the flattened features, then stacked fully connected layers
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
        // The convolutional part member by member (as the member alone would run it), so the large activations are
        // never stacked (copied); measured on CPU, stacking them made LeNet-S slower than sequential training.
        var xs = input.unbind(0);
        var (w1, b1, w2, b2) = (conv1.Weight.unbind(0), conv1.Bias.unbind(0), conv2.Weight.unbind(0), conv2.Bias.unbind(0));
        var features = new Tensor[Count];
        for (int m = 0; m < Count; m++)
        {
            var h = Dropout(nn.functional.max_pool2d(nn.functional.relu(nn.functional.conv2d(xs[m], w1[m], b1[m])), 2), p, m);
            h = Dropout(nn.functional.max_pool2d(nn.functional.relu(nn.functional.conv2d(h, w2[m], b2[m])), 2), p, m);
            features[m] = h.flatten(1); // channel·f² + row·f + col, as LeNet flattens
        }
        var x = Dropout(nn.functional.relu(fc1.Forward(stack(features, 0))), p);
        x = Dropout(nn.functional.relu(fc2.Forward(x)), p);
        return classifier.Forward(x).MoveToOuterDisposeScope();
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
