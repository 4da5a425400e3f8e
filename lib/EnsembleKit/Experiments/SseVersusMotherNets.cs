using EnsembleKit.Backend;
using EnsembleKit.Data;
using EnsembleKit.Ensembles;
using EnsembleKit.Models;
using EnsembleKit.Subnetworks;
using EnsembleKit.Training;
using static TorchSharp.torch;

namespace EnsembleKit.Experiments;

/// <summary>
/// Seed 002 §5.3's comparison of two ways to make children of one width from a one-hidden-layer MLP (E2.5.5): MotherNets
/// hatch them from a narrower trained mother by function-preserving widening (<see cref="MlpWidening"/>); Sparse
/// Subnetwork Ensembles prune a wider trained parent to that many hidden units (a structured mask on the hidden layer's
/// rows and biases) and tune them with the mask held (<see cref="SubnetworkTuning"/>). Every child trains with the same
/// options, its test accuracy recorded before training and after each epoch.
/// </summary>
public static class SseVersusMotherNets
{
    /// <summary>The <see cref="ChildCurve.Method"/> names.</summary>
    public const string MotherNet = "MotherNet", Sse = "SSE";

    /// <summary>Seeds: MotherNet child c widens and trains with <see cref="MotherNetSeed"/> + c, SSE child c samples its mask and
    /// tunes with <see cref="SseSeed"/> + c.</summary>
    public const long MotherNetSeed = 100, SseSeed = 200;

    /// <summary>
    /// A fresh 784-<paramref name="width"/>-10 MLP initialised and trained with seed <paramref name="seed"/>
    /// (<see cref="DeepEnsemble.TrainMember"/>, member 1 of 1): the mother and the SSE parent of <see cref="Run"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="width"/> is not positive.</exception>
    public static Mlp TrainFresh(int width, TensorDataset train, TrainingOptions training, long seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(training);
        return DeepEnsemble.TrainMember(() => new Mlp([(784, width), (width, 10)]), train, training, index: 0, count: 1, seed: seed).Model;
    }

    /// <summary>
    /// <paramref name="children"/> children of <paramref name="childWidth"/> hidden units by each method, MotherNets first;
    /// <paramref name="mother"/> and <paramref name="parent"/> are left as they are, the children disposed.
    /// </summary>
    /// <exception cref="ArgumentException">A network has other than one hidden layer, or the width does not lie between the mother's and the parent's.</exception>
    /// <exception cref="InvalidOperationException">A tuned SSE child does not have exactly <paramref name="childWidth"/> active hidden units.</exception>
    public static IReadOnlyList<ChildCurve> Run(Mlp mother, Mlp parent, int childWidth, int children, TensorDataset train, TensorDataset test, TrainingOptions training)
    {
        ArgumentNullException.ThrowIfNull(mother);
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(training);
        if (mother.Spec.Count != 2 || parent.Spec.Count != 2)
            throw new ArgumentException($"mother and parent must have one hidden layer; got {mother} and {parent}.");
        int motherWidth = mother.Spec[0].Out, parentWidth = parent.Spec[0].Out;
        if (childWidth <= motherWidth || childWidth >= parentWidth)
            throw new ArgumentOutOfRangeException(nameof(childWidth), $"the children's width must lie between the mother's {motherWidth} and the parent's {parentWidth}; got {childWidth}.");
        ArgumentOutOfRangeException.ThrowIfLessThan(children, 1);
        TorchRuntime.EnsureInitialized();
        double Accuracy(nn.Module<Tensor, Tensor> model) => Predict.Accuracy(model, test) * 100;

        var curves = new List<ChildCurve>();
        for (int c = 0; c < children; c++)
        {
            using var hatched = MlpWidening.Widen(mother, hiddenLayer: 0, width: childWidth, seed: MotherNetSeed + c);
            var evaluation = new EpochEvaluation(test);
            double start = Accuracy(hatched);
            Trainer.Train(hatched, train, training with { Seed = MotherNetSeed + c, Label = "MotherNet child", Callbacks = [.. training.Callbacks, evaluation] });
            curves.Add(new(MotherNet, c, [start, .. evaluation.Records.Select(r => r.Accuracy * 100)]));
        }
        var hiddenUnits = new MaskOptions
        {
            Sparsity = 1 - (double)childWidth / parentWidth,
            Structure = MaskStructure.Structured,
            IncludeBiases = true,
            Selector = (name, _) => name.StartsWith("layers.0.", StringComparison.Ordinal),     // the hidden layer's rows and biases only
        };
        var parentWeights = WeightSnapshot.Of(parent, "parent");
        for (int c = 0; c < children; c++)
        {
            using var child = parentWeights.ToModel(parent.CloneArchitecture);
            var evaluation = new EpochEvaluation(test);
            using var mask = SubnetworkMask.Sample(child, hiddenUnits, seed: SseSeed + c);
            mask.ApplyTo(child);                                    // pruned: the child as it starts, before any tuning step
            double start = Accuracy(child);
            using var result = SubnetworkTuning.Tune(child, mask, train, training with { Seed = SseSeed + c, Label = "SSE child", Callbacks = [.. training.Callbacks, evaluation] },
                new SubnetworkTuningOptions(), seed: SseSeed + c);
            int active = ActiveHiddenUnits(child);
            if (active != childWidth) throw new InvalidOperationException($"SSE child {c} has {active} active hidden units, expected {childWidth}.");
            curves.Add(new(Sse, c, [start, .. evaluation.Records.Select(r => r.Accuracy * 100)]));
        }
        return curves;
    }

    /// <summary>The mean curve of <paramref name="method"/>'s children, epoch by epoch.</summary>
    /// <exception cref="ArgumentException">No child of that method, or curves of different lengths.</exception>
    public static double[] MeanCurve(IEnumerable<ChildCurve> curves, string method)
    {
        ArgumentNullException.ThrowIfNull(curves);
        var chosen = curves.Where(r => r.Method == method).ToList();
        if (chosen.Count == 0) throw new ArgumentException($"no child was made by '{method}'.", nameof(method));
        int length = chosen[0].Curve.Length;
        if (chosen.Any(r => r.Curve.Length != length)) throw new ArgumentException($"'{method}' children have curves of different lengths.", nameof(curves));
        return Enumerable.Range(0, length).Select(e => chosen.Average(r => r.Curve[e])).ToArray();
    }

    /// <summary>Hidden units whose incoming weights are not all zero.</summary>
    static int ActiveHiddenUnits(Mlp model)
    {
        using var scope = NewDisposeScope();
        using TorchSharp.Scalar zero = 0.0;
        return (int)model.Layers[0].weight!.abs().sum(1).gt(zero).sum().item<long>();
    }
}
