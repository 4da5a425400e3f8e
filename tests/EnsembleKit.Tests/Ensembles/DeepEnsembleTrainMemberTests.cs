using EnsembleKit.Ensembles;
using EnsembleKit.Models;
using EnsembleKit.Training;

namespace EnsembleKit.Tests.Ensembles;

public class DeepEnsembleTrainMemberTests
{
    [Theory]
    [InlineData(-1, 3, "index")]
    [InlineData(3, 3, "index")]
    [InlineData(0, 0, "count")]
    public void RefusesAnIndexOutsideTheEnsemble(int index, int count, string parameter)
    {
        using var data = new EnsembleKit.Data.TensorDataset(TorchSharp.torch.zeros(4, 784), TorchSharp.torch.zeros(4, TorchSharp.torch.ScalarType.Int64), 10, "zeros");
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => DeepEnsemble.TrainMember(Mlp.Seed000, data, new TrainingOptions { Epochs = 1, Progress = ProgressSinks.None }, index, count));
        Assert.Equal(parameter, e.ParamName);
        Assert.Contains($"got {(parameter == "index" ? index : count)}", e.Message);
    }
}
