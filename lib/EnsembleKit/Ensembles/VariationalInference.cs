using EnsembleKit.Backend;
using EnsembleKit.Data;
using EnsembleKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Ensembles;

/// <summary>
/// Mean-field Gaussian variational inference ("Bayes by Backprop", Blundell et al. 2015, with the local reparameterisation
/// trick of Kingma, Salimans and Welling 2015; the FFG baseline of Ashukha et al. 2020) for networks built from
/// mean-field layers (<see cref="MeanFieldLinear"/>, <see cref="MeanFieldConv2d"/>), e.g. <see cref="MeanFieldMlp"/> and
/// <see cref="MeanFieldLeNet"/>.
/// <para>The ELBO on N training examples is <c>L(q) = Σₙ E_q[log p(yₙ | xₙ, w)] − KL(q ‖ p)</c>. Every step minimises the
/// per-example negative ELBO estimated on a minibatch B, <c>(1/|B|) Σ_{n∈B} NLL(xₙ, yₙ) + β · KL(q ‖ p) / N</c>, where the
/// NLL is <see cref="TrainingOptions.Loss"/> (cross-entropy by default, a mean over the batch) evaluated on one stochastic
/// pass, and β = 1 (the ELBO itself) unless KL annealing is asked for. Multiplying by N gives the usual
/// <c>N · mean NLL + KL</c>; dividing by N keeps the loss on the scale of ordinary training, so the kit's learning rates
/// and the history's loss (the negative ELBO per example) read as usual.</para>
/// </summary>
public static class VariationalInference
{
    /// <summary>
    /// Trains <paramref name="model"/> in place on <paramref name="train"/> by maximising the ELBO with the
    /// <see cref="Trainer"/> (its optimiser, schedule, seeding, progress and checkpoints), and returns the history.
    /// <paramref name="klWarmupEpochs"/> > 0 anneals β linearly from 0 to 1 over that many epochs, step by step
    /// (<c>β = min(1, t / (warm-up epochs · steps per epoch))</c> at step t; Sønderby et al. 2016), then keeps β = 1.
    /// Weight decay must be 0: the prior already regularises μ and σ, and decay on ρ would pull σ towards softplus(0).
    /// Adam at 1e-3 (Blundell et al.'s kind of setting) is a good start; the defaults of <see cref="TrainingOptions"/> are
    /// seed 000's SGD recipe for point estimates.
    /// </summary>
    public static TrainingHistory Train(nn.Module<Tensor, Tensor> model, TensorDataset train, TrainingOptions options, int klWarmupEpochs = 0)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        TorchRuntime.EnsureInitialized();
        if (!model.modules().OfType<MeanFieldLayer>().Any())
            throw new ArgumentException($"{model.GetName()} has no mean-field layers (MeanFieldLinear, MeanFieldConv2d): there is no variational posterior to fit.", nameof(model));
        if (options.WeightDecay != 0)
            throw new ArgumentException($"weight decay must be 0 for variational inference (the prior is the regulariser); got {options.WeightDecay}.", nameof(options));
        if (klWarmupEpochs < 0)
            throw new ArgumentOutOfRangeException(nameof(klWarmupEpochs), $"KL warm-up epochs must be non-negative; got {klWarmupEpochs}.");
        if (klWarmupEpochs > 0 && options.CheckpointPath is not null)
            throw new ArgumentException($"KL warm-up ({klWarmupEpochs} epochs) keeps its step count in memory, so a run with a checkpoint path could not resume it exactly; "
                + "train without warm-up or without a checkpoint.", nameof(klWarmupEpochs));
        var warmup = new KlWarmup(klWarmupEpochs);
        double count = train.Count;
        var nll = options.Loss;
        LossFunction elbo = (logits, batch) =>
        {
            using Scalar klWeight = warmup.Beta / count;
            return nll(logits, batch) + Kl(model).mul(klWeight);
        };
        var callbacks = klWarmupEpochs > 0 ? [.. options.Callbacks, warmup] : options.Callbacks;
        return new Trainer(options with { Loss = elbo, Callbacks = callbacks }).Fit(model, train);
    }

    /// <summary>
    /// KL(q ‖ p) summed over every <see cref="MeanFieldLayer"/> in <paramref name="model"/>: a scalar tensor attached to the
    /// graph (0 when there are none).
    /// </summary>
    public static Tensor Kl(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var scope = NewDisposeScope();
        Tensor? total = null;
        foreach (var layer in model.modules().OfType<MeanFieldLayer>())
            total = total is null ? layer.Kl() : total + layer.Kl();
        return (total ?? zeros([])).MoveToOuterDisposeScope();
    }

    /// <summary>β for the next step, set after every step; starts at 0.</summary>
    sealed class KlWarmup(int epochs) : ITrainingCallback
    {
        public double Beta { get; private set; } = epochs > 0 ? 0 : 1;

        public void OnEpochEnd(TrainingContext context) { }

        public void OnStepEnd(TrainingContext context)
        {
            double done = (double)context.Epoch * context.StepsPerEpoch + context.Step + 1;
            Beta = Math.Min(1, done / ((double)epochs * context.StepsPerEpoch));
        }
    }
}
