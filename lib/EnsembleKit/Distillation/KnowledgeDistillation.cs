using EnsembleKit.Backend;
using EnsembleKit.Data;
using EnsembleKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Distillation;

/// <summary>
/// Trains a student to match a teacher (an ensemble for knowledge distillation, one trained model for
/// self-distillation) with <see cref="DistillationLoss"/>; the teacher's outputs on the training set are computed once.
/// </summary>
public static class KnowledgeDistillation
{
    /// <summary>Trains <paramref name="student"/> in place; <paramref name="options"/>' loss is replaced by the distillation loss.</summary>
    public static TrainingHistory Train(nn.Module<Tensor, Tensor> student, nn.Module<Tensor, Tensor> teacher, TensorDataset train,
        TrainingOptions options, DistillationOptions? distillation = null)
    {
        TorchRuntime.EnsureInitialized();
        distillation ??= new DistillationOptions();
        distillation.Validate();
        if (ReferenceEquals(student, teacher)) throw new ArgumentException("the student must be a fresh model, not the teacher itself.", nameof(student));
        using var teacherOutputs = TeacherOutputs.Compute(teacher, train);
        return new Trainer(options with { Loss = teacherOutputs.Loss(distillation) }).Fit(student, train);
    }
}
