using System.Diagnostics;
using System.Text.RegularExpressions;
using EnsembleKit.Backend;

namespace EnsembleKit.Tests.Cli;

public class DoctorCommandTests
{
    static (int ExitCode, string Output) RunDoctor(params (string Name, string Value)[] environment) => RunDoctor([], environment);

    static (int ExitCode, string Output) RunDoctor(string[] options, params (string Name, string Value)[] environment)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "kit.dll"));
        info.ArgumentList.Add("doctor");
        foreach (var option in options) info.ArgumentList.Add(option);
        info.Environment.Remove("ONEDNN_MAX_CPU_ISA");
        info.Environment.Remove("DNNL_MAX_CPU_ISA");
        info.Environment.Remove("ATEN_CPU_CAPABILITY");
        info.Environment.Remove("KIT_ZERO_FILL");
        foreach (var (name, value) in environment) info.Environment[name] = value;
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output + stderr.Result);
    }

    [Fact]
    public void ReportsTheCpuKernelCapsAndTheOneDnnSafeguard()
    {
        var (code, output) = RunDoctor();
        Assert.Equal(0, code);
        Assert.Contains("libtorch", output);
        Assert.Contains("CPU kernels      ATen avx2, oneDNN ISA cap AVX2; CPU allocator zero fill on", output);
        var (emptyCode, emptyOutput) = RunDoctor(("ONEDNN_MAX_CPU_ISA", ""), ("ATEN_CPU_CAPABILITY", ""));   // empty counts as unset
        Assert.Equal(0, emptyCode);
        Assert.Contains("ATen avx2, oneDNN ISA cap AVX2;", emptyOutput);
    }

    [Fact]
    public void HonoursTheSwitches()
    {
        var (code, output) = RunDoctor(("ONEDNN_MAX_CPU_ISA", "AVX512_CORE"), ("ATEN_CPU_CAPABILITY", "avx512"), ("KIT_ZERO_FILL", "0"));
        Assert.Equal(0, code);
        Assert.Contains("ATen avx512, oneDNN ISA cap AVX512_CORE; CPU allocator zero fill off", output);
        var (badCode, badOutput) = RunDoctor(("KIT_ZERO_FILL", "maybe"));
        Assert.NotEqual(0, badCode);
        Assert.Contains("KIT_ZERO_FILL='maybe'", badOutput);
    }

    /// <summary>
    /// <c>--onednn</c> prints one row a shape and a verdict. Whether the upstream bug shows depends on the machine, so only
    /// the structure is checked, and that the zero-fill column is finite in every pass, even with the zero fill switched
    /// off for the process (the check switches it on for its column).
    /// </summary>
    [Theory]
    [InlineData("1")]
    [InlineData("0")]
    public void OneDnnCheckPrintsEveryShapeAndAVerdict(string zeroFill)
    {
        var (code, output) = RunDoctor(["--onednn"], ("KIT_ZERO_FILL", zeroFill));
        Assert.True(code == 0, output);
        var lines = output.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        int header = lines.FindIndex(l => l.StartsWith("oneDNN check     junk fill puts NaN into new CPU memory: ", StringComparison.Ordinal));
        Assert.True(header >= 0, output);
        var passes = int.Parse(Regex.Match(lines[header], @"^oneDNN check     junk fill puts NaN into new CPU memory: (yes|no); 3x3 convolutions, forward and backward, (\d+) passes per shape and fill:$").Groups[2].Value);
        Assert.StartsWith("  channels", lines[header + 1]);
        var row = new Regex(@"^  (\d+) -> (\d+) +(junk reaches the output in (\d+)|finite in (\d+)) of (\d+) passes +(.+)$");
        var rows = lines.Skip(header + 2).TakeWhile(l => l.StartsWith("  ", StringComparison.Ordinal)).ToList();
        Assert.Equal(OneDnnPaddingCheck.Shapes.Select(s => $"{s.InputChannels} -> {s.OutputChannels}"),
            rows.Select(r => Regex.Match(r, @"^  (\d+ -> \d+)").Groups[1].Value));
        foreach (var r in rows)
        {
            var m = row.Match(r);
            Assert.True(m.Success, $"unexpected row: '{r}'");
            Assert.Equal(passes, int.Parse(m.Groups[6].Value));
            Assert.Equal($"finite in {passes} of {passes} passes", m.Groups[7].Value);   // the zero-fill column
        }
        var verdict = lines[header + 2 + rows.Count];
        Assert.Contains(verdict, new[] { OneDnnPaddingReport.BugShowsVerdict, OneDnnPaddingReport.BugHiddenVerdict, OneDnnPaddingReport.JunkFillInertVerdict }
            .Select(v => $"verdict          {v}"));
        Assert.Contains(zeroFill == "1" ? "CPU allocator zero fill on" : "CPU allocator zero fill off", output);
    }

    [Fact]
    public void WithoutTheOptionTheCheckDoesNotRun()
    {
        var (code, output) = RunDoctor();
        Assert.Equal(0, code);
        Assert.DoesNotContain("oneDNN check", output);
        Assert.DoesNotContain("verdict", output);
    }
}
