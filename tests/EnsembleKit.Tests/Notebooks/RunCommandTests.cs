using EnsembleKit.Notebooks.Format;
using EnsembleKit.Tests.Cli;

namespace EnsembleKit.Tests.Notebooks;

/// <summary><c>kit run</c> end to end (in process): exit codes, messages, written files.</summary>
public class RunCommandTests : IDisposable
{
    readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    static (int Code, string Stderr) Kit(params string[] args) => KitCli.RunInProcess(args);

    [Fact]
    public void AFailingCellGivesANonZeroExitNamingTheCellAndStillWritesOutputs()
    {
        var path = TestNotebooks.Write(_temp.NewFolder(),
            TestNotebooks.Code("var x = 1;"),
            TestNotebooks.Code("// check the claim\nthrow new Exception(\"claim failed\");"),
            TestNotebooks.Code("var never = 2;"));
        var output = Path.Combine(Path.GetDirectoryName(path)!, "out.ipynb");
        var html = Path.Combine(Path.GetDirectoryName(path)!, "out.html");
        var (code, stderr) = Kit("run", path, "--out", output, "--html", html);
        Assert.Equal(1, code);
        Assert.Contains("cell 2 of 3 (`// check the claim`) failed: Exception: claim failed", stderr);
        Assert.Empty(NbformatValidator.Problems(File.ReadAllText(output)));
        Assert.Contains("claim failed", File.ReadAllText(html));
    }

    [Fact]
    public void ARunKilledInACellKeepsTheCellsItFinished()
    {
        // The process ends in cell 3 without unwinding (as a kill or a job's time limit would end it): --out already
        // holds cells 1 and 2, saved after each, and says how far the run got.
        var path = TestNotebooks.Write(_temp.NewFolder(),
            TestNotebooks.Code("Console.WriteLine(\"first\");"),
            TestNotebooks.Code("Console.WriteLine(\"second\");"),
            TestNotebooks.Code("System.Environment.Exit(7);"),
            TestNotebooks.Code("Console.WriteLine(\"never\");"));
        var output = Path.Combine(Path.GetDirectoryName(path)!, "out.ipynb");
        var (code, _, stderr) = KitCli.RunProcess(["run", path, "--out", output]);
        Assert.True(code == 7, stderr);
        var saved = Notebook.Load(output);
        Assert.Equal("first\n", TestNotebooks.Text(saved.Cells[0], "stream", "stdout"));
        Assert.Equal("second\n", TestNotebooks.Text(saved.Cells[1], "stream", "stdout"));
        Assert.Empty(saved.Cells[3].Outputs);
        var record = saved.Metadata["ensemblekit"]!;
        Assert.Equal(2, record["last_cell_run"]!.GetValue<int>());
        Assert.False(record["succeeded"]!.GetValue<bool>());
        Assert.Empty(NbformatValidator.Problems(File.ReadAllText(output)));
    }

    [Fact]
    public void TheRunRecordsLibtorchsThreadCountForReruns()
    {
        var path = TestNotebooks.Write(_temp.NewFolder(), TestNotebooks.Code("Console.WriteLine(1 + 1);"));
        var output = Path.Combine(Path.GetDirectoryName(path)!, "out.ipynb");
        var (code, stderr) = Kit("run", path, "--out", output);
        Assert.True(code == 0, stderr);
        Assert.Equal(TorchSharp.torch.get_num_threads(), Notebook.Load(output).Metadata["ensemblekit"]!["threads"]!.GetValue<int>());
    }

    [Fact]
    public void InPlaceRewritesTheNotebookWithOutputs()
    {
        var path = TestNotebooks.Write(_temp.NewFolder(), TestNotebooks.Code("var scale = \"cpu\";", "parameters"), TestNotebooks.Code("scale"));
        var (code, stderr) = Kit("run", path, "-p", "scale=smoke", "--in-place");
        Assert.True(code == 0, stderr);
        var notebook = Notebook.Load(path);
        Assert.Equal("smoke", TestNotebooks.Text(notebook.Cells[^1], "execute_result", "text/plain"));
    }

    [Fact]
    public void InPlaceThroughSymlinksWritesTheRealFileAndKeepsTheLinks()
    {
        // root/data/nb/test.ipynb is the notebook; root/links is a link to root/data/nb, and in it alias.ipynb links to
        // "../nb/test.ipynb". Read as text from root/links that ".." would lead to root/nb, which does not exist.
        var root = _temp.NewFolder();
        var real = Path.Combine(root, "data", "nb");
        Directory.CreateDirectory(real);
        var path = TestNotebooks.Write(real, TestNotebooks.Code("Console.WriteLine(\"ran\");"));
        Directory.CreateSymbolicLink(Path.Combine(root, "links"), real);
        File.CreateSymbolicLink(Path.Combine(real, "alias.ipynb"), "../nb/test.ipynb");
        var link = Path.Combine(root, "links", "alias.ipynb");
        var (code, stderr) = Kit("run", link, "--in-place");
        Assert.True(code == 0, stderr);
        Assert.Equal("../nb/test.ipynb", new FileInfo(Path.Combine(real, "alias.ipynb")).LinkTarget);
        Assert.Equal(real, new DirectoryInfo(Path.Combine(root, "links")).LinkTarget);
        Assert.Equal("ran\n", TestNotebooks.Text(Notebook.Load(path).Cells[0], "stream", "stdout"));
        Assert.Contains($"wrote {path}", stderr);
        Assert.False(Directory.Exists(Path.Combine(root, "nb")));
        // a link that leads nowhere is refused before the run
        File.CreateSymbolicLink(Path.Combine(root, "dangling.ipynb"), Path.Combine(root, "gone.ipynb"));
        (code, stderr) = Kit("run", Path.Combine(root, "dangling.ipynb"), "--in-place");
        Assert.Equal(2, code);
    }

