using EnsembleKit.Data;
using EnsembleKit.Ensembles;
using EnsembleKit.Models;
using EnsembleKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Training;

/// <summary>
/// <see cref="TrainingOptions.ChannelsLast"/>: the model is fed channels-last image batches, training follows the
/// default one up to float rounding (sequential and in lockstep), and inputs that are not images are left alone.
/// </summary>
public class ChannelsLastTrainingTests
{
    static readonly TrainingOptions Quick = new() { Epochs = 1, BatchSize = 64, LearningRate = 0.05, Progress = ProgressSinks.None };

    /// <summary>LeNet-S behind a probe that records whether each training batch arrived channels-last.</summary>
    sealed class LayoutProbe : nn.Module<Tensor, Tensor>
    {
        readonly LeNet inner;
        public List<bool> SawChannelsLast { get; } = [];

        public LayoutProbe(LeNet inner) : base("LayoutProbe")
        {
            this.inner = inner;
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            if (training) SawChannelsLast.Add(ChannelsLast.Is(input) && input.shape[1] > 1);
            return inner.forward(input);
        }
    }

    static double MaxWeightDifference(nn.Module a, nn.Module b) =>
        a.parameters().Zip(b.parameters()).Max(p => { using var d = (p.First - p.Second).abs().max(); return (double)d.item<float>(); });

    [Fact]
    public void LeNetSeesChannelsLastBatchesAndTrainsAsByDefaultUpToRounding()
    {
        manual_seed(0);
        using var train = new TensorDataset(rand(512, 3, 32, 32, generator: new Generator(1)), randint(0, 10, [512], generator: new Generator(2)), 10, "random 3x32x32");
        manual_seed(5);
        using var plain = new LayoutProbe(LeNet.Small());
        manual_seed(5);
        using var last = new LayoutProbe(LeNet.Small());
        var plainHistory = Trainer.Train(plain, train, Quick);
        var lastHistory = Trainer.Train(last, train, Quick with { ChannelsLast = true });

        Assert.Equal(8, last.SawChannelsLast.Count);
        Assert.All(last.SawChannelsLast, Assert.True);
        Assert.All(plain.SawChannelsLast, Assert.False);
        double diff = MaxWeightDifference(plain, last);
        Assert.True(diff <= 1e-5, $"max |Δw| = {diff:E2} after 8 steps");
        Assert.Equal(plainHistory.Epochs[0].Loss, lastHistory.Epochs[0].Loss, 1e-5);
    }

    [Fact]
    public void FlatInputsAreLeftAsTheyAre()
    {
        // An MLP's vectors have no channels: the option changes nothing, to the bit.
        using var train = TestSupport.FashionMnistSubset(train: true, 640);
        manual_seed(7);
        using var plain = Mlp.Seed000();
        manual_seed(7);
        using var last = Mlp.Seed000();
        Trainer.Train(plain, train, Quick);
        Trainer.Train(last, train, Quick with { ChannelsLast = true });
        Assert.Equal(0.0, MaxWeightDifference(plain, last));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]   // two groups of two, one thread each
    public void LockstepMembersMatchSequentialOnesChannelsLast(int workers)
    {
        using var full = FashionMnist.Load(train: true, flatten: false);
        using var train = full.Take(640);
        var options = Quick with { ChannelsLast = true };
        // LeNet on 28x28 greyscale has one channel; three channels (the image repeated) make the layout matter.
        using var colour = new TensorDataset(train.Inputs.expand(-1, 3, -1, -1).contiguous(), train.Targets.clone(), 10, "fashion-mnist x3");
        LeNet Create() => LeNet.Small(10, inChannels: 3, imageSize: 28);
        using var sequential = DeepEnsemble.Train(Create, colour, options, 4, seed: 3);
        using var lockstep = DeepEnsemble.Train(Create, colour, options, 4, seed: 3, lockstep: true, lockstepWorkers: workers);
        for (int m = 0; m < 4; m++)
        {
            double diff = MaxWeightDifference(sequential.Members[m], lockstep.Members[m]);
            Assert.True(diff <= 1e-6, $"member {m}: max |Δw| = {diff:E2}");
            Assert.Equal(sequential.Histories[m].Epochs[0].Loss, lockstep.Histories[m].Epochs[0].Loss, 1e-5);
        }
    }
}
