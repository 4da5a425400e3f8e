using EnsembleKit.Notebooks;
using EnsembleKit.Notebooks.Execution;
using EnsembleKit.Notebooks.Format;

namespace EnsembleKit.Tests.Notebooks;

public class ParameterInjectionTests : IDisposable
{
    readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    const string Defaults = "var scale = \"cpu\";\nint epochs = 20;\nvar rate = 0.1;\nvar verbose = false;\nlong seed = 7;";

    static Dictionary<string, string> P(params (string, string)[] pairs) => pairs.ToDictionary(p => p.Item1, p => p.Item2);

    [Fact]
    public void InfersTheTypeOfEachDefault()
    {
        var declared = ParameterInjection.Declared(Defaults);
        Assert.Equal("string", declared["scale"]);
        Assert.Equal("int", declared["epochs"]);
        Assert.Equal("double", declared["rate"]);
        Assert.Equal("bool", declared["verbose"]);
        Assert.Equal("long", declared["seed"]);
    }

    [Fact]
    public void InjectsATypedCellAfterTheParametersCellAndTheValuesWin()
    {
        var path = TestNotebooks.Write(_temp.NewFolder(),
            TestNotebooks.Code("var before = 1;"),
            TestNotebooks.Code(Defaults, NotebookConventions.ParametersTag),
            TestNotebooks.Code("$\"{scale}|{epochs + 1}|{rate * 2}|{!verbose}|{seed}|{scale.GetType().Name}\""));
        var result = TestNotebooks.Run(path, P(("scale", "smoke"), ("epochs", "2"), ("rate", "0.25"), ("verbose", "true"), ("seed", "-3")));
        Assert.True(result.Succeeded, result.Failure?.ToString());
        var cells = result.Notebook.Cells;
        Assert.Equal(4, cells.Count);
        Assert.True(cells[2].HasTag(NotebookConventions.InjectedParametersTag));
        Assert.Contains("string scale = \"smoke\";", cells[2].Source);
        Assert.Contains("int epochs = 2;", cells[2].Source);
        Assert.Equal("smoke|3|0.5|False|-3|String", TestNotebooks.Text(cells[3], "execute_result", "text/plain"));
    }

    [Fact]
    public void ParameterCellsShowTheValuesTheyLeaveInForce()
    {
        var path = TestNotebooks.Write(_temp.NewFolder(),
            TestNotebooks.Code(Defaults, NotebookConventions.ParametersTag),
            TestNotebooks.Code("var unrelated = 1;"));
        var result = TestNotebooks.Run(path, P(("scale", "smoke"), ("rate", "0.25")));
        Assert.True(result.Succeeded, result.Failure?.ToString());
        var cells = result.Notebook.Cells;
        Assert.Equal("defaults: scale = \"cpu\", epochs = 20, rate = 0.1, verbose = False, seed = 7\n", TestNotebooks.Text(cells[0], "stream", "stdout"));
        Assert.Equal("in force (kit run -p): scale = \"smoke\", rate = 0.25\n", TestNotebooks.Text(cells[1], "stream", "stdout"));
        Assert.Equal("", TestNotebooks.Text(cells[2], "stream", "stdout")); // other cells get no summary
    }

    [Fact]
    public void ReplacesAPreviouslyInjectedCell()
    {
        var notebook = Notebook.Load(TestNotebooks.Write(_temp.NewFolder(), TestNotebooks.Code(Defaults, NotebookConventions.ParametersTag)));
        ParameterInjection.Inject(notebook, P(("scale", "smoke")));
        ParameterInjection.Inject(notebook, P(("scale", "full")));
        var injected = Assert.Single(notebook.Cells, c => c.HasTag(NotebookConventions.InjectedParametersTag));
        Assert.Contains("\"full\"", injected.Source);
    }

    [Fact]
    public void ValuesEqualToTheDefaultsAreNotInjected()
    {
        // A committed notebook run at its own scale (kit run -p scale=cpu on "cpu") carries no redundant cell.
        var notebook = Notebook.Load(TestNotebooks.Write(_temp.NewFolder(), TestNotebooks.Code(Defaults, NotebookConventions.ParametersTag)));
        ParameterInjection.Inject(notebook, P(("scale", "smoke")));
        var none = ParameterInjection.Inject(notebook, P(("scale", "cpu"), ("epochs", "20"), ("rate", "0.10"), ("verbose", "False"), ("seed", "7")));
        Assert.Null(none);
        Assert.DoesNotContain(notebook.Cells, c => c.HasTag(NotebookConventions.InjectedParametersTag)); // the earlier one is gone too

        var some = ParameterInjection.Inject(notebook, P(("scale", "cpu"), ("epochs", "2")));
        Assert.NotNull(some);
        Assert.Equal("// Parameters injected by `kit run -p` (they override the cell above).\nint epochs = 2;", some.Source);
    }

    [Fact]
    public void ADefaultThatIsNotAPlainLiteralIsAlwaysOverridden()
    {
        var notebook = Notebook.Load(TestNotebooks.Write(_temp.NewFolder(),
            TestNotebooks.Code("var path = \"a\\\\b\";\nint size = 2 * 3;", NotebookConventions.ParametersTag)));
        var cell = ParameterInjection.Inject(notebook, P(("path", "a\\b"), ("size", "6")));
        Assert.NotNull(cell);
        Assert.Contains("string path = \"a\\\\b\";", cell.Source);
        Assert.Contains("int size = 6;", cell.Source);
    }

    [Fact]
    public void QuotesStringsSafely()
    {
        Assert.Equal("\"a \\\"b\\\" \\\\ c\"", ParameterInjection.Literal("s", "string", "a \"b\" \\ c"));
    }

    [Theory]
    [InlineData("epochs", "two", "'two' is not a valid int")]
    [InlineData("verbose", "yes", "'yes' is not a valid bool")]
    [InlineData("nosuch", "1", "'nosuch' is not declared")]
    public void RejectsUnknownNamesAndBadValues(string name, string value, string message)
    {
        var notebook = Notebook.Load(TestNotebooks.Write(_temp.NewFolder(), TestNotebooks.Code(Defaults, NotebookConventions.ParametersTag)));
        var e = Assert.Throws<ArgumentException>(() => ParameterInjection.Inject(notebook, P((name, value))));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void NeedsAParametersCell()
    {
        var notebook = Notebook.Load(TestNotebooks.Write(_temp.NewFolder(), TestNotebooks.Code("var scale = \"cpu\";")));
        var e = Assert.Throws<ArgumentException>(() => ParameterInjection.Inject(notebook, P(("scale", "smoke"))));
        Assert.Contains("no cell tagged 'parameters'", e.Message);
    }

    [Theory]
    [InlineData("scale")]
    [InlineData("=smoke")]
    [InlineData("bad-name=1")]
    public void RejectsMalformedPairs(string pair) =>
        Assert.Throws<ArgumentException>(() => ParameterInjection.ParsePairs([pair]));
}
