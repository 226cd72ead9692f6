using System.Diagnostics;

namespace NecroCode.AgentRunner.Execution.Remote;

/// <summary>
/// Asks the remote itself, from the host's own slot (never the run's copy, whose configuration the
/// agent could change), which commit a branch points to: <c>git ls-remote &lt;remote&gt; refs/heads/&lt;branch&gt;</c>.
/// The remote must be one the slot has configured.
/// </summary>
internal static class OriginBranchCheck
{
    /// <summary>Returns null when <paramref name="branch"/> at <paramref name="remote"/> is <paramref name="commitId"/>, else why not.</summary>
    public static async Task<string?> CheckAsync(string slotPath, string remote, string branch, string commitId, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            var remotes = await GitAsync(slotPath, ["remote"], linked.Token).ConfigureAwait(false);
            if (remotes.ExitCode != 0)
            {
                return $"the host's slot '{slotPath}' is not a git repository ({remotes.Error})";
            }

            if (!remotes.Output.Split('\n', StringSplitOptions.TrimEntries).Contains(remote, StringComparer.Ordinal))
            {
                return $"the remote '{remote}' is not configured in the host's slot";
            }

            var reference = "refs/heads/" + branch;
            var listed = await GitAsync(slotPath, ["ls-remote", "--", remote, reference], linked.Token).ConfigureAwait(false);
            if (listed.ExitCode != 0)
            {
                return $"'git ls-remote {remote}' failed with exit code {listed.ExitCode} ({listed.Error})";
            }

            var found = listed.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => line.Split('\t'))
                .FirstOrDefault(parts => parts.Length == 2 && parts[1].Trim() == reference);
            if (found is null)
            {
                return $"the branch '{branch}' does not exist at the remote '{remote}'";
            }

            return string.Equals(found[0], commitId, StringComparison.OrdinalIgnoreCase)
                ? null
                : $"the branch '{branch}' at the remote '{remote}' is {found[0]}, not the reported commit {commitId}";
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return $"the remote '{remote}' did not answer within {timeout}";
        }
    }

    private static async Task<(int ExitCode, string Output, string Error)> GitAsync(string workingDirectory, string[] arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["GIT_TERMINAL_PROMPT"] = "0";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("git did not start.");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var stderr = (await error.ConfigureAwait(false)).Trim();
        return (process.ExitCode, await output.ConfigureAwait(false), stderr.Length > 500 ? stderr[..500] + "…" : stderr);
    }
}
