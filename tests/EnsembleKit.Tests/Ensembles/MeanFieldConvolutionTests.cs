using EnsembleKit.Data;
using EnsembleKit.Ensembles;
using EnsembleKit.Models;
using EnsembleKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Ensembles;

/// <summary>
/// Mean-field VI for convolutions: the local reparameterisation of <see cref="MeanFieldConv2d"/> against explicit weight
/// draws, its KL by hand, and <see cref="MeanFieldLeNet"/> trained and sampled through the ensemble interface.
/// </summary>
public sealed class MeanFieldConvolutionTests
{
    static double Rho(double sigma) => Math.Log(Math.Exp(sigma) - 1);

    /// <summary>
    /// Every output of a convolution is linear in the weights, so under w ~ N(μ, σ²) output t of channel o is Gaussian with
    /// mean conv(x, μ) + μ_b and variance conv(x², σ²) + σ_b². 4,000 training-mode passes (local reparameterisation) and 4,000
    /// explicit weight draws convolved one by one must both give that mean and variance at all 3·4·4 outputs: the sample
    /// variance's relative standard error is √(2/4000) = 0.022, so 0.12 is 5.4 of them; means within 5 standard errors.
    /// </summary>
    [Fact]
    public void LocalReparameterisationMatchesExplicitWeightDraws()
    {
        manual_seed(4);
        using var layer = new MeanFieldConv2d(2, 3, 2, padding: 1);
        using (no_grad())
        {
            layer.WeightRho.copy_(full([3, 2, 2, 2], Rho(0.3)) + 0.5 * rand(3, 2, 2, 2));
            layer.BiasRho.copy_(full([3], Rho(0.2)));
        }
        using var scope = NewDisposeScope();
        var x = randn(1, 2, 3, 3);
        const int draws = 4000;
        layer.train();
        var local = layer.forward(x.expand(draws, 2, 3, 3)).detach();                         // [S, 3, 4, 4]
        using var generator = new Generator(9, CPU);
        var explicitDraws = stack(Enumerable.Range(0, draws).Select(_ =>
        {
            var (w, b) = layer.Sample(generator);
            return nn.functional.conv2d(x, w, b, padding: [1, 1])[0];
        }).ToList(), 0);
        using var _ = no_grad();
        var mean = nn.functional.conv2d(x, layer.WeightMean, layer.BiasMean, padding: [1, 1])[0];
        var variance = nn.functional.conv2d(x.square(), layer.WeightSigma().square(), layer.BiasSigma().square(), padding: [1, 1])[0];
        foreach (var (name, samples) in new[] { ("local reparameterisation", local), ("explicit draws", explicitDraws) })
        {
            var sampleMean = samples.mean([0L]);
            var sampleVariance = samples.var(0);
            double worstMean = ((sampleMean - mean).abs() / (variance / draws).sqrt()).max().item<float>();
            double worstVariance = (sampleVariance / variance - 1).abs().max().item<float>();
            Assert.True(worstMean <= 5, $"{name}: mean off by {worstMean:F2} standard errors");
            Assert.True(worstVariance <= 0.12, $"{name}: variance off by {worstVariance:P1}");
        }
        // eval mode is the mean convolution
        layer.eval();
        Assert.True(layer.forward(x)[0].allclose(mean, rtol: 1e-6, atol: 1e-6));
    }

    /// <summary>KL(N(μ, σ²) ‖ N(0, s²)) = log(s/σ) + (σ² + μ²)/(2s²) − 1/2 per weight: with every σ = s = 2 and μ = 0 it is 0;
    /// setting one weight's μ to 2 adds 4/8 = 0.5 and the bias's μ to −2 another 0.5.</summary>
    [Fact]
    public void KlMatchesTheHandComputedValue()
    {
        using var layer = new MeanFieldConv2d(1, 2, 3, priorSigma: 2, initialSigma: 2);
        using (no_grad())
        {
            layer.WeightMean.zero_();
            layer.BiasMean.zero_();
            layer.WeightMean[1, 0, 2, 1] = 2;
            layer.BiasMean[0] = -2;
        }
        using var kl = layer.Kl();
        Assert.Equal(1.0, kl.item<float>(), 5);
    }

    /// <summary>Two-class images told apart by the sign of channel 0's mean, CIFAR-sized.</summary>
    static TensorDataset SignImages(int count, int seed)
    {
        manual_seed(seed);
        var images = randn(count, 3, 32, 32);
        var labels = images.select(1, 0).mean([1L, 2L]).gt(0).to(ScalarType.Int64);
        return new TensorDataset(images, labels, 2, "sign images");
    }

