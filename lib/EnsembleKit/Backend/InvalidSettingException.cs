namespace EnsembleKit.Backend;

/// <summary>
/// An environment variable holds a value its setting does not accept (see <see cref="KitSettings.Read"/>): bad input,
/// which the CLI reports in one line with exit code 2.
/// </summary>
public sealed class InvalidSettingException(string variable, string value, string message) : ArgumentException(message)
{
    /// <summary>The variable, e.g. <c>KIT_THREADS</c>.</summary>
    public string Variable { get; } = variable;

    /// <summary>The value it held.</summary>
    public string Value { get; } = value;
}
