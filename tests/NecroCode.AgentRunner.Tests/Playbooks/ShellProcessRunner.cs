using NecroCode.AgentRunner.Playbooks;
using System.Diagnostics;
using System.Text;

namespace NecroCode.AgentRunner.Tests.Playbooks;

/// <summary>A minimal real <see cref="IProcessRunner"/> for the playbook tests: starts the process, streams lines, kills the tree on timeout.</summary>
internal sealed class ShellProcessRunner : IProcessRunner
{
    public List<ProcessSpec> Started { get; } = [];

    public async Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken)
    {
        lock (Started)
        {
            Started.Add(spec);
        }

        var info = new ProcessStartInfo(spec.FileName)
        {
            WorkingDirectory = spec.WorkingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in spec.Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        if (!spec.InheritEnvironment)
        {
            var path = info.Environment["PATH"];
            info.Environment.Clear();
            info.Environment["PATH"] = path;
        }

        foreach (var (name, value) in spec.Environment)
        {
            info.Environment[name] = value;
        }

        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var start = Stopwatch.GetTimestamp();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => OnLine(spec, stdout, OutputSource.StandardOutput, e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(spec, stderr, OutputSource.StandardError, e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var timeout = spec.Timeout is { } limit ? new CancellationTokenSource(limit) : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await process.WaitForExitAsync(linked.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            cancellationToken.ThrowIfCancellationRequested();
            return new ProcessResult(null, true, Stopwatch.GetElapsedTime(start), Text(stdout), Text(stderr));
        }

        process.WaitForExit();
        return new ProcessResult(process.ExitCode, false, Stopwatch.GetElapsedTime(start), Text(stdout), Text(stderr));
    }

    private static void OnLine(ProcessSpec spec, StringBuilder buffer, OutputSource source, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (buffer)
        {
            buffer.AppendLine(line);
        }

        spec.Events?.Publish(new OutputLine(spec.StepName, source, line));
    }

    private static string Text(StringBuilder buffer)
    {
        lock (buffer)
        {
            return buffer.ToString();
        }
    }
}
