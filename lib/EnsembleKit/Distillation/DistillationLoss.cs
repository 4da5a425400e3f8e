using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Distillation;

/// <summary>The distillation loss on one batch.</summary>
public static class DistillationLoss
{
    /// <summary>
    /// <c>alpha * T^2 * KL(softmax(t/T) || softmax(s/T)) + (1 - alpha) * CE(s, y)</c>, the KL summed over classes and
    /// averaged over the batch (PyTorch's <c>KLDivLoss(reduction="batchmean")</c>).
    /// </summary>
    /// <param name="studentLogits"><c>[B, C]</c> float, with gradient.</param>
    /// <param name="teacherLogits"><c>[B, C]</c> float; any per-row shift of them (e.g. log-probabilities) gives the same loss.</param>
    /// <param name="targets"><c>[B]</c> int64.</param>
    /// <param name="options">The temperature <c>T</c>, the weight <c>alpha</c> and whether to scale the KL term by
    /// <c>T^2</c>; validated before use.</param>
    public static Tensor Compute(Tensor studentLogits, Tensor teacherLogits, Tensor targets, DistillationOptions options)
    {
        options.Validate();
        if (studentLogits.dim() != 2 || !studentLogits.shape.SequenceEqual(teacherLogits.shape))
            throw new ArgumentException($"student and teacher logits must both be [B, C]; got [{string.Join(", ", studentLogits.shape)}] and [{string.Join(", ", teacherLogits.shape)}].");
        using var scope = NewDisposeScope();
        double t = options.Temperature, alpha = options.Alpha;
        using Scalar temperature = t, temperatureSquared = t * t, klWeight = alpha, ceWeight = 1 - alpha;
        var studentLog = nn.functional.log_softmax(studentLogits.div(temperature), 1);
        var teacherLog = nn.functional.log_softmax(teacherLogits.detach().to(studentLogits.dtype).div(temperature), 1);
        var kl = (teacherLog.exp() * (teacherLog - studentLog)).sum(dim: 1).mean();
        if (options.UseTemperatureSquared) kl = kl.mul(temperatureSquared);
        var ce = nn.functional.cross_entropy(studentLogits, targets);
        return (kl.mul(klWeight) + ce.mul(ceWeight)).MoveToOuterDisposeScope();
    }
}
