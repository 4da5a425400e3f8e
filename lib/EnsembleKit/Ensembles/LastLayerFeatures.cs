using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EnsembleKit.Ensembles;

/// <summary>
/// The inputs φ(x) <c>[B, D]</c> to a model's last <c>nn.Linear</c> (the "head"), captured with a forward pre-hook while the
/// model runs in eval mode without gradients. The model's logits must be the head's output, <c>f(x) = W φ(x) + b</c>;
/// <see cref="Check"/> verifies that on a batch.
/// </summary>
internal sealed class LastLayerFeatures
{
    public LastLayerFeatures(nn.Module<Tensor, Tensor> model)
    {
        Model = model;
        if (model is Linear self) (HeadName, Head) = ("", self);
        else
        {
            var linears = model.named_modules().Where(m => m.module is Linear).ToList();
            if (linears.Count == 0)
                throw new ArgumentException($"{model.GetName()} has no nn.Linear layer: last-layer Laplace needs a linear head.", nameof(model));
            (HeadName, Head) = (linears[^1].name, (Linear)linears[^1].module);
        }
    }

    public nn.Module<Tensor, Tensor> Model { get; }
    public Linear Head { get; }
    /// <summary>The head's name in the model's state ("" when the model is the head itself).</summary>
    public string HeadName { get; }
    public string WeightKey => HeadName.Length == 0 ? "weight" : $"{HeadName}.weight";
    public string BiasKey => HeadName.Length == 0 ? "bias" : $"{HeadName}.bias";

    /// <summary>Features <c>[N, D]</c> float64 on the CPU of every row of <paramref name="inputs"/> <c>[N, ...]</c>, and
    /// the model's logits <c>[N, C]</c> float64 on the CPU.</summary>
    public (Tensor Features, Tensor Logits) Run(Tensor inputs, int batchSize)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), $"batch size must be positive; got {batchSize}.");
        bool wasTraining = Model.training;
        Model.eval();
        var featureParts = new List<Tensor>();
        Tensor? captured = null;
        var handle = Head.register_forward_pre_hook((module, input) =>
        {
            captured?.Dispose();
            captured = input.detach().to(CPU).to(ScalarType.Float64).DetachFromDisposeScope();
            return input;
        });
        try
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            var logitParts = new List<Tensor>();
            long n = inputs.shape[0];
            for (long start = 0; start < n; start += batchSize)
            {
                captured = null;
                var logits = Model.forward(inputs.narrow(0, start, Math.Min(batchSize, n - start)));
                if (captured is null) throw new InvalidOperationException($"{Model.GetName()}'s forward did not call its last nn.Linear '{HeadName}'.");
                featureParts.Add(captured);
                captured = null;
                logitParts.Add(logits.to(CPU).to(ScalarType.Float64));
            }
            var features = cat(featureParts, 0);
            return (features.MoveToOuterDisposeScope(), cat(logitParts, 0).MoveToOuterDisposeScope());
        }
        finally
        {
            handle.remove();
            foreach (var t in featureParts) t.Dispose();
            captured?.Dispose();
            Model.train(wasTraining);
        }
    }

    /// <summary>Throws unless the model's logits equal <c>φ Wᵀ + b</c> (relative tolerance 1e-4) on these rows.</summary>
    public static void Check(Tensor features, Tensor logits, Tensor weights, string modelName)
    {
        using var scope = NewDisposeScope();
        var head = features.matmul(weights.t());
        double scale = Math.Max(1.0, logits.abs().max().item<double>());
        double gap = (head - logits).abs().max().item<double>();
        if (gap > 1e-4 * scale)
            throw new ArgumentException($"{modelName}'s logits are not the output of its last nn.Linear (they differ from it by up to {gap:G3}): "
                + "last-layer Laplace needs a model that ends with its linear head.", "model");
    }
}