    [Fact]
    public void InPlaceLeavesANotebookEditedDuringTheRunAndWritesBesideIt()
    {
        // Cell 1 stands for an editor that saves the notebook while the run goes on: it appends a newline to the file.
        var folder = _temp.NewFolder();
        var path = Path.Combine(folder, "test.ipynb");
        TestNotebooks.Write(folder,
            TestNotebooks.Code($"System.IO.File.AppendAllText(@\"{path}\", \"\\n\");"),
            TestNotebooks.Code("Console.WriteLine(\"ran\");"));
        string edited = File.ReadAllText(path) + "\n";
        var (code, stderr) = Kit("run", path, "--in-place");
        Assert.True(code == 0, stderr);
        Assert.Equal(edited, File.ReadAllText(path));   // the edit survives, without outputs
        var beside = Assert.Single(Directory.GetFiles(folder, ".test.kit-run-*.ipynb"));
        Assert.Contains($"{path} changed on disk during the run", stderr);
        Assert.Contains($"wrote {beside}", stderr);
        Assert.Equal("ran\n", TestNotebooks.Text(Notebook.Load(beside).Cells[1], "stream", "stdout"));
    }

    [Fact]
    public void AFailedInPlaceRunKeepsTheCommittedOutputsOfTheCellsThatDidNotRun()
    {
        var path = TestNotebooks.Write(_temp.NewFolder(),
            TestNotebooks.Executed("var ok = 1;", 1, "committed 1\n"),
            TestNotebooks.Executed("throw new Exception(\"claim failed\");", 2, "committed 2\n"),
            TestNotebooks.Executed("Console.WriteLine(\"result\");", 3, "committed 3\n"));
        var (code, stderr) = Kit("run", path, "--in-place");
        Assert.Equal(1, code);
        Assert.Contains("cell 2 of 3", stderr);
        var cells = Notebook.Load(path).Cells;
        Assert.Contains("claim failed", cells[1].Outputs.ToJsonString());
        Assert.Equal("committed 3\n", TestNotebooks.Text(cells[2], "stream", "stdout"));
        Assert.Equal(3, cells[2].Json["execution_count"]!.GetValue<int>());
    }

    [Fact]
    public void BadInputExitsWithTwo()
    {
        Assert.Equal(2, Kit("run", "/no/such/notebook.ipynb").Code);
        var path = TestNotebooks.Write(_temp.NewFolder(), TestNotebooks.Code("var scale = \"cpu\";", "parameters"));
        var (code, stderr) = Kit("run", path, "-p", "nosuch=1");
        Assert.Equal(2, code);
        Assert.Contains("'nosuch' is not declared", stderr);
    }

    [Theory]
    [InlineData("--out", "/proc/x/out.ipynb")]
    [InlineData("--html", "/proc/x/out.html")]
    [InlineData("--html", "/sys/kernel/out.html")]
    public void AnOutputThatCannotBeWrittenIsRefusedBeforeTheRun(string option, string target)
    {
        var path = TestNotebooks.Write(_temp.NewFolder(), TestNotebooks.Code("var x = 1;"));
        var (code, stderr) = Kit("run", path, option, target);
        Assert.Equal(2, code);
        var line = Assert.Single(KitCli.Lines(stderr)); // and not "kit run test.ipynb: 1 cells": the run did not start
        Assert.StartsWith($"kit: error: {option}: cannot write {target}: ", line);
    }

    [Fact]
    public void AFolderGivenAsTheOutputFileIsRefused()
    {
        var folder = _temp.NewFolder();
        var path = TestNotebooks.Write(folder, TestNotebooks.Code("var x = 1;"));
        var (code, stderr) = Kit("run", path, "--out", folder);
        Assert.Equal(2, code);
        Assert.Equal($"kit: error: --out: {folder} is a folder, not a file.", Assert.Single(KitCli.Lines(stderr)));

        (code, stderr) = Kit("run", path, "--out", Path.Combine(folder, "out.ipynb"), "--in-place");
        Assert.Equal(2, code);
        Assert.Contains("either --out or --in-place", stderr);
    }
}
