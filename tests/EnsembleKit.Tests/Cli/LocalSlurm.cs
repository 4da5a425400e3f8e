using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace EnsembleKit.Tests.Cli;

/// <summary>
/// A one-node Slurm cluster from Debian's packages (slurm-wlm, munge) that lives in a temp folder: its own munge key and
/// socket, a <c>slurm.conf</c> (no cgroups: proctrack/linuxproc, task/none, select/cons_tres; state, spool, logs and pid
/// files in the folder; free ports), and <c>munged</c>, <c>slurmctld</c> and <c>slurmd</c> run in the foreground as
/// child processes. <see cref="Dispose"/> cancels every job, stops the daemons (SIGTERM, then SIGKILL), waits for them
/// and deletes the folder. Clients (<c>sbatch</c>, <c>squeue</c>, ...) find it through <see cref="Environment"/>'s
/// <c>SLURM_CONF</c>.
/// </summary>
public sealed class LocalSlurm : IDisposable
{
    static readonly string[] Programs = ["munged", "slurmctld", "slurmd", "sbatch", "squeue", "scontrol", "scancel", "sinfo"];
    static readonly Lazy<string?> s_unavailable = new(FindProblem);

    readonly TempFolder _folder;
    readonly List<(string Call, Process Process, StringBuilder Output)> _daemons = [];

    /// <summary>Why a cluster cannot run here (programs missing, or the daemons cannot start: the failing call), or null.</summary>
    public static string? Unavailable => s_unavailable.Value;

    /// <summary>The programs the cluster needs that are not installed, or empty.</summary>
    public static IReadOnlyList<string> MissingPrograms() => Programs.Where(p => Which(p) is null).ToList();

    /// <summary>The folder everything lives in, <c>slurm.conf</c> included; deleted on <see cref="Dispose"/>.</summary>
    public string Folder => _folder.Path;
    public string ConfigFile => Path.Combine(Folder, "slurm.conf");

    /// <summary>Variables every client call and job submission needs.</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string> { ["SLURM_CONF"] = ConfigFile };

    LocalSlurm()
    {
        _folder = new TempFolder();
    }

    /// <summary>Starts the daemons and waits until the node is idle; a <see cref="LocalSlurmException"/> names the call that failed.</summary>
    public static LocalSlurm Start(TimeSpan? timeout = null)
    {
        var cluster = new LocalSlurm();
        try
        {
            cluster.Boot(timeout ?? TimeSpan.FromSeconds(60));
            return cluster;
        }
        catch
        {
            cluster.Dispose();
            throw;
        }
    }