    [Fact]
    public void MeanFieldLeNetTrainsAndItsDrawsAreLeNetMembers()
    {
        using var train = SignImages(64, 1);
        using var test = SignImages(20, 2);
        manual_seed(3);
        using var posterior = new MeanFieldLeNet(LeNetWidths.Small, classCount: 2);
        Assert.Equal(["conv1.weight_mu", "conv1.weight_rho", "conv1.bias_mu", "conv1.bias_rho"], posterior.named_parameters().Take(4).Select(p => p.name));
        var history = VariationalInference.Train(posterior, train, new TrainingOptions
        {
            Epochs = 4,
            BatchSize = 16,
            Optimizer = OptimizerKind.Adam,
            LearningRate = 1e-3,
            WeightDecay = 0,
            Progress = ProgressSinks.None,
        });
        Assert.True(history.Epochs[^1].Loss < history.Epochs[0].Loss, "the negative ELBO per example went down");

        using var ensemble = new VariationalEnsemble(posterior, samples: 3, seed: 5);
        Assert.Equal("VI (FFG)", ensemble.Method);
        Assert.All(ensemble.Members, m => Assert.IsType<LeNet>(m));
        using var logits = ensemble.MemberLogits(test);
        Assert.Equal([3L, 20, 2], logits.shape);
        Assert.False(logits[0].allclose(logits[1]));
        using (var third = posterior.Sample(7))
        using (var direct = Predict.Logits(third, test))
            Assert.True(logits[2].allclose(direct, rtol: 0, atol: 0), "member 2 is the draw seeded 5 + 2");
        using (var meanModel = posterior.MeanModel())
        using (var viaMean = Predict.Logits(meanModel, test))
        using (var viaPosterior = Predict.Logits(posterior, test))
            Assert.True(viaMean.allclose(viaPosterior, rtol: 1e-5, atol: 1e-6), "the mean LeNet is the posterior's eval-mode pass");

        using var folder = new TempFolder();
        EnsembleFile.Save(ensemble, folder.File("vi-lenet.ensemble"));
        using var loaded = EnsembleFile.Load(folder.File("vi-lenet.ensemble"), () => new LeNet(LeNetWidths.Small, classCount: 2));
        using var reloaded = loaded.MemberLogits(test);
        Assert.True(reloaded.allclose(logits, rtol: 0, atol: 0));
    }

    [Fact]
    public void BadArgumentsAreRefusedNamingTheArgumentAndValue()
    {
        void Refused<T>(string name, string value, Action act) where T : ArgumentException
        {
            var e = Assert.Throws<T>(act);
            Assert.Equal(name, e.ParamName);
            Assert.Contains(value, e.Message);
        }
        Refused<ArgumentOutOfRangeException>("inChannels", "got 0", () => new MeanFieldConv2d(0, 3, 3));
        Refused<ArgumentOutOfRangeException>("outChannels", "got -1", () => new MeanFieldConv2d(2, -1, 3));
        Refused<ArgumentOutOfRangeException>("kernelSize", "got 0", () => new MeanFieldConv2d(2, 3, 0));
        Refused<ArgumentOutOfRangeException>("stride", "got 0", () => new MeanFieldConv2d(2, 3, 3, stride: 0));
        Refused<ArgumentOutOfRangeException>("padding", "got -1", () => new MeanFieldConv2d(2, 3, 3, padding: -1));
        Refused<ArgumentOutOfRangeException>("priorSigma", "got 0", () => new MeanFieldConv2d(2, 3, 3, priorSigma: 0));
        Refused<ArgumentOutOfRangeException>("initialSigma", "got NaN", () => new MeanFieldConv2d(2, 3, 3, initialSigma: double.NaN));
        using var layer = new MeanFieldConv2d(2, 3, 3);
        using (var wrong = zeros(4, 5, 8, 8)) Refused<ArgumentException>("input", "[4, 5, 8, 8]", () => layer.forward(wrong));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MeanFieldLeNet(LeNetWidths.Small, imageSize: 8));
    }

    [Fact]
    public void TrainingStepsAndSamplingLeaveNoLiveTensors()
    {
        manual_seed(6);
        using var layer = new MeanFieldConv2d(2, 3, 2, padding: 1);
        using var x = randn(8, 2, 5, 5);
        using var optimizer = optim.Adam(layer.parameters(), 1e-3);
        void Work()
        {
            layer.train();
            for (int step = 0; step < 3; step++)
            {
                using var scope = NewDisposeScope();
                optimizer.zero_grad();
                var loss = layer.forward(x).square().mean() + layer.Kl() / 100;
                loss.backward();
                optimizer.step();
            }
            using var generator = new Generator(3, CPU);
            var (w, b) = layer.Sample(generator);
            w.Dispose();
            b.Dispose();
        }
        Work();
        long live = TestSupport.LiveTensorCount();
        Work();
        Assert.Equal(live, TestSupport.LiveTensorCount());
    }
}
