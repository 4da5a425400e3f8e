using EnsembleKit.Backend;
using EnsembleKit.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Ensembles;

/// <summary>
/// The variational counterpart of <see cref="LeNet"/> (without dropout): the same chain, <c>conv5×5 → ReLU → maxpool2</c>
/// twice, then three fully connected layers with ReLU between, built from <see cref="MeanFieldConv2d"/> and
/// <see cref="MeanFieldLinear"/> layers named as LeNet's (<c>conv1</c>, <c>conv2</c>, <c>fc1</c>, <c>fc2</c>,
/// <c>classifier</c>). Inputs <c>[B, inChannels, imageSize, imageSize]</c>; logits <c>[B, classCount]</c>. Trained by
/// <see cref="VariationalInference.Train"/>; a weight draw is an ordinary <see cref="LeNet"/> (<see cref="Sample"/>), and
/// draws become an ensemble (<see cref="VariationalEnsemble"/>).
/// </summary>
public sealed class MeanFieldLeNet : nn.Module<Tensor, Tensor>, IMeanFieldNetwork
{
    readonly MeanFieldConv2d conv1, conv2;
    readonly MeanFieldLinear fc1, fc2, classifier;

    public MeanFieldLeNet(LeNetWidths widths, int classCount = 10, int inChannels = 3, int imageSize = 32, double priorSigma = 1.0,
        double initialSigma = 1e-3) : base("MeanFieldLeNet")
    {
        TorchRuntime.EnsureInitialized();
        ArgumentNullException.ThrowIfNull(widths);
        // The deterministic LeNet checks the shape arguments and tells the feature size; it is not kept. (Its initialisation
        // draws from the global generator, so the means below start from the generator's state after it.)
        using (var shape = new LeNet(widths, classCount, inChannels, imageSize)) FeatureSize = shape.FeatureSize;
        Widths = widths;
        ClassCount = classCount;
        InChannels = inChannels;
        ImageSize = imageSize;
        PriorSigma = priorSigma;
        conv1 = new MeanFieldConv2d(inChannels, widths.Conv1, 5, priorSigma: priorSigma, initialSigma: initialSigma);
        conv2 = new MeanFieldConv2d(widths.Conv1, widths.Conv2, 5, priorSigma: priorSigma, initialSigma: initialSigma);
        fc1 = new MeanFieldLinear(widths.Conv2 * FeatureSize * FeatureSize, widths.Fc1, priorSigma, initialSigma);
        fc2 = new MeanFieldLinear(widths.Fc1, widths.Fc2, priorSigma, initialSigma);
        classifier = new MeanFieldLinear(widths.Fc2, classCount, priorSigma, initialSigma);
        RegisterComponents();
    }

    /// <summary>Seed 002's LeNet-S widths (16, 32, 256, 128) with a N(0, <paramref name="priorSigma"/>²) prior on every weight.</summary>
    public static MeanFieldLeNet Small(int classCount = 10, int inChannels = 3, int imageSize = 32, double priorSigma = 1.0) =>
        new(LeNetWidths.Small, classCount, inChannels, imageSize, priorSigma);

    public LeNetWidths Widths { get; }
    public int ClassCount { get; }
    public int InChannels { get; }
    public int ImageSize { get; }
    /// <summary>Side of the feature map after the second pooling (5 for 32×32 inputs).</summary>
    public int FeatureSize { get; }
    public double PriorSigma { get; }

    public override Tensor forward(Tensor input)
    {
        ModelGuards.RequireImages(input, "MeanFieldLeNet", InChannels, ImageSize);
        using var scope = NewDisposeScope();
        var x = nn.functional.max_pool2d(nn.functional.relu(conv1.forward(input)), 2);
        x = nn.functional.max_pool2d(nn.functional.relu(conv2.forward(x)), 2);
        x = nn.functional.relu(fc1.forward(x.flatten(1)));
        x = nn.functional.relu(fc2.forward(x));
        return classifier.forward(x).MoveToOuterDisposeScope();
    }

    /// <summary>KL(q ‖ prior) of all layers, a scalar tensor attached to the graph.</summary>
    public Tensor Kl() => VariationalInference.Kl(this);

    /// <summary>
    /// One weight draw as a plain <see cref="LeNet"/> of the same widths, in eval mode on this network's device: layer by
    /// layer in the order conv1, conv2, fc1, fc2, classifier, each layer's <c>Sample</c> from one CPU generator seeded
    /// <paramref name="seed"/>, so the same seed gives the same network. The caller owns it.
    /// </summary>
    public LeNet Sample(long seed)
    {
        using var generator = new Generator((ulong)seed, CPU);
        return Fill(layer => layer.Sample(generator));
    }

    nn.Module<Tensor, Tensor> IMeanFieldNetwork.SampleNetwork(long seed) => Sample(seed);

    /// <summary>The mean network (every weight at μ) as a plain <see cref="LeNet"/> in eval mode; the caller owns it.</summary>
    public LeNet MeanModel() => Fill(layer => (layer.WeightMean.detach().clone(), layer.BiasMean.detach().clone()));

    LeNet Fill(Func<MeanFieldLayer, (Tensor Weight, Tensor Bias)> draw)
    {
        var model = new LeNet(Widths, ClassCount, InChannels, ImageSize);
        try
        {
            model.to(conv1.WeightMean.device);
            var state = model.state_dict();
            using var _ = no_grad();
            // In a fixed order (conv1, conv2, fc1, fc2, classifier), so one generator gives the same network every time.
            foreach (var (name, layer) in new (string, MeanFieldLayer)[] { ("conv1", conv1), ("conv2", conv2), ("fc1", fc1), ("fc2", fc2), ("classifier", classifier) })
            {
                var (weight, bias) = draw(layer);
                using (weight)
                using (bias)
                using (NewDisposeScope())   // the handles copy_ returns
                {
                    state[$"{name}.weight"].copy_(weight);
                    state[$"{name}.bias"].copy_(bias);
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

    public override string ToString() => $"MeanFieldLeNet{Widths} {InChannels}x{ImageSize}x{ImageSize} -> {ClassCount}, prior σ {PriorSigma:G3}";
}
