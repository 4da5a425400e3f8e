using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace EnsembleKit.Training;

/// <summary>
/// Turns training settings (numbers, schedules, transforms, losses, callbacks) into one-line text that is the same in
/// every process and culture, so that <see cref="RunFingerprint"/> can record them in a checkpoint and compare them later.
/// </summary>
public static class SettingText
{
    /// <summary>
    /// A value as invariant text: numbers round-trip (<c>0.1</c>, <c>1E-05</c>), sequences as <c>[a, b]</c>, records and
    /// plain objects as <c>Type(Property = value, ...)</c> over their settable properties, other objects by their own
    /// <c>ToString</c> (evaluated in the invariant culture); null as <c>none</c>.
    /// </summary>
    public static string Describe(object? value) => Invariant(() => DescribeCore(value, depth: 0));

    /// <summary>
    /// A loss: the name of a ready-made one (<c>Losses.CrossEntropy</c>), else the method's name, or for a lambda the type
    /// that wrote it, with the setting-like values it captured (e.g. distillation options). A lambda written in a
    /// notebook is just "lambda": its compiled name changes with the cells run before it.
    /// </summary>
    public static string Loss(LossFunction loss)
    {
        ArgumentNullException.ThrowIfNull(loss);
        foreach (var field in typeof(Losses).GetFields(BindingFlags.Public | BindingFlags.Static))
            if (ReferenceEquals(field.GetValue(null), loss)) return $"{nameof(Losses)}.{field.Name}";
        var method = loss.Method;
        var owner = OwnerName(method.DeclaringType);
        var name = method.Name.StartsWith('<') ? owner is null ? "lambda" : $"lambda in {owner}"
            : owner is null ? method.Name : $"{owner}.{method.Name}";
        var captured = loss.Target is null || IsStaticLambdaHolder(loss.Target.GetType()) ? [] : CapturedSettings(loss.Target);
        return captured.Count == 0 ? name : $"{name} ({string.Join(", ", captured)})";
    }

    /// <summary>
    /// The callbacks that change what training computes (<see cref="ITrainingCallback.ChangesTraining"/>), by type, in
    /// order; <c>none</c> if there are none. Observers (evaluation, snapshots) are left out: adding one does not change the run.
    /// </summary>
    public static string Callbacks(IEnumerable<ITrainingCallback> callbacks)
    {
        var names = callbacks.Where(c => c.ChangesTraining).Select(c => TypeName(c.GetType())).ToList();
        return names.Count == 0 ? "none" : string.Join(", ", names);
    }

    /// <summary>A number as round-trip invariant text.</summary>
    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    static string DescribeCore(object? value, int depth)
    {
        switch (value)
        {
            case null: return "none";
            case string s: return s;
            case bool b: return b ? "true" : "false";
            case double d: return Number(d);
            case float f: return f.ToString("R", CultureInfo.InvariantCulture);
            case Enum e: return e.ToString();
            case IFormattable formattable: return formattable.ToString(null, CultureInfo.InvariantCulture);
            case TorchSharp.torch.Tensor tensor: return $"tensor {tensor.dtype} [{string.Join(", ", tensor.shape)}]"; // not its values
            case IEnumerable sequence: return $"[{string.Join(", ", sequence.Cast<object?>().Select(v => DescribeCore(v, depth + 1)))}]";
        }
        var type = value.GetType();
        // Records print arrays as "System.Double[]"; plain objects print their type name. Both are described by their settings.
        if (depth < 4 && (IsRecord(type) || !OverridesToString(type)))
        {
            var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.CanRead && p.SetMethod is { IsPublic: true } && p.GetIndexParameters().Length == 0)
                .Select(p => $"{p.Name} = {DescribeCore(p.GetValue(value), depth + 1)}")
                .ToList();
            return properties.Count == 0 ? TypeName(type) : $"{TypeName(type)}({string.Join(", ", properties)})";
        }
        return value.ToString() ?? TypeName(type);
    }

    /// <summary>Values a closure captured that read as settings: numbers, text, enums and records.</summary>
    static List<string> CapturedSettings(object target) =>
        target.GetType().GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)
            .Where(f => !f.Name.StartsWith('<') && IsSettingLike(f.FieldType))
            .OrderBy(f => f.Name, StringComparer.Ordinal)
            .Select(f => $"{f.Name} = {Describe(f.GetValue(target))}")
            .ToList();

    static bool IsSettingLike(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || IsRecord(type);

    static bool IsRecord(Type type) =>
        type.GetProperty("EqualityContract", BindingFlags.NonPublic | BindingFlags.Instance) is not null;

    static bool OverridesToString(Type type) =>
        type.GetMethod(nameof(ToString), Type.EmptyTypes)?.DeclaringType is { } declaring && declaring != typeof(object) && declaring != typeof(ValueType);

    static bool IsStaticLambdaHolder(Type type) => type.IsDefined(typeof(CompilerGeneratedAttribute)) && type.Name == "<>c";

    /// <summary>The first enclosing type that is not compiler-generated; null for a notebook's submission class.</summary>
    static string? OwnerName(Type? type)
    {
        while (type is not null && type.IsDefined(typeof(CompilerGeneratedAttribute))) type = type.DeclaringType;
        // Script submissions are named "Submission#N" after the number of cells run before: not stable across runs.
        return type is null || type.Name.Contains('#') ? null : TypeName(type);
    }

    /// <summary>A type's short name without the generic arity suffix.</summary>
    static string TypeName(Type type) => type.Name.Split('`')[0];

    /// <summary>Runs <paramref name="describe"/> in the invariant culture, for objects whose ToString formats numbers.</summary>
    static string Invariant(Func<string> describe)
    {
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
            return describe();
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }
}
