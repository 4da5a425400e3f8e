using EnsembleKit.Diversity;
using EnsembleKit.Ensembles;
using EnsembleKit.Metrics;
using EnsembleKit.Models;
using EnsembleKit.Training;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Diversity;

public class TrajectoryRecorderTests
{
    static readonly TrainingOptions Quick = new() { Epochs = 4, BatchSize = 50, Progress = ProgressSinks.None, Seed = 2 };

    [Fact]
    public void KeepsExactlyTheChosenEpochsAsPlainArrays()
    {
        using var train = TestSupport.FashionMnistSubset(train: true, 300);
        using var test = TestSupport.FashionMnistSubset(train: false, 120);
        manual_seed(2);
        using var model = new Mlp([(784, 16), (16, 10)]);
        var recorder = new TrajectoryRecorder(test, epochs: [1, 3]);
        var everything = TrajectoryRecorder.EveryEpoch(test, includeBiases: true);
        new Trainer(Quick with { Callbacks = [recorder, everything] }).Fit(model, train);

        Assert.Equal([1, 3], recorder.Points.Select(p => p.Epoch));
        Assert.Equal([0, 1, 2, 3], everything.Points.Select(p => p.Epoch));
        var last = recorder.Points[^1];
        Assert.Equal(784 * 16 + 16 * 10, last.Weights.Length);
        Assert.Equal(784 * 16 + 16 + 16 * 10 + 10, everything.Points[^1].Weights.Length);
        Assert.Equal(120, last.Count);
        Assert.Equal(10, last.Classes);
        Assert.Equal(120 * 10, last.Probabilities.Length);

        // the last point is the trained model: same weights, predictions and accuracy
        Assert.Equal(ParameterVector.Flatten(model), last.Weights);
        using var logits = Predict.Logits(model, test);
        Assert.Equal(logits.argmax(1).to(ScalarType.Int32).data<int>().ToArray(), last.Predictions);
        Assert.Equal(Metric.Accuracy(logits, test.Targets), last.Accuracy, 12);
        using var probs = logits.softmax(1);
        Assert.Equal(probs.data<float>().ToArray(), last.Probabilities);
        for (int i = 0; i < 120; i++)
            Assert.Equal(1.0, last.Probabilities.Skip(i * 10).Take(10).Sum(), 4);

        // earlier epochs are different copies, not views of the live weights
        Assert.NotEqual(recorder.Points[0].Weights, last.Weights);
        Assert.Equal(everything.Points[1].Predictions, recorder.Points[0].Predictions);
    }

    [Fact]
    public void RecordingLeaksNoTensors()
    {
        using var test = TestSupport.FashionMnistSubset(train: false, 50);
        using var model = new Mlp([(784, 8), (8, 10)]);
        var recorder = new TrajectoryRecorder(test, epochs: [0]);
        recorder.Record(model, -1); // warm up any lazily created state
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long before = Tensor.TotalCount;
        for (int i = 0; i < 5; i++) recorder.Record(model, i);
        Assert.Equal(before, Tensor.TotalCount);
        Assert.Equal(6, recorder.Points.Count);
    }

    [Fact]
    public void BadEpochsAreRejected()
    {
        using var test = TestSupport.FashionMnistSubset(train: false, 10);
        Assert.Throws<ArgumentOutOfRangeException>(() => new TrajectoryRecorder(test, epochs: [-1]));
    }
}