    void Boot(TimeSpan timeout)
    {
        string munge = Path.Combine(Folder, "munge"), spool = Path.Combine(Folder, "spool"), state = Path.Combine(Folder, "state"), log = Path.Combine(Folder, "log");
        foreach (var d in new[] { munge, spool, state, log }) Directory.CreateDirectory(d);
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("a local Slurm cluster needs Linux.");
        // The folder must be reachable by the daemons; the key readable by its owner only (munged refuses anything else).
        File.SetUnixFileMode(Folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var key = Path.Combine(munge, "munge.key");
        File.WriteAllBytes(key, System.Security.Cryptography.RandomNumberGenerator.GetBytes(128));
        File.SetUnixFileMode(key, UnixFileMode.UserRead);
        var socket = Path.Combine(munge, "munge.socket");

        StartDaemon("munged", ["-F", "--force", $"--key-file={key}", $"--socket={socket}", $"--pid-file={Path.Combine(munge, "munged.pid")}",
            $"--log-file={Path.Combine(munge, "munged.log")}", $"--seed-file={Path.Combine(munge, "munged.seed")}"]);
        WaitFor(() => File.Exists(socket), "munged's socket", timeout);

        string host = System.Environment.MachineName.Split('.')[0], user = System.Environment.UserName;
        var (controllerPort, nodePort) = (FreePort(), FreePort());
        File.WriteAllText(ConfigFile, string.Join('\n',
        [
            "ClusterName=ektest",
            $"SlurmctldHost={host}(127.0.0.1)",
            $"SlurmUser={user}",
            $"SlurmdUser={user}",
            "AuthType=auth/munge",
            "CredType=cred/munge",
            $"AuthInfo=socket={socket}",
            $"SlurmctldPort={controllerPort}",
            $"SlurmdPort={nodePort}",
            $"StateSaveLocation={state}",
            $"SlurmdSpoolDir={spool}",
            $"SlurmctldPidFile={Path.Combine(Folder, "slurmctld.pid")}",
            $"SlurmdPidFile={Path.Combine(Folder, "slurmd.pid")}",
            $"SlurmctldLogFile={Path.Combine(log, "slurmctld.log")}",
            $"SlurmdLogFile={Path.Combine(log, "slurmd.log")}",
            "ProctrackType=proctrack/linuxproc",
            "TaskPlugin=task/none",
            "SelectType=select/cons_tres",
            "SelectTypeParameters=CR_CPU",
            "SchedulerType=sched/backfill",
            "AccountingStorageType=accounting_storage/none",
            "JobAcctGatherType=jobacct_gather/none",
            "JobCompType=jobcomp/none",
            "MpiDefault=none",
            "SwitchType=switch/none",
            "MailProg=/bin/true",
            "ReturnToService=2",
            // The node as this machine reports it, whatever its sockets and cores: only the CPU count matters here.
            "SlurmdParameters=config_overrides",
            $"NodeName={host} NodeAddr=127.0.0.1 CPUs={System.Environment.ProcessorCount} State=UNKNOWN",
            $"PartitionName=debug Nodes={host} Default=YES MaxTime=INFINITE State=UP",
            "",
        ]));
        StartDaemon("slurmctld", ["-D", "-i", "-f", ConfigFile]);
        StartDaemon("slurmd", ["-D", "-f", ConfigFile]);
        WaitFor(() => Client("sinfo", "-h", "-o", "%t").Output.Trim() == "idle", "the node to be idle (sinfo -h -o %t)", timeout);
    }

    /// <summary>Runs a Slurm client with this cluster's configuration; returns its exit code and output (stdout then stderr).</summary>
    public (int Code, string Output) Client(string program, params string[] arguments) => Run(program, arguments, Environment, TimeSpan.FromSeconds(60));

    /// <summary>The state of job <paramref name="jobId"/> (<c>PENDING</c>, <c>RUNNING</c>, <c>COMPLETED</c>, ...) and the reason it waits.</summary>
    public (string State, string Reason) JobState(string jobId)
    {
        var (code, output) = Client("scontrol", "-o", "show", "job", jobId);
        if (code != 0) throw new InvalidOperationException($"scontrol show job {jobId} failed: {output}");
        string Field(string name) => output.Split(' ', '\n').FirstOrDefault(f => f.StartsWith(name + "=", StringComparison.Ordinal))?[(name.Length + 1)..] ?? "";
        return (Field("JobState"), Field("Reason"));
    }

    /// <summary>Waits until no job is pending or running.</summary>
    public void WaitUntilIdle(TimeSpan timeout) =>
        WaitFor(() => Client("squeue", "-h", "-o", "%i").Output.Trim().Length == 0, "the queue to empty", timeout);

    /// <summary>Waits until job <paramref name="jobId"/> ends; returns its final state. Throws on a job that can never start.</summary>
    public string WaitForJob(string jobId, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var (state, reason) = JobState(jobId);
            if (state is not ("PENDING" or "RUNNING" or "CONFIGURING" or "COMPLETING" or "SUSPENDED")) return state;
            if (reason == "DependencyNeverSatisfied") return $"{state} ({reason})";
            if (clock.Elapsed > timeout) throw new TimeoutException($"job {jobId} still {state} ({reason}) after {timeout}.\n{Logs()}");
            Thread.Sleep(200);
        }
    }

