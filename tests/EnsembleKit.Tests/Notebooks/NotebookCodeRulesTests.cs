using EnsembleKit.Notebooks.Format;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace EnsembleKit.Tests.Notebooks;

/// <summary>
/// notebooks/README.md's rules, enforced on the C# of every notebook (parsed by Roslyn as the kernel's script dialect):
/// notebooks narrate and the library computes, so a cell declares no class or record, builds no <c>Trainer</c> and runs
/// no training loop of its own (no <c>backward()</c>), maps its scale with <c>Scale.Parse</c> rather than testing the
/// string by hand, and the last code cell checks the notebook's claims.
/// <para>Every notebook obeys them (the last exceptions, in notebooks written before the rules, were rewritten), so
/// any breach fails.</para>
/// </summary>
public class NotebookCodeRulesTests
{
    [Theory]
    [MemberData(nameof(TestNotebooks.All), MemberType = typeof(TestNotebooks))]
    public void DeclaresNoTypesAndTrainsOnlyThroughTheLibrary(string notebook)
    {
        var breaches = Count(Notebook.Load(Path.Combine(TestNotebooks.Repository, "notebooks", notebook)));
        Assert.True(breaches == (0, 0, 0, 0), $"{notebook}: {Describe(breaches)} in its cells. "
            + "Move the declarations and training into the library (lib/EnsembleKit) and call it from the notebook.");
    }

    [Theory]
    [MemberData(nameof(TestNotebooks.All), MemberType = typeof(TestNotebooks))]
    public void EndsOnAClaimCell(string notebook)
    {
        // The claims go through a VerdictLedger that the last cell enforces, never a hand-written throw: only the ledger
        // prints the lines `kit claims` reads and fails a cpu or full run the same way.
        var last = Notebook.Load(Path.Combine(TestNotebooks.Repository, "notebooks", notebook)).Cells.Last(c => c.IsCode);
        Assert.Matches(@"\.Enforce\(\)", last.Source);
        Assert.DoesNotMatch(@"\bthrow\b", last.Source);
    }

    [Theory]
    [MemberData(nameof(TestNotebooks.All), MemberType = typeof(TestNotebooks))]
    public void MapsItsScaleThroughScaleParse(string notebook)
    {
        var (parses, tests) = ScaleUse(Notebook.Load(Path.Combine(TestNotebooks.Repository, "notebooks", notebook)));
        Assert.True(parses >= 1 && tests == 0, $"{notebook}: {parses} Scale.Parse call(s), {tests} test(s) of the scale string by hand. "
            + "Write `var run = Scale.Parse(scale);` and pick sizes with run.Pick(smoke:, cpu:, full:) (notebooks/README.md).");
    }

    [Fact]
    public void TheScaleRuleSeesEachHandWrittenTest()
    {
        var notebook = Notebook.Parse("""
            {"cells": [
              {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": null,
               "source": ["if (scale is not (\"smoke\" or \"cpu\")) throw new Exception();\n", "int a = scale == \"full\" ? 1 : 2;\n",
                          "int b = scale switch { \"smoke\" => 1, _ => 2 };\n", "// scale == \"cpu\" in a comment\n", "ledger.Check(1, true, \"c\", \"d\");\n"]}
            ], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
            """);
        Assert.Equal((0, 3), ScaleUse(notebook));
    }

    [Fact]
    public void TheCounterSeesEachKindOfBreach()
    {
        var notebook = Notebook.Parse("""
            {"cells": [
              {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": null,
               "source": ["record Row(int A);\n", "class Helper { }\n", "var t = new Trainer(options);\n", "loss.backward();\n", "// new Trainer( in a comment\n"]}
            ], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
            """);
        Assert.Equal((1, 1, 1, 1), Count(notebook));
    }

    /// <summary>Every node of every code cell, each cell parsed as the kernel's script dialect.</summary>
    static List<SyntaxNode> CodeNodes(Notebook notebook)
    {
        var options = new CSharpParseOptions(LanguageVersion.Preview, kind: SourceCodeKind.Script);
        return notebook.Cells.Where(c => c.IsCode).SelectMany(cell =>
        {
            // Magic commands (#r, #i, #!...) are the kernel's, not C#.
            var code = string.Join('\n', cell.Source.Split('\n').Where(l => !l.TrimStart().StartsWith('#')));
            return CSharpSyntaxTree.ParseText(code, options).GetRoot().DescendantNodes();
        }).ToList();
    }

    static (int Classes, int Records, int Trainers, int Backwards) Count(Notebook notebook)
    {
        var nodes = CodeNodes(notebook);
        return (nodes.OfType<ClassDeclarationSyntax>().Count(),
            nodes.OfType<RecordDeclarationSyntax>().Count(),
            nodes.OfType<ObjectCreationExpressionSyntax>().Count(n => n.Type.ToString() is "Trainer" or "EnsembleKit.Training.Trainer"),
            nodes.OfType<InvocationExpressionSyntax>().Count(n => n.Expression is MemberAccessExpressionSyntax { Name.Identifier.Text: "backward" }));
    }

    /// <summary>Calls of <c>Scale.Parse</c>, and tests of the <c>scale</c> string by hand (==, !=, is, switch).</summary>
    static (int Parses, int HandTests) ScaleUse(Notebook notebook)
    {
        static bool IsScale(ExpressionSyntax e) => e is IdentifierNameSyntax { Identifier.Text: "scale" };
        var nodes = CodeNodes(notebook);
        int parses = nodes.OfType<InvocationExpressionSyntax>().Count(n => n.Expression.ToString() is "Scale.Parse" or "EnsembleKit.Experiments.Scale.Parse");
        int tests = nodes.OfType<BinaryExpressionSyntax>().Count(n =>
                n.Kind() is SyntaxKind.EqualsExpression or SyntaxKind.NotEqualsExpression && (IsScale(n.Left) || IsScale(n.Right)))
            + nodes.OfType<IsPatternExpressionSyntax>().Count(n => IsScale(n.Expression))
            + nodes.OfType<SwitchExpressionSyntax>().Count(n => IsScale(n.GoverningExpression))
            + nodes.OfType<SwitchStatementSyntax>().Count(n => IsScale(n.Expression));
        return (parses, tests);
    }

    static string Describe((int Classes, int Records, int Trainers, int Backwards) c) =>
        $"{c.Classes} class(es), {c.Records} record(s), {c.Trainers} 'new Trainer(', {c.Backwards} backward()";
}
