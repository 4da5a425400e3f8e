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
        try
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            var featureParts = new List<Tensor>();
            var logitParts = new List<Tensor>();
            long n = inputs.shape[0];
            for (long start = 0; start < n; start += batchSize)
            {
                using var batchScope = NewDisposeScope();   // a batch keeps only its float64 host copies
                var batch = inputs.narrow(0, start, Math.Min(batchSize, n - start));
                var (phi, logits) = Batch(batch);
                featureParts.Add(phi.to(CPU).to(ScalarType.Float64).MoveToOuterDisposeScope());
                logitParts.Add(logits.to(CPU).to(ScalarType.Float64).MoveToOuterDisposeScope());
            }
            return (cat(featureParts, 0).MoveToOuterDisposeScope(), cat(logitParts, 0).MoveToOuterDisposeScope());
        }
        finally
        {
            Model.train(wasTraining);
        }
    }

    /// <summary>
    /// One batch's features and logits. An <see cref="Models.Mlp"/> gives its last hidden activations directly; other models
    /// run through <c>call</c> with a forward pre-hook on the head, which fires when the model (or the container holding
    /// the head, e.g. a Sequential) invokes the head with <c>call</c>. Models that call the head's <c>forward</c> directly
    /// bypass hooks; for them the features are read through the head itself, which is linear: with its weight set to
    /// rows k..k+C−1 of the identity and its bias to 0 (restored afterwards), the logits are φ_k..φ_{k+C−1}, so ⌈D/C⌉ extra
    /// passes give φ exactly.
    /// </summary>
    (Tensor Features, Tensor Logits) Batch(Tensor batch)
    {
        if (Model is Models.Mlp mlp && mlp.Layers.Count > 1 && ReferenceEquals(mlp.Layers[^1], Head))
            return (mlp.HiddenActivations(batch)[^1], mlp.forward(batch));

        Tensor? captured = null;
        var handle = Head.register_forward_pre_hook((module, input) =>
        {
            // the model's forward may dispose its scope's tensors: keep a handle of our own
            captured?.Dispose();
            captured = input.detach().alias().DetachFromDisposeScope();
            return input;
        });
        Tensor logits;
        try
        {
            logits = Model.call(batch);
        }
        finally
        {
            handle.remove();
        }
        if (captured is null) return (Probe(batch), logits);
        var features = captured.alias(); // in the caller's scope
        captured.Dispose();
        return (features, logits);
    }

    Tensor Probe(Tensor batch)
    {
        var weight = Head.weight!;
        var bias = Head.bias;
        long classes = weight.shape[0], inputs = weight.shape[1];
        using var savedWeight = weight.detach().clone();
        using var savedBias = bias?.detach().clone();
        var parts = new List<Tensor>();
        try
        {
            for (long k = 0; k < inputs; k += classes)
            {
                using var identity = eye(inputs, dtype: weight.dtype, device: weight.device);
                weight.zero_();
                long take = Math.Min(classes, inputs - k);
                weight.narrow(0, 0, take).copy_(identity.narrow(0, k, take));
                bias?.zero_();
                parts.Add(Model.forward(batch).narrow(1, 0, take));
            }
        }
        finally
        {
            weight.copy_(savedWeight);
            bias?.copy_(savedBias!);
        }
        return cat(parts, 1);
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
