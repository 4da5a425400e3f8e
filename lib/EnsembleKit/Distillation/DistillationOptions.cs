namespace EnsembleKit.Distillation;

/// <summary>
/// Knowledge distillation settings (Hinton et al. 2015; seed 000: alpha 0.5, T 3, teacher = the deep ensemble).
/// The loss is <c>alpha * KL(teacher_T || student_T) * (T^2 if UseTemperatureSquared) + (1 - alpha) * CE(student, y)</c>.
/// </summary>
public sealed record DistillationOptions
{
    /// <summary>Weight of the distillation term; 1 - alpha weighs cross-entropy with the true labels.</summary>
    public double Alpha { get; init; } = 0.5;
    /// <summary>Softmax temperature applied to both teacher and student logits in the KL term.</summary>
    public double Temperature { get; init; } = 3.0;
    /// <summary>
    /// Multiply the KL term by <c>T^2</c>, as Hinton et al. do, so that its gradient keeps the same scale as the
    /// cross-entropy's when T changes (the soft-target gradients scale as <c>1/T^2</c>). Seed 000 does not say
    /// whether it does; true is the standard choice.
    /// </summary>
    public bool UseTemperatureSquared { get; init; } = true;

    public void Validate()
    {
        if (Alpha is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(Alpha), $"alpha must be in [0, 1]; got {Alpha}.");
        if (!(Temperature > 0)) throw new ArgumentOutOfRangeException(nameof(Temperature), $"temperature must be positive; got {Temperature}.");
    }
}
