using EnsembleKit.Data;
using EnsembleKit.Models;
using EnsembleKit.Training;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Subnetworks;

/// <summary>Tiny models and data for the subnetwork tests.</summary>
internal static class SubnetFixtures
{
    /// <summary>2-16-16-2 MLP: weights [16,2], [16,16], [2,16] (32 + 256 + 32 = 320 entries), biases 16 + 16 + 2.</summary>
    public static Mlp Spiral(long seed = 0)
    {
        manual_seed(seed);
        return new Mlp([(2, 16), (16, 16), (16, 2)]);
    }

    /// <summary>10-7-3 MLP: weights [7,10] (70) and [3,7] (21), biases 7 and 3.</summary>
    public static Mlp Small(long seed = 0)
    {
        manual_seed(seed);
        return new Mlp([(10, 7), (7, 3)]);
    }

    public static TensorDataset SpiralData(int perClass = 100, long seed = 1) => SpiralDataset.Generate(perClass, 2, noise: 0.05, seed: seed);

    public static readonly TrainingOptions Quick = new()
    {
        Epochs = 2,
        BatchSize = 20,
        LearningRate = 0.1,
        Momentum = 0.9,
        WeightDecay = 1e-2,
        Nesterov = true,
        Schedule = new ConstantSchedule(),
        Progress = ProgressSinks.None,
    };

    /// <summary>Parameter values as a flat double array.</summary>
    public static double[] Values(Tensor t) => t.detach().to(ScalarType.Float64).cpu().flatten().data<double>().ToArray();
}
