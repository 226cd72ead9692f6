using System.Diagnostics;
using System.Text;

namespace NecroCode.AgentRunner.IntegrationTests.Infrastructure;

/// <summary>
/// The built <c>necrocode-runner</c> started as a real process that a test can watch and signal while it runs:
/// wait for a line of its output, send it SIGINT or SIGTERM, collect what it printed and its exit code.
/// </summary>
internal sealed class HostProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Task _readers;
    private readonly object _gate = new();

    private HostProcess(Process process)
    {
        _process = process;
        _readers = Task.WhenAll(ReadAsync(process.StandardOutput, _stdout), ReadAsync(process.StandardError, _stderr));
    }

    public int ProcessId => _process.Id;

    public static HostProcess Start(string workingDirectory, params string[] arguments) => Start(workingDirectory, null, arguments);

    /// <summary>Starts the host with extra environment variables (a fail point …).</summary>
    public static HostProcess Start(string workingDirectory, IDictionary<string, string?>? environment, params string[] arguments) =>
        StartProgram(CliHost.HostPath, workingDirectory, environment, arguments);

    /// <summary>Starts another built program (a sample) the same way: <c>dotnet</c> with its dll.</summary>
    public static HostProcess StartProgram(string programPath, string workingDirectory, IDictionary<string, string?>? environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(programPath);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["GIT_TERMINAL_PROMPT"] = "0";
        Sandbox.AllowProbe(start.Environment, workingDirectory);
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start)!;
        process.StandardInput.Close();
        return new HostProcess(process);
    }

    /// <summary>Waits until <paramref name="text"/> appears in the host's standard output or error, or the host ends.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromMinutes(2));
        while (!Contains(text))
        {
            if (_process.HasExited)
            {
                await _readers;
                Assert.Fail($"The host exited with {_process.ExitCode} before printing '{text}':\n{StandardOutput}\n{StandardError}");
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"The host did not print '{text}' in time:\n{StandardOutput}\n{StandardError}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Waits until <paramref name="path"/> exists (written by a stand-in agent), or the host ends.</summary>
    public async Task WaitForFileAsync(string path, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromMinutes(2));
        while (!File.Exists(path))
        {
            if (_process.HasExited)
            {
                await _readers;
                Assert.Fail($"The host exited with {_process.ExitCode} before '{path}' appeared:\n{StandardOutput}\n{StandardError}");
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"'{path}' did not appear in time:\n{StandardOutput}\n{StandardError}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Sends a signal (INT, TERM, HUP, KILL …) to the host process.</summary>
    public async Task SignalAsync(string signal)
    {
        var kill = await Shell.RunAsync("kill", "/", ["-" + signal, ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        Assert.That(kill.ExitCode, Is.Zero, kill.StandardError);
    }

    /// <summary>Waits for the host to end and returns its exit code and output.</summary>
    public async Task<Shell.Output> WaitForExitAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(3));
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            Assert.Fail($"The host did not exit in time:\n{StandardOutput}\n{StandardError}");
        }

        await _readers;
        return new Shell.Output(_process.ExitCode, StandardOutput, StandardError);
    }

    public string StandardOutput
    {
        get
        {
            lock (_gate)
            {
                return _stdout.ToString();
            }
        }
    }

    public string StandardError
    {
        get
        {
            lock (_gate)
            {
                return _stderr.ToString();
            }
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    /// <summary>Whether a process with id <paramref name="pid"/> runs (zombies and ended processes do not).</summary>
    public static bool IsAlive(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return false;
        }

        var state = text[(text.LastIndexOf(')') + 2)..][0];
        return state != 'Z' && state != 'X';
    }

    private bool Contains(string text)
    {
        lock (_gate)
        {
            return _stdout.ToString().Contains(text, StringComparison.Ordinal) || _stderr.ToString().Contains(text, StringComparison.Ordinal);
        }
    }

    private async Task ReadAsync(StreamReader reader, StringBuilder into)
    {
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            lock (_gate)
            {
                into.Append(buffer, 0, read);
            }
        }
    }
}
