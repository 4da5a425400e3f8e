using EnsembleKit.Data;
using EnsembleKit.Data.Corruptions;
using EnsembleKit.Metrics;
using EnsembleKit.Models;
using EnsembleKit.Training;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Data;

/// <summary>The benchmark's intent: a trained model does worse (higher loss, no better accuracy) at severity 5 than at severity 1 for the noise and blur families.</summary>
public class CorruptionsAccuracyTests(ITestOutputHelper output)
{
    [Fact]
    public void ATrainedMlpIsLessAccurateAtSeverityFiveThanOneForNoiseAndBlur()
    {
        // Seed 000's Fashion-MNIST MLP, 2 epochs on 5,000 training images (about 80% test accuracy).
        using var train = TestSupport.FashionMnistSubset(train: true, 5000);
        manual_seed(3);   // the initial weights too: unseeded, they came from whatever the tests before had left in the global generator
        using var model = Mlp.Seed000();
        new Trainer(new TrainingOptions { Epochs = 2, BatchSize = 64, LearningRate = 0.05, Seed = 3, Progress = ProgressSinks.None }).Fit(model, train);
        model.eval();

        using var full = FashionMnist.Load(train: false, flatten: false, standardize: false);
        using var clean = full.Take(2000);
        double cleanAccuracy = Evaluate(model, clean).Accuracy;
        var report = new List<string> { $"clean {cleanAccuracy:F3}" };
        foreach (var name in new[] { "gaussian_noise", "shot_noise", "impulse_noise", "defocus_blur", "glass_blur", "motion_blur", "zoom_blur" })
        {
            using var mild = CorruptedDataset.Create(clean, name, 1, seed: 0);
            using var severe = CorruptedDataset.Create(clean, name, 5, seed: 0);
            var (one, oneLoss) = Evaluate(model, mild);
            var (five, fiveLoss) = Evaluate(model, severe);
            report.Add($"{name} {one:F3} -> {five:F3} (NLL {oneLoss:F4} -> {fiveLoss:F4})");
            // The loss, not the accuracy: at 2,000 images the mildest noise (σ 0.04 -> 0.10 on [0, 1] pixels) can move
            // accuracy by less than one image, while the loss always registers it.
            Assert.True(fiveLoss > oneLoss, $"{name}: NLL at severity 5 ({fiveLoss:F4}) is not above severity 1 ({oneLoss:F4}); {string.Join("; ", report)}");
            Assert.True(five <= one, $"{name}: accuracy at severity 5 ({five:F3}) is above severity 1 ({one:F3}); {string.Join("; ", report)}");
        }
        output.WriteLine(string.Join("; ", report));
        Assert.True(cleanAccuracy > 0.7, string.Join("; ", report));
    }

    /// <summary>Accuracy and mean cross-entropy on images <c>[N, 1, 28, 28]</c> in [0, 1], standardised and flattened as
    /// <see cref="FashionMnist.Load"/> does.</summary>
    static (double Accuracy, double Loss) Evaluate(nn.Module<Tensor, Tensor> model, TensorDataset images)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var inputs = images.Inputs.sub(FashionMnist.PixelMean).div(FashionMnist.PixelStd).reshape(images.Count, 784);
        var logits = model.call(inputs);
        return (Metric.Accuracy(logits, images.Targets), nn.functional.cross_entropy(logits, images.Targets).item<float>());
    }
}
