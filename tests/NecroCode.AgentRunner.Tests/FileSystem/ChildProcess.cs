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
    public static ChildProcess AppendEvents(string registryRoot, string writer, int count)
    {
        var assembly = typeof(ChildProcess).Assembly.Location;
        return Start("dotnet", [assembly], new Dictionary<string, string>
        {
            ["DOTNET_STARTUP_HOOKS"] = assembly,
            ["DOTNET_SYSTEM_IO_DISABLEFILELOCKING"] = "1",
            ["NECROCODE_FSTEST_CHILD"] = "append-events",
            ["NECROCODE_FSTEST_ROOT"] = registryRoot,
            ["NECROCODE_FSTEST_WRITER"] = writer,
            ["NECROCODE_FSTEST_COUNT"] = count.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
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

    private static ChildProcess Start(string file, string[] arguments, Dictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
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
