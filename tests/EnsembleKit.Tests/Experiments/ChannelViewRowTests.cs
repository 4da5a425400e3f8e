using EnsembleKit.Analysis;
using EnsembleKit.Backend;
using EnsembleKit.Data;
using EnsembleKit.Ensembles;
using EnsembleKit.Evaluation;
using EnsembleKit.Experiments;
using EnsembleKit.Metrics;
using EnsembleKit.Models;
using EnsembleKit.Plotting;
using EnsembleKit.Training;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Experiments;

public sealed class ChannelViewRowTests
{
    // 8 channels of 8 x 8, three classes: class k brightens channels 2k and 2k + 1.
    static (TensorDataset Train, TensorDataset Test) Features()
    {
        TorchRuntime.EnsureInitialized();
        using var generator = new Generator(11);
        TensorDataset Make(int n, string name)
        {
            var targets = randint(0, 3, [n], generator: generator);
            var pattern = zeros(3, 8);
            for (int k = 0; k < 3; k++) pattern[k, 2 * k] = pattern[k, 2 * k + 1] = tensor(1.5f);
            var inputs = randn([n, 8, 8, 8], generator: generator) + nn.functional.one_hot(targets, 3).to(ScalarType.Float32).matmul(pattern).view(n, 8, 1, 1);
            return new TensorDataset(inputs, targets, 3, name);
        }
        return (Make(96, "train"), Make(48, "test"));
    }

    [Fact]
    public void EachRowIsItsViewsHeadsTrainedAndScoredAsWrittenOut()
    {
        var (train, test) = Features();
        var rows = ChannelViewRow.Run(train, test, models: 2, headEpochs: 1);
        Assert.Equal(["original", "split 2", "split 4", "avg 2", "avg 4"], rows.Select(r => r.View));
        Assert.Equal([8, 4, 2, 4, 2], rows.Select(r => r.Channels));

        // The steps as notebook 19 wrote them, for the view "avg 2".
        var (viewTrain, viewTest) = (ChannelViews.Average(train, 2), ChannelViews.Average(test, 2));
        var heads = DeepEnsemble.Train(() => new SmallCnn(3, inChannels: 4, imageSize: 8), viewTrain,
            new TrainingOptions { Epochs = 1, LearningRate = 0.05, Label = "avg 2 (4 channels)" }, count: 2, seed: 0);
        var report = EnsembleEvaluation.Evaluate(heads, viewTest);
        var (mean, std) = SampleStatistics.MeanAndStd(report.Members.Select(m => m.Accuracy * 100));
        Assert.Equal(new ChannelViewRow("avg 2", 4, mean, std, report.Ensemble.Accuracy * 100), rows[3]);
        Assert.False(train.Inputs.IsInvalid, "the caller's features are left alive");
    }

    [Fact]
    public void BadInputIsRefused()
    {
        var (train, test) = Features();
        Assert.Throws<ArgumentOutOfRangeException>(() => ChannelViewRow.Run(train, test, models: 0, headEpochs: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ChannelViewRow.Run(train, test, models: 2, headEpochs: 0));
        using var flat = new TensorDataset(zeros(4, 8), zeros(4, dtype: ScalarType.Int64), 3, "flat");
        Assert.Throws<ArgumentException>(() => ChannelViewRow.Run(flat, test, 2, 1));
        Assert.Throws<ArgumentNullException>(() => ChannelViewRow.Run(train, null!, 2, 1));
    }

    [Fact]
    public void TheTableShowsEachViewsDropAgainstTheFirst()
    {
        var frame = Tables.ChannelViews([new("original", 32, 55.43, 0.121, 58.24), new("avg 4", 8, 47.789, 1.574, 50.03)]);
        Assert.Equal(["View", "Channels", "Single", "Ensemble", "SingleDrop", "EnsembleDrop"], frame.Columns.Select(c => c.Name));
        Assert.Equal(["55.43 ± 0.12", "47.79 ± 1.57"], frame.Columns["Single"].Cast<string>());
        Assert.Equal([0.0, 7.64], frame.Columns["SingleDrop"].Cast<double>());
        Assert.Equal([0.0, 8.21], frame.Columns["EnsembleDrop"].Cast<double>());
        Assert.Throws<ArgumentException>(() => Tables.ChannelViews([]));
    }
}
