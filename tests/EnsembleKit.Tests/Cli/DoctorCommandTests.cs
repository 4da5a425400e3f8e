using System.Diagnostics;

namespace EnsembleKit.Tests.Cli;

public class DoctorCommandTests
{
    static (int ExitCode, string Output) RunDoctor(params (string Name, string Value)[] environment)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "kit.dll"));
        info.ArgumentList.Add("doctor");
        info.Environment.Remove("ONEDNN_MAX_CPU_ISA");
        info.Environment.Remove("DNNL_MAX_CPU_ISA");
        info.Environment.Remove("KIT_ZERO_FILL");
        foreach (var (name, value) in environment) info.Environment[name] = value;
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output + stderr.Result);
    }

    [Fact]
    public void ReportsTheOneDnnSafeguards()
    {
        var (code, output) = RunDoctor();
        Assert.Equal(0, code);
        Assert.Contains("libtorch", output);
        Assert.Contains("oneDNN           ISA cap AVX2; CPU allocator zero fill on", output);
        var (emptyCode, emptyOutput) = RunDoctor(("ONEDNN_MAX_CPU_ISA", ""));   // empty counts as unset
        Assert.Equal(0, emptyCode);
        Assert.Contains("ISA cap AVX2;", emptyOutput);
    }

    [Fact]
    public void HonoursTheSwitches()
    {
        var (code, output) = RunDoctor(("ONEDNN_MAX_CPU_ISA", "AVX512_CORE"), ("KIT_ZERO_FILL", "0"));
        Assert.Equal(0, code);
        Assert.Contains("ISA cap AVX512_CORE; CPU allocator zero fill off", output);
        var (badCode, badOutput) = RunDoctor(("KIT_ZERO_FILL", "maybe"));
        Assert.NotEqual(0, badCode);
        Assert.Contains("KIT_ZERO_FILL='maybe'", badOutput);
    }
}
