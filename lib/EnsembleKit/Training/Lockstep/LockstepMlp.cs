using EnsembleKit.Models;
using static TorchSharp.torch;

namespace EnsembleKit.Training.Lockstep;

/// <summary>
/// M <see cref="Mlp"/>s of one spec (and dropout rate) as one network: each layer a <see cref="StackedLinear"/> (weights <c>[M, out, in]</c>),
/// ReLU and per-member dropout between layers, as <see cref="Mlp.forward"/> does. Inputs <c>[M, B, in]</c>
/// (higher-rank inputs <c>[M, B, ...]</c> are flattened), logits <c>[M, B, out]</c>.
/// </summary>
public sealed class LockstepMlp : LockstepModel
{
    readonly StackedLinear[] layers;
    readonly double dropoutRate;

    /// <summary>Stacks copies of <paramref name="members"/>' parameters; all must have the same spec and dropout rate.</summary>
    public LockstepMlp(IReadOnlyList<Mlp> members) : base("LockstepMlp", members.Count)
    {
        if (members.Count == 0) throw new ArgumentException("need at least one member.", nameof(members));
        var first = members[0];
        for (int m = 1; m < members.Count; m++)
        {
            if (!members[m].Spec.SequenceEqual(first.Spec) || members[m].DropoutRate != first.DropoutRate)
                throw new ArgumentException($"lockstep members must share one architecture: member 0 is {first} (dropout {first.DropoutRate}), " +
                    $"member {m} is {members[m]} (dropout {members[m].DropoutRate}).", nameof(members));
        }
        dropoutRate = first.DropoutRate;
        layers = Enumerable.Range(0, first.Spec.Count).Select(i => new StackedLinear(members.Select(mlp => mlp.Layers[i]).ToList())).ToArray();
        for (int i = 0; i < layers.Length; i++)
        {
            Own($"layers.{i}.weight", layers[i].Weight);
            Own($"layers.{i}.bias", layers[i].Bias);
        }
        InputSize = first.InputSize;
    }

    public int InputSize { get; }

    public override Tensor forward(Tensor input)
    {
        RequireMembers(input, "LockstepMlp");
        using var scope = NewDisposeScope();
        var x = input.dim() == 3 ? input : input.flatten(2);
        if (x.shape[2] != InputSize)
            throw new ArgumentException($"LockstepMlp expects inputs [{Count}, B, {InputSize}]; got [{string.Join(", ", input.shape)}].", nameof(input));
        bool batched = Batched(input);
        for (int i = 0; i < layers.Length; i++)
        {
            x = layers[i].Forward(x, batched);
            if (i < layers.Length - 1) x = Dropout(nn.functional.relu(x), dropoutRate);
        }
        return x.MoveToOuterDisposeScope();
    }

    public override void WriteBack()
    {
        foreach (var layer in layers) layer.WriteBack();
    }
}
