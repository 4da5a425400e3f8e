using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Backend;

/// <summary>
/// Value checks on member outputs and targets shared by the metrics, diversity, uncertainty and evaluation layers, so
/// that each refuses bad values with the same message: an <see cref="ArgumentException"/> naming the argument and the
/// first offending entry. The check itself is one reduction brought to the host; the entry is located only after it failed.
/// </summary>
internal static class ValueGuards
{
    /// <summary>
    /// Every entry of member outputs <c>[M, B, C]</c> (or one model's <c>[B, C]</c>) is finite; names the first that is
    /// not (member, row, class).
    /// </summary>
    public static void RequireFinite(Tensor outputs, string name, string what = "logits")
    {
        using var scope = NewDisposeScope();
        var nonFinite = outputs.isfinite().logical_not();
        if (!nonFinite.any().cpu().item<bool>()) return;
        var at = nonFinite.nonzero()[0].cpu().data<long>().ToArray();
        double value = outputs[at.Select(i => TensorIndex.Single(i)).ToArray()].to(ScalarType.Float64).cpu().item<double>();
        string where = at.Length == 3 ? $"member {at[0]}, row {at[1]}, class {at[2]}" : $"row {at[0]}, class {at[^1]}";
        throw new ArgumentException($"{name}: {where} holds {Format(value)}; {what} must be finite.", name);
    }

    /// <summary>Every target is a class index in <c>[0, classes)</c>; names the first that is not.</summary>
    public static void RequireClassIndices(Tensor targets, long classes)
    {
        if (targets.shape[0] == 0) return;
        using var scope = NewDisposeScope();
        var bounds = stack([targets.min(), targets.max()]).cpu().data<long>().ToArray();
        if (bounds[0] >= 0 && bounds[1] < classes) return;
        using Scalar zero = 0, classCount = classes;
        long index = targets.lt(zero).logical_or(targets.ge(classCount)).nonzero()[0, 0].cpu().item<long>();
        throw new ArgumentException($"targets: value {targets[index].cpu().item<long>()} at index {index} is outside [0, {classes}).", nameof(targets));
    }

    /// <summary>Member outputs <c>[M, B, C]</c> (layout and finite values) with targets <c>[B]</c> int64 in <c>[0, C)</c>.</summary>
    public static void RequireMembersAndTargets(Tensor memberOutputs, Tensor targets, string name)
    {
        ArgumentNullException.ThrowIfNull(memberOutputs, name);
        ArgumentNullException.ThrowIfNull(targets);
        Shapes.RequireMembers(memberOutputs, name);
        Shapes.RequireTargets(targets, memberOutputs.shape[1]);
        RequireFinite(memberOutputs, name);
        RequireClassIndices(targets, memberOutputs.shape[2]);
    }

    /// <summary>Member outputs <c>[M, B, C]</c>: layout and finite values.</summary>
    public static void RequireMembers(Tensor memberOutputs, string name)
    {
        ArgumentNullException.ThrowIfNull(memberOutputs, name);
        Shapes.RequireMembers(memberOutputs, name);
        RequireFinite(memberOutputs, name);
    }

    static string Format(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
