using System.Globalization;
using Microsoft.Data.Analysis;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Plotting;

public static partial class Tables
{
    /// <summary>
    /// What a teacher hands its student for one input (notebook 02): per class (rows named by <paramref name="classNames"/>),
    /// Label (1 for <paramref name="label"/>, else 0), TeacherAtT1 (the softmax of <paramref name="teacherLogits"/>
    /// <c>[1, C]</c>) and TeacherAtT<i>T</i> (the softmax of the logits divided by <paramref name="temperature"/>),
    /// rounded to 4 decimals.
    /// </summary>
    public static DataFrame SoftTargets(Tensor teacherLogits, long label, IReadOnlyList<string> classNames, double temperature)
    {
        ArgumentNullException.ThrowIfNull(teacherLogits);
        ArgumentNullException.ThrowIfNull(classNames);
        if (teacherLogits.dim() != 2 || teacherLogits.shape[0] != 1 || teacherLogits.shape[1] != classNames.Count)
            throw new ArgumentException($"teacher logits must be [1, {classNames.Count}] (one input, one logit per class name); got [{string.Join(", ", teacherLogits.shape)}].", nameof(teacherLogits));
        if (label < 0 || label >= classNames.Count) throw new ArgumentOutOfRangeException(nameof(label), label, $"the label must be a class in [0, {classNames.Count}).");
        if (!(temperature > 0)) throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "the temperature must be positive.");
        using var scope = NewDisposeScope();
        using Scalar t = temperature;
        var atOne = teacherLogits.softmax(1);
        var atT = teacherLogits.div(t).softmax(1);
        var frame = ToDataFrame(Enumerable.Range(0, classNames.Count).Select(c => new
        {
            Class = classNames[c],
            Label = c == label ? 1.0 : 0.0,
            TeacherAtT1 = Math.Round(atOne[0, c].item<float>(), 4),
            TeacherAtT = Math.Round(atT[0, c].item<float>(), 4),
        }));
        frame.Columns.RenameColumn("TeacherAtT", "TeacherAtT" + temperature.ToString("G", CultureInfo.InvariantCulture));
        return frame;
    }
}
