using EnsembleKit.Data;
using EnsembleKit.Distillation;
using EnsembleKit.Experiments;
using EnsembleKit.Metrics;
using EnsembleKit.Models;
using EnsembleKit.Training;
using static TorchSharp.torch;

namespace EnsembleKit.Tests.Experiments;

public sealed class DistilledStudentTests
{
    static Mlp Create() => new([(4, 6), (6, 3)]);

    [Fact]
    public void SeededStudentTrainedAndScoredAsWrittenOut()
    {
        manual_seed(11);
        using var teacher = Create();
        using var train = new TensorDataset(randn(40, 4), arange(40, dtype: ScalarType.Int64).remainder(3), 3, "train");
        using var test = new TensorDataset(randn(30, 4), arange(30, dtype: ScalarType.Int64).remainder(3), 3, "test");
        var options = new TrainingOptions { Epochs = 2, BatchSize = 10, Seed = 7, Label = "student" };
        var distillation = new DistillationOptions { Alpha = 0.5, Temperature = 3 };

        var report = DistilledStudent.TrainAndReport("KD student", Create, teacher, train, test, options, distillation);

        manual_seed(7);
        using var student = Create();
        KnowledgeDistillation.Train(student, teacher, train, options, distillation);
        var expected = ClassificationReport.FromLogits("KD student", Predict.Logits(student, test), test.Targets);
        Assert.Equal(expected, report);
        Assert.InRange(Predict.Accuracy(teacher, test), 0, 1);   // the teacher is still usable
    }

    [Fact]
    public void BadInputIsRefused()
    {
        using var teacher = Create();
        using var data = new TensorDataset(randn(10, 4), zeros(10, dtype: ScalarType.Int64), 3, "data");
        Assert.Throws<ArgumentException>(() => DistilledStudent.TrainAndReport(" ", Create, teacher, data, data, new TrainingOptions(), new DistillationOptions()));
        Assert.Throws<ArgumentNullException>(() => DistilledStudent.TrainAndReport("s", Create, null!, data, data, new TrainingOptions(), new DistillationOptions()));
    }
}
