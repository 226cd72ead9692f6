using System.Diagnostics;

namespace NecroCode.AgentRunner.Tests.FileSystem;

/// <summary>Real child processes for the cross-process tests; killed (whole tree) on dispose.</summary>
internal sealed class ChildProcess : IDisposable
{
    private ChildProcess(Process process) => Process = process;

    public Process Process { get; }

    public int Id => Process.Id;

    /// <summary>Starts <c>flock -o -x PATH sh -c 'echo locked; exec sleep 600'</c> and returns once the lock is held.</summary>
    public static ChildProcess HoldFlock(string lockPath)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(lockPath)!);
        var child = Start("flock", ["-o", "-x", lockPath, "sh", "-c", "echo locked; exec sleep 600"]);
        var line = child.Process.StandardOutput.ReadLine();
        Assert.That(line, Is.EqualTo("locked"), "the flock command did not take the lock");
        return child;
    }

    /// <summary>Starts <c>sleep 600</c>.</summary>
    public static ChildProcess Sleep() => Start("sleep", ["600"]);

    /// <summary>Runs this test assembly as a child that appends <paramref name="count"/> events (see StartupHook).</summary>
    public static ChildProcess AppendEvents(string registryRoot, string writer, int count) =>
        Hook("append-events", new Dictionary<string, string>
        {
            ["NECROCODE_FSTEST_ROOT"] = registryRoot,
            ["NECROCODE_FSTEST_WRITER"] = writer,
            ["NECROCODE_FSTEST_COUNT"] = count.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });

    /// <summary>
    /// Runs this test assembly as a child in one of the StartupHook modes, with file locking of .NET switched
    /// off (only flock may exclude) and standard input open: modes that wait for the test end when it is closed.
    /// </summary>
    public static ChildProcess Hook(string mode, IReadOnlyDictionary<string, string> settings)
    {
        var assembly = typeof(ChildProcess).Assembly.Location;
        var environment = new Dictionary<string, string>(settings)
        {
            ["DOTNET_STARTUP_HOOKS"] = assembly,
            ["DOTNET_SYSTEM_IO_DISABLEFILELOCKING"] = "1",
            ["NECROCODE_FSTEST_CHILD"] = mode,
        };
        return Start("dotnet", [assembly], environment, redirectInput: true);
    }

    /// <summary>Reads the child's next line of output, failing the test (with its error output) when it ends first.</summary>
    public async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        var line = await Process.StandardOutput.ReadLineAsync(cancellationToken);
        if (line is null)
        {
            await Process.WaitForExitAsync(cancellationToken);
            Assert.Fail($"child {Id} ended (exit code {Process.ExitCode}) without output: {await Process.StandardError.ReadToEndAsync(cancellationToken)}");
        }

        return line!;
    }

    /// <summary>Closes the child's standard input (the signal to finish) and waits for a clean exit.</summary>
    public async Task FinishAsync(CancellationToken cancellationToken)
    {
        Process.StandardInput.Close();
        await WaitForSuccessAsync(cancellationToken);
    }

    /// <summary>Waits for the child to exit and fails the test (with its error output) unless it exited with 0.</summary>
    public async Task WaitForSuccessAsync(CancellationToken cancellationToken)
    {
        var errors = Process.StandardError.ReadToEndAsync(cancellationToken);
        await Process.WaitForExitAsync(cancellationToken);
        Assert.That(Process.ExitCode, Is.Zero, $"child {Id}: {await errors}");
    }

    public void Kill()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
        }

        Process.WaitForExit();
    }

    public void Dispose()
    {
        try
        {
            Kill();
        }
        catch (InvalidOperationException)
        {
        }

        Process.Dispose();
    }

    private static ChildProcess Start(string file, string[] arguments, Dictionary<string, string>? environment = null, bool redirectInput = false)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = redirectInput, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? [])
        {
            info.Environment[key] = value;
        }

        return new ChildProcess(Process.Start(info)!);
    }
}
