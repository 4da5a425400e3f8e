using EnsembleKit.Analysis;
using EnsembleKit.Data;
using EnsembleKit.Ensembles;
using EnsembleKit.Evaluation;
using EnsembleKit.Metrics;
using EnsembleKit.Models;
using EnsembleKit.Training;

namespace EnsembleKit.Experiments;

/// <summary>
/// Seed 003's E3.4 (Allen-Zhu and Li, Fig. 6) for one view of a frozen network's features: test accuracy of single
/// heads trained on the view (mean and sample standard deviation, percent) and of their ensemble. The claim: when
/// channels are removed or mixed, the single heads lose more than the ensemble, because the ensemble had learned more
/// of the views.
/// </summary>
/// <param name="View">"original", "split 2", "split 4", "avg 2" or "avg 4".</param>
/// <param name="Channels">The view's channel count.</param>
/// <param name="SingleMean">The single heads' mean test accuracy, percent.</param>
/// <param name="SingleStd">Their sample standard deviation, points.</param>
/// <param name="Ensemble">The heads' ensemble's test accuracy (mean of probabilities), percent.</param>
public sealed record ChannelViewRow(string View, int Channels, double SingleMean, double SingleStd, double Ensemble)
{
    /// <summary>
    /// Trains <paramref name="models"/> <see cref="SmallCnn"/> heads (seeds 0, 1, ...; <paramref name="headEpochs"/>
    /// epochs at rate 0.05, the kit's recipe otherwise) on each of five views of features <c>[N, C, H, W]</c>: all
    /// channels, the first half and the first quarter of them (<see cref="ChannelViews.Split(TensorDataset, int, int)"/>),
    /// and averages of 2 and 4 neighbouring channels (<see cref="ChannelViews.Average(TensorDataset, int)"/>), and scores
    /// each ensemble with <see cref="EnsembleEvaluation"/> on the same view of the test features. Rows in that order.
    /// </summary>
    public static IReadOnlyList<ChannelViewRow> Run(TensorDataset featureTrain, TensorDataset featureTest, int models, int headEpochs)
    {
        ArgumentNullException.ThrowIfNull(featureTrain);
        ArgumentNullException.ThrowIfNull(featureTest);
        if (featureTrain.Inputs.dim() != 4 || featureTest.Inputs.dim() != 4)
            throw new ArgumentException($"features must be [N, C, H, W]; got {Backend.Shapes.Describe(featureTrain.Inputs)} and {Backend.Shapes.Describe(featureTest.Inputs)}.");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(models);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(headEpochs);
        var views = new (string Name, Func<TensorDataset, TensorDataset> Of)[]
        {
            ("original", d => d), ("split 2", d => ChannelViews.Split(d, 2)), ("split 4", d => ChannelViews.Split(d, 4)),
            ("avg 2", d => ChannelViews.Average(d, 2)), ("avg 4", d => ChannelViews.Average(d, 4)),
        };
        var rows = new List<ChannelViewRow>();
        foreach (var (name, of) in views)
        {
            var (train, test) = (of(featureTrain), of(featureTest));
            int channels = (int)train.Inputs.shape[1], imageSize = (int)train.Inputs.shape[^1];
            using var heads = DeepEnsemble.Train(() => new SmallCnn(featureTrain.ClassCount, inChannels: channels, imageSize: imageSize), train,
                new TrainingOptions { Epochs = headEpochs, LearningRate = 0.05, Label = $"{name} ({channels} channels)" }, count: models, seed: 0);
            var report = EnsembleEvaluation.Evaluate(heads, test);
            var (mean, std) = SampleStatistics.MeanAndStd(report.Members.Select(m => m.Accuracy * 100));
            rows.Add(new ChannelViewRow(name, channels, mean, std, report.Ensemble.Accuracy * 100));
            if (!ReferenceEquals(train, featureTrain)) { train.Dispose(); test.Dispose(); }
        }
        return rows;
    }
}
