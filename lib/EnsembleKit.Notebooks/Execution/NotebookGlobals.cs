namespace EnsembleKit.Notebooks.Execution;

/// <summary>
/// The globals every notebook cell sees, as in the Polyglot C# kernel: <c>display(value)</c> shows a
/// value as a rich output (HTML table, chart, text) without ending the cell.
/// </summary>
public sealed class NotebookGlobals
{
    readonly Action<object?, string[]> _display;

    public NotebookGlobals(Action<object?, string[]> display) => _display = display;

    /// <summary>Shows <paramref name="value"/> in the cell's outputs; <paramref name="mimeTypes"/> restricts the formats (e.g. "text/plain").</summary>
#pragma warning disable IDE1006 // lower case to match the Polyglot kernel's display()
    public void display(object? value, params string[] mimeTypes) => _display(value, mimeTypes);
#pragma warning restore IDE1006
}
