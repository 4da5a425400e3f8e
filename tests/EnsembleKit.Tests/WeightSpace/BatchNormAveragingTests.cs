using EnsembleKit.Data;
using EnsembleKit.WeightSpace;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.WeightSpace;

public class BatchNormAveragingTests
{
    sealed class TinyBnNet : nn.Module<Tensor, Tensor>
    {
        public readonly TorchSharp.Modules.Linear fc1 = nn.Linear(4, 3);
        public readonly TorchSharp.Modules.BatchNorm1d bn = nn.BatchNorm1d(3);
        public readonly TorchSharp.Modules.Linear fc2 = nn.Linear(3, 2);
        public TinyBnNet() : base("TinyBnNet") => RegisterComponents();
        public override Tensor forward(Tensor x) => fc2.forward(nn.functional.relu(bn.forward(fc1.forward(x))));
    }

    [Fact]
    public void AveragedBatchNormStatisticsAreRecomputedOnTheData()
    {
        manual_seed(7);
        var a = new TinyBnNet();
        var b = new TinyBnNet();
        // 512 rows = two full batches of 256, so the cumulative average of batch means is the overall mean.
        var inputs = randn(512, 4) * 2 + 1;
        using var data = new TensorDataset(inputs, zeros(512, ScalarType.Int64), 2, "toy");
        var target = WeightAveraging.Into([a, b], new TinyBnNet(), data);
        // The running mean must be the mean of the averaged first layer's outputs over the data (not an average of the members' statistics).
        using var pre = target.fc1.forward(data.Inputs).detach();
        using var expected = pre.mean([0L]);
        Assert.True(target.bn.running_mean!.allclose(expected, rtol: 1e-4, atol: 1e-5));
        Assert.Contains("batch norm", Assert.Throws<ArgumentException>(() => WeightAveraging.Into([a, b], new TinyBnNet())).Message);
    }
}
