using EnsembleKit.Backend;
using EnsembleKit.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EnsembleKit.Ensembles;

/// <summary>
/// The variational counterpart of <see cref="Mlp"/>: one <see cref="MeanFieldLinear"/> per <c>(in, out)</c> pair of the
/// spec, ReLU between layers, raw logits out. Inputs <c>[B, in]</c> float32 (higher-rank inputs are flattened); outputs
/// <c>[B, out]</c>. Training-mode passes are stochastic (local reparameterisation in every layer); eval-mode passes use the
/// weight means. Trained by <see cref="VariationalInference.Train"/>; a weight draw becomes an ordinary <see cref="Mlp"/>
/// (<see cref="Sample"/>), and draws become an ensemble (<see cref="VariationalEnsemble"/>).
/// </summary>
public sealed class MeanFieldMlp : nn.Module<Tensor, Tensor>, IMeanFieldNetwork
{
    readonly ModuleList<MeanFieldLinear> layers;

    public MeanFieldMlp(IReadOnlyList<(int In, int Out)> spec, double priorSigma = 1.0, double initialSigma = 1e-3) : base("MeanFieldMlp")
    {
        TorchRuntime.EnsureInitialized();
        Spec = MlpSpec.Validate(spec);
        PriorSigma = priorSigma;
        layers = new ModuleList<MeanFieldLinear>(spec.Select(s => new MeanFieldLinear(s.In, s.Out, priorSigma, initialSigma)).ToArray());
        RegisterComponents();
    }

    /// <summary>Seed 000's shape, 784-512-10, with a N(0, <paramref name="priorSigma"/>²) prior on every weight.</summary>
    public static MeanFieldMlp Seed000(double priorSigma = 1.0) => new([(784, 512), (512, 10)], priorSigma);

    public IReadOnlyList<(int In, int Out)> Spec { get; }

    /// <summary>s of the N(0, s²) prior on every weight and bias.</summary>
    public double PriorSigma { get; }

    public IReadOnlyList<MeanFieldLinear> Layers => layers.ToList();

    public int InputSize => Spec[0].In;
    public int OutputSize => Spec[^1].Out;

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = MlpSpec.Flatten(input, InputSize, "MeanFieldMlp");
        for (int i = 0; i < layers.Count; i++)
        {
            x = layers[i].forward(x);
            if (i < layers.Count - 1) x = nn.functional.relu(x);
        }
        return x.MoveToOuterDisposeScope();
    }

    /// <summary>KL(q ‖ prior) of all layers, a scalar tensor attached to the graph (<see cref="MeanFieldLayer.Kl"/>).</summary>
    public Tensor Kl() => VariationalInference.Kl(this);

    /// <summary>
    /// One weight draw as a plain <see cref="Mlp"/> with the same spec, in eval mode on this network's device: layer by
    /// layer, <see cref="MeanFieldLayer.Sample"/> from a CPU generator seeded <paramref name="seed"/>, so the same seed gives
    /// the same network. The caller owns it. (Building the <see cref="Mlp"/> advances the global generator, as any
    /// construction does; its initial weights are overwritten.)
    /// </summary>
    public Mlp Sample(long seed)
    {
        using var generator = new Generator((ulong)seed, CPU);
        return Fill(layer => layer.Sample(generator));
    }

    nn.Module<Tensor, Tensor> IMeanFieldNetwork.SampleNetwork(long seed) => Sample(seed);

    /// <summary>The mean network (every weight at μ) as a plain <see cref="Mlp"/> in eval mode; the caller owns it.</summary>
    public Mlp MeanModel() => Fill(layer => (layer.WeightMean.detach().clone(), layer.BiasMean.detach().clone()));

    Mlp Fill(Func<MeanFieldLinear, (Tensor Weight, Tensor Bias)> draw)
    {
        var model = new Mlp(Spec);
        try
        {
            model.to(layers[0].WeightMean.device);
            using var _ = no_grad();
            var targets = model.Layers;
            for (int i = 0; i < layers.Count; i++)
            {
                var (weight, bias) = draw(layers[i]);
                using (weight)
                using (bias)
                using (NewDisposeScope())   // the handles copy_ returns
                {
                    targets[i].weight!.copy_(weight);
                    targets[i].bias!.copy_(bias);
                }
            }
            model.eval();
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    public override string ToString() => $"MeanFieldMlp({string.Join("-", Spec.Select(s => s.In).Append(OutputSize))}, prior σ {PriorSigma:G3})";
}
