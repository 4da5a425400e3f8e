using EnsembleKit.Backend;
using EnsembleKit.Cli;

namespace EnsembleKit.Tests.Cli;

/// <summary>
/// KIT_DEVICE, KIT_THREADS and KIT_SEED: checked like the options they default, reported in one line naming the variable
/// and value with exit code 2, and only when used; and the settings options refuse bad values the same way.
/// </summary>
public class SettingsFromEnvironmentTests : IDisposable
{
    readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>A run small enough to end in seconds should a check let it through; <paramref name="options"/> are name, value pairs.</summary>
    string[] Reproduce(params string[] options)
    {
        var values = new Dictionary<string, string> { ["--epochs"] = "1", ["--members"] = "1", ["--train-limit"] = "100", ["--out"] = _temp.NewFolder() };
        for (int i = 0; i < options.Length; i += 2) values[options[i]] = options[i + 1];
        return ["reproduce", "fmnist-deep-ensemble", .. values.SelectMany(v => new[] { v.Key, v.Value })];
    }

    [Theory]
    [InlineData("KIT_THREADS", "abc")]
    [InlineData("KIT_THREADS", "-2")]
    [InlineData("KIT_DEVICE", "tpu")]
    [InlineData("KIT_SEED", "abc")]
    public void ABadVariableIsOneLineNamingItAndExitsWithTwo(string variable, string value)
    {
        var (code, stdout, stderr) = KitCli.RunProcess(Reproduce(), new Dictionary<string, string> { [variable] = value });
        Assert.Equal(2, code);
        var line = Assert.Single(KitCli.Lines(stderr));
        Assert.Contains(variable, line);
        Assert.Contains($"'{value}'", line);
        Assert.Empty(stdout); // refused while parsing: nothing started
    }

    [Fact]
    public void ABadVariableDoesNotMatterWhenItsOptionIsGiven()
    {
        var bad = new Dictionary<string, string> { ["KIT_DEVICE"] = "tpu", ["KIT_THREADS"] = "abc", ["KIT_SEED"] = "abc" };
        var (code, stdout, stderr) = KitCli.RunProcess(Reproduce("--device", "cpu", "--threads", "1", "--seed", "3"), bad);
        Assert.True(code == 0, stderr);
        Assert.Contains("seed 3", stdout);
    }

    [Fact]
    public void AVariableReadWhileRunningIsBadInputToo()
    {
        // kit doctor has --device only: KIT_DEVICE is overridden, KIT_THREADS is read as it runs.
        var (code, stdout, stderr) = KitCli.RunProcess(["doctor", "--device", "cpu"], new Dictionary<string, string> { ["KIT_DEVICE"] = "tpu" });
        Assert.True(code == 0, stderr);
        Assert.Contains("device           cpu", stdout);

        (code, _, stderr) = KitCli.RunProcess(["doctor", "--device", "cpu"], new Dictionary<string, string> { ["KIT_THREADS"] = "abc" });
        Assert.Equal(2, code);
        var line = Assert.Single(KitCli.Lines(stderr));
        Assert.Contains("KIT_THREADS: 'abc'", line);
    }

    [Fact]
    public void TheVariablesAreTheOptionsDefaults()
    {
        static T Value<T>(string name, params string[] args) =>
            Program.BuildRoot().Parse(["reproduce", "fmnist-deep-ensemble", .. args]).GetValue<T>(name)!;

        Assert.Equal(0L, Value<long>("--seed"));
        using (KitCli.Environment("KIT_SEED", "5"))
        {
            Assert.Equal(5L, Value<long>("--seed"));
            Assert.Equal(7L, Value<long>("--seed", "--seed", "7"));
        }
        using (KitCli.Environment("KIT_THREADS", "3")) Assert.Equal(3, Value<int>("--threads"));
        using (KitCli.Environment("KIT_DEVICE", "cpu")) Assert.Equal(DeviceChoice.Cpu, Value<DeviceChoice>("--device"));
    }

    [Theory]
    [InlineData("--threads", "-1")]
    [InlineData("--threads", "abc")]
    [InlineData("--train-limit", "-5")]
    [InlineData("--members", "0")]
    [InlineData("--epochs", "0")]
    [InlineData("--device", "tpu")]
    [InlineData("--seed", "x")]
    public void ABadOptionValueIsOneLineNamingTheOptionAndExitsWithTwo(string option, string value)
    {
        var (code, stderr) = KitCli.RunInProcess(Reproduce(option, value));
        Assert.Equal(2, code);
        var line = Assert.Single(KitCli.Lines(stderr));
        Assert.Contains(option, line);
        Assert.Contains(value, line);
    }

    [Fact]
    public void KitSettingsReadsOnlyTheVariablesItUses()
    {
        using var device = KitCli.Environment("KIT_DEVICE", "tpu");
        using var threads = KitCli.Environment("KIT_THREADS", "2");
        var e = Assert.Throws<InvalidSettingException>(() => KitSettings.FromEnvironment());
        Assert.Equal(("KIT_DEVICE", "tpu"), (e.Variable, e.Value));
        var settings = KitSettings.FromEnvironment(device: DeviceChoice.Cpu);
        Assert.Equal((DeviceChoice.Cpu, 2), (settings.Device, settings.Threads));
    }
}
