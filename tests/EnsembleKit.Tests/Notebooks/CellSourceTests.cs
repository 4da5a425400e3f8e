using EnsembleKit.Notebooks.Execution;

namespace EnsembleKit.Tests.Notebooks;

public class CellSourceTests
{
    [Fact]
    public void SplitsMagicsNugetAndAssemblyReferencesKeepingLineNumbers()
    {
        var cell = CellSource.Parse("#!csharp\n#r \"nuget: Plotly.NET, 6.0.0\"\n#r \"nuget:TorchSharp-cpu,0.107.0\"\n#r \"../lib/x.dll\"\nvar a = 1;");
        Assert.Equal("csharp", cell.Language);
        Assert.Equal([new NugetDirective("Plotly.NET", "6.0.0", 2), new NugetDirective("TorchSharp-cpu", "0.107.0", 3)], cell.Packages);
        Assert.Equal([new AssemblyDirective("../lib/x.dll", 4)], cell.Assemblies);
        Assert.Equal("\n\n\n\nvar a = 1;", cell.Code);
    }

    [Fact]
    public void AMarkdownMagicMakesTheCellMarkdown()
    {
        Assert.True(CellSource.IsMarkdown(CellSource.Parse("\n#!markdown\n# Title").Language));
        Assert.True(CellSource.IsCSharp(CellSource.Parse("var x = 1;").Language));
        Assert.False(CellSource.IsCSharp(CellSource.Parse("#!fsharp\nlet x = 1").Language));
    }

    [Fact]
    public void AMagicAfterCodeIsNotACellMagic()
    {
        var cell = CellSource.Parse("var x = 1;\n#!markdown");
        Assert.Null(cell.Language);
    }

    [Fact]
    public void ADirectiveOnTheFirstLineIsNotAKernelChoice()
    {
        // The kernel runs a cell that starts with #!import as C#; so must the runner.
        var cell = CellSource.Parse("#!import ../lib/packages/nuget-source.dib", "csharp");
        Assert.True(CellSource.IsCSharp(cell.Language));
        Assert.Contains("#!import", cell.Code);
        Assert.False(CellSource.IsCSharp(CellSource.Parse("#!fsharp\n#!time\nlet x = 1").Language));
    }
}
