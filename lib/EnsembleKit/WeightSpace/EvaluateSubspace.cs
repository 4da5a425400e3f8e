using EnsembleKit.Backend;
using EnsembleKit.Data;
using EnsembleKit.Diversity;
using EnsembleKit.Ensembles;
using EnsembleKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.WeightSpace;

public static partial class SubspaceSampling
{
    /// <summary>
    /// Predictions of <paramref name="model"/> on <paramref name="test"/> as it is (the base solution θ*) and with each sample's
    /// weights written into it (<see cref="ParameterVector.Load"/> with <paramref name="includeBiases"/>, which must match how
    /// the samples were made), then the model's own weights are restored. Per sample: accuracy and the fraction of test inputs
    /// whose argmax differs from the base's. Probabilities <c>[N, C]</c> are kept only with <paramref name="keepProbabilities"/>.
    /// Batch-norm statistics are not recomputed for samples.
    /// </summary>
    public static SubspaceSamplingResult Evaluate(nn.Module<Tensor, Tensor> model, IReadOnlyList<WeightSample> samples, TensorDataset test,
        bool includeBiases, bool keepProbabilities = false, int batchSize = 1000)
    {
        TorchRuntime.EnsureInitialized();
        long expected = ParameterVector.Length(model, includeBiases);
        foreach (var s in samples)
            if (s.Weights.Length != expected)
                throw new ArgumentException($"a '{s.Method}' sample has {s.Weights.Length} weights but the model has {expected} {(includeBiases ? "parameters including" : "parameters excluding")} biases: make the samples with the same includeBiases.", nameof(samples));
        long[] targets;
        using (var scope = NewDisposeScope()) targets = test.Targets.to(CPU).data<long>().ToArray();
        var (basePredictions, baseProbabilities, baseAccuracy) = Run(model, test, targets, keepProbabilities, batchSize);
        var original = ParameterVector.Flatten(model, includeBiases);
        var results = new List<SubspaceSample>(samples.Count);
        try
        {
            foreach (var s in samples)
            {
                ParameterVector.Load(model, s.Weights, includeBiases);
                var (predictions, probabilities, accuracy) = Run(model, test, targets, keepProbabilities, batchSize);
                results.Add(new SubspaceSample(s.Method, s.Scale, accuracy, DiversityMetric.Disagreement(predictions, basePredictions), predictions, probabilities));
            }
        }
        finally
        {
            ParameterVector.Load(model, original, includeBiases);
        }
        return new SubspaceSamplingResult(baseAccuracy, basePredictions, baseProbabilities, results);
    }

    static (int[] Predictions, float[]? Probabilities, double Accuracy) Run(nn.Module<Tensor, Tensor> model, TensorDataset test, long[] targets, bool keepProbabilities, int batchSize)
    {
        using var scope = NewDisposeScope();
        var logits = Predict.Logits(model, test, batchSize);
        var predictions = logits.argmax(1).to(ScalarType.Int32).to(CPU).data<int>().ToArray();
        int correct = 0;
        for (int i = 0; i < predictions.Length; i++) if (predictions[i] == targets[i]) correct++;
        var probabilities = keepProbabilities ? logits.to(ScalarType.Float32).softmax(1).to(CPU).contiguous().data<float>().ToArray() : null;
        return (predictions, probabilities, predictions.Length == 0 ? 0 : (double)correct / predictions.Length);
    }
}
