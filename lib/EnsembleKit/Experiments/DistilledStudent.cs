using EnsembleKit.Data;
using EnsembleKit.Distillation;
using EnsembleKit.Metrics;
using EnsembleKit.Training;
using static TorchSharp.torch;

namespace EnsembleKit.Experiments;

/// <summary>A student distilled from a teacher and scored (seed 000 E0.3, seed 003's self-distillation; notebook 02).</summary>
public static class DistilledStudent
{
    /// <summary>
    /// Seeds the generator with <paramref name="options"/>' <c>Seed</c>, takes a fresh student from <paramref name="create"/>,
    /// trains it with <see cref="KnowledgeDistillation.Train"/> from <paramref name="teacher"/> on <paramref name="train"/>,
    /// and returns its <see cref="ClassificationReport"/> on <paramref name="test"/> named <paramref name="name"/>. The
    /// student is disposed; the teacher is left as it is.
    /// </summary>
    public static ClassificationReport TrainAndReport<TModel>(string name, Func<TModel> create, nn.Module<Tensor, Tensor> teacher,
        TensorDataset train, TensorDataset test, TrainingOptions options, DistillationOptions distillation)
        where TModel : nn.Module<Tensor, Tensor>
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(create);
        ArgumentNullException.ThrowIfNull(teacher);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(distillation);
        manual_seed(options.Seed);
        using var student = create();
        KnowledgeDistillation.Train(student, teacher, train, options, distillation);
        using var logits = Predict.Logits(student, test);
        return ClassificationReport.FromLogits(name, logits, test.Targets);
    }
}
