using EnsembleKit.Data;
using EnsembleKit.Ensembles;
using EnsembleKit.Models;
using EnsembleKit.Training;
using EnsembleKit.WeightSpace;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.WeightSpace;

public class InterpolationTests
{
    [Fact]
    public void EndPointsAreTheModelsAndTheBarrierFollowsItsDefinition()
    {
        manual_seed(5);
        var a = new Mlp([(6, 8), (8, 3)]);
        var b = new Mlp([(6, 8), (8, 3)]);
        var inputs = randn(100, 6);
        var targets = inputs.narrow(1, 0, 3).argmax(1);
        using var data = new TensorDataset(inputs, targets, 3, "toy");
        var sa = ModelState.Copy(a);
        var sb = ModelState.Copy(b);
        var curve = InterpolationCurve.Evaluate("a-b", sa, sb, a.CloneArchitecture(), data, points: 5);
        Assert.Equal(new[] { 0, 0.25, 0.5, 0.75, 1 }, curve.Points.Select(p => p.Lambda));
        using var logitsA = Predict.Logits(a, data);
        using var lossA = nn.functional.cross_entropy(logitsA, data.Targets);
        Assert.Equal(lossA.item<float>(), curve.Points[0].Loss, 5);
        // Every point's loss computed apart: the weights (1 - λ) θa + λ θb loaded into a fresh model, then its cross-entropy.
        var losses = curve.Points.Select(p =>
        {
            using var mixed = a.CloneArchitecture();
            var state = sa.ToDictionary(kv => kv.Key, kv => ((1 - p.Lambda) * kv.Value + p.Lambda * sb[kv.Key]).DetachFromDisposeScope());
            ModelState.Load(mixed, state);
            foreach (var t in state.Values) t.Dispose();
            using var logits = Predict.Logits(mixed, data);
            using var loss = nn.functional.cross_entropy(logits, data.Targets);
            return (double)loss.item<float>();
        }).ToArray();
        for (int i = 0; i < losses.Length; i++) Assert.Equal(losses[i], curve.Points[i].Loss, 5);
        double expected = Enumerable.Range(0, losses.Length).Max(i => losses[i] - ((1 - curve.Points[i].Lambda) * losses[0] + curve.Points[i].Lambda * losses[^1]));
        Assert.Equal(expected, curve.LossBarrier, 5);

        // A model with itself: a flat line and no barrier.
        var flat = InterpolationCurve.Evaluate("a-a", sa, sa, a.CloneArchitecture(), data, points: 3);
        Assert.All(flat.Points, p => Assert.Equal(flat.Points[0].Loss, p.Loss, 5));
        Assert.Equal(0, flat.LossBarrier, 5);
        ModelState.Dispose(sa);
        ModelState.Dispose(sb);
    }
}
