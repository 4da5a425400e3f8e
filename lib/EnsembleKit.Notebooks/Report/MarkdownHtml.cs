using Markdig;

namespace EnsembleKit.Notebooks.Report;

/// <summary>
/// Notebook text cells as HTML for the report, through Markdig (CommonMark): headings, paragraphs, lists, fenced code,
/// pipe tables, block quotes, emphasis, links, and <c>$math$</c> kept as TeX in a <c>math</c> span.
/// </summary>
public static class MarkdownHtml
{
    static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UsePipeTables().UseMathematics().UseEmphasisExtras().Build();

    public static string ToHtml(string markdown) => Markdown.ToHtml(markdown.ReplaceLineEndings("\n"), Pipeline);
}
