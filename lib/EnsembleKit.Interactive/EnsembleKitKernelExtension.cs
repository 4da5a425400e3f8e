using EnsembleKit.Backend;
using EnsembleKit.Evaluation;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Formatting;
using TorchSharp;
using static TorchSharp.torch;

namespace EnsembleKit.Interactive;

/// <summary>
/// Loaded by the .NET Interactive kernel when a notebook references the EnsembleKit package (<c>#r "nuget: EnsembleKit"</c>):
/// loads libtorch through <see cref="TorchRuntime"/> (so a later cell may use TorchSharp directly, even on Debian 12 where
/// TorchSharp cannot load its glue by itself), registers formatters for <see cref="EnsembleReport"/> (an HTML table) and
/// tensors (a one-line summary), and prints one line saying what it set up.
/// </summary>
public sealed class EnsembleKitKernelExtension : IKernelExtension
{
    /// <inheritdoc />
    public Task OnLoadAsync(Kernel kernel)
    {
        TorchRuntime.EnsureInitialized();
        Formatter.Register<EnsembleReport>((report, writer) => writer.Write(ReportHtml.Format(report)), HtmlFormatter.MimeType);
        Formatter.Register<EnsembleReport>((report, writer) => writer.Write(report.ToTable()), PlainTextFormatter.MimeType);
        Formatter.Register<Tensor>((tensor, writer) => writer.Write(TensorSummary.Format(tensor)), PlainTextFormatter.MimeType);
        Formatter.Register<Tensor>((tensor, writer) => writer.Write($"<code>{System.Net.WebUtility.HtmlEncode(TensorSummary.Format(tensor))}</code>"), HtmlFormatter.MimeType);
        var line = SetupLine();
        if (KernelInvocationContext.Current is { } context) KernelInvocationContextExtensions.Display(context, line, PlainTextFormatter.MimeType);
        else Console.WriteLine(line);
        return Task.CompletedTask;
    }

    /// <summary>The line printed on load: versions, device, threads, where libtorch came from.</summary>
    public static string SetupLine() =>
        $"EnsembleKit {typeof(TorchRuntime).Assembly.GetName().Version?.ToString(3)}: TorchSharp {typeof(torch).Assembly.GetName().Version?.ToString(3)}, " +
        $"libtorch {torch.__version__}, {TorchRuntime.Describe()}; formatters for EnsembleReport (HTML table) and Tensor (summary).";
}
