using System.Reflection;
using Microsoft.FSharp.Core;

namespace EnsembleKit.Plotting;

/// <summary>
/// Calls Plotly.NET's F# static members from C#. Their optional arguments compile to required
/// <see cref="FSharpOption{T}"/> parameters (dozens per method), so this fills every argument not given
/// with None (null) and wraps given values in Some. Arguments are named as in Plotly.NET's docs.
/// </summary>
public static class FSharpInterop
{
    /// <summary>
    /// Invokes the public static method <paramref name="name"/> of <paramref name="type"/> with generic
    /// arguments <paramref name="typeArguments"/>, picking the overload whose parameters include every
    /// name in <paramref name="arguments"/> and whose required (non-option) parameters are all given.
    /// </summary>
    public static object Call(Type type, string name, Type[] typeArguments, params (string Name, object? Value)[] arguments)
    {
        var given = arguments.ToDictionary(a => a.Name, a => a.Value);
        var candidates = type.GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Where(m => m.Name == name && m.GetGenericArguments().Length == typeArguments.Length)
            .Select(m => Instantiate(m, typeArguments))
            .Where(m => m is not null && Fits(m, given))
            .Select(m => m!)
            .OrderBy(m => m.GetParameters().Length)
            .ToList();
        if (candidates.Count == 0)
            throw new MissingMethodException($"{type.FullName}.{name}<{typeArguments.Length}> with arguments ({string.Join(", ", given.Keys)}) was not found in Plotly.NET.");
        var method = candidates[0];
        var values = method.GetParameters().Select(p => given.TryGetValue(p.Name!, out var v) ? Wrap(p.ParameterType, v) : null).ToArray();
        try { return method.Invoke(null, values)!; }
        catch (TargetInvocationException e) when (e.InnerException is not null) { throw e.InnerException; }
    }

    static MethodInfo? Instantiate(MethodInfo method, Type[] typeArguments)
    {
        if (typeArguments.Length == 0) return method;
        try { return method.MakeGenericMethod(typeArguments); }
        catch (ArgumentException) { return null; } // type arguments violate this overload's constraints
    }

    static bool Fits(MethodInfo method, Dictionary<string, object?> given)
    {
        var parameters = method.GetParameters();
        return given.All(kv => parameters.Any(p => p.Name == kv.Key && Accepts(p.ParameterType, kv.Value)))
            && parameters.All(p => given.ContainsKey(p.Name!) || IsOption(p.ParameterType));
    }

    static bool Accepts(Type parameterType, object? value) =>
        value is null || parameterType.IsInstanceOfType(value)
        || (IsOption(parameterType) && parameterType.GetGenericArguments()[0].IsInstanceOfType(value));

    static bool IsOption(Type t) => t.IsGenericType && t.GetGenericTypeDefinition() == typeof(FSharpOption<>);

    static object? Wrap(Type parameterType, object? value)
    {
        if (value is null || !IsOption(parameterType) || parameterType.IsInstanceOfType(value)) return value;
        return parameterType.GetMethod("Some", BindingFlags.Public | BindingFlags.Static)!.Invoke(null, [value]);
    }
}