    /// <summary>The daemons' logs, for failure messages.</summary>
    public string Logs()
    {
        var log = Path.Combine(Folder, "log");
        return string.Join('\n', new[] { "slurmctld.log", "slurmd.log" }.Select(f => Path.Combine(log, f)).Where(File.Exists)
            .Select(f => $"--- {Path.GetFileName(f)} (last lines)\n{string.Join('\n', File.ReadLines(f).TakeLast(15))}"));
    }

    void StartDaemon(string program, string[] arguments)
    {
        // By full path: the daemons live in /usr/sbin, which a non-root user's PATH may lack.
        var executable = Which(program) ?? program;
        var call = $"{executable} {string.Join(' ', arguments)}";
        var info = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        info.Environment["SLURM_CONF"] = ConfigFile;
        var output = new StringBuilder();
        Process process;
        try { process = Process.Start(info)!; }
        catch (System.ComponentModel.Win32Exception e) { throw new LocalSlurmException($"`{call}` could not start: {e.Message}"); }
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _daemons.Add((call, process, output));
    }

    void WaitFor(Func<bool> condition, string what, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            // A daemon that died is the reason, whatever we were waiting for: name its exact call and what it said.
            foreach (var (call, process, output) in _daemons)
                if (process.HasExited)
                {
                    process.WaitForExit();
                    string said;
                    lock (output) said = string.Join('\n', output.ToString().Split('\n').TakeLast(12));
                    throw new LocalSlurmException($"`{call}` exited with code {process.ExitCode}: {said.Trim()}\n{Logs()}");
                }
            if (clock.Elapsed > timeout) throw new LocalSlurmException($"timed out after {timeout} waiting for {what}.\n{Logs()}");
            Thread.Sleep(100);
        }
    }

    /// <summary>Cancels every job, stops the daemons (slurmd, slurmctld, munged), waits for them and deletes the folder.</summary>
    public void Dispose()
    {
        try
        {
            if (_daemons.Count == 3 && _daemons.All(d => !d.Process.HasExited))
            {
                Client("scancel", "--user", System.Environment.UserName);
                try { WaitUntilIdle(TimeSpan.FromSeconds(30)); } catch (Exception e) when (e is TimeoutException or LocalSlurmException) { }
            }
        }
        finally
        {
            for (int i = _daemons.Count - 1; i >= 0; i--) Stop(_daemons[i].Process);
            _daemons.Clear();
            _folder.Dispose();
        }
    }

    static void Stop(Process process)
    {
        using (process)
        {
            if (!process.HasExited)
            {
                Run("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)], null, TimeSpan.FromSeconds(10));
                if (!process.WaitForExit(TimeSpan.FromSeconds(15))) process.Kill(entireProcessTree: true);
            }
            process.WaitForExit();
        }
    }

    static string? FindProblem()
    {
        if (MissingPrograms() is { Count: > 0 } missing)
            return $"Slurm is not installed ({string.Join(", ", missing)} missing; apt-get install slurm-wlm munge; .ci/run does it)";
        try
        {
            using var probe = Start(TimeSpan.FromSeconds(30));
            return null;
        }
        catch (LocalSlurmException e)
        {
            return $"this machine does not let a local Slurm start: {e.Message.Split('\n')[0]}";
        }
    }

    /// <summary>A TCP port that was free a moment ago.</summary>
    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    static string? Which(string program) =>
        (System.Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Concat(["/usr/sbin", "/sbin"])
            .Select(d => Path.Combine(d, program)).FirstOrDefault(File.Exists);

    /// <summary>Runs a program to its end; returns its exit code and its stdout followed by its stderr.</summary>
    public static (int Code, string Output) Run(string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) info.Environment[name] = value;
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish within {timeout}.");
        }
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
