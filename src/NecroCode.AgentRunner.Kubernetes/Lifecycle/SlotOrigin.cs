using System.Diagnostics;

namespace NecroCode.AgentRunner.Kubernetes.Lifecycle;

/// <summary>The URL of a remote of the host's slot (<c>git remote get-url</c>): what the pod clones when no URL is configured.</summary>
internal static class SlotOrigin
{
    /// <summary>The URL, or null with the problem saying why there is none.</summary>
    public static async Task<(string? Url, string? Problem)> ReadAsync(string? slotPath, string remote, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(slotPath) || !Directory.Exists(slotPath))
        {
            return (null, "the task names no slot on the host to read its remote from");
        }

        var start = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-C", slotPath, "remote", "get-url", "--", remote })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["GIT_TERMINAL_PROMPT"] = "0";
        try
        {
            using var process = Process.Start(start) ?? throw new InvalidOperationException("git did not start.");
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            var url = (await output.ConfigureAwait(false)).Trim();
            return process.ExitCode == 0 && url.Length > 0
                ? (url, null)
                : (null, $"the slot '{slotPath}' has no remote '{remote}' ({(await error.ConfigureAwait(false)).Trim()})");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return (null, $"git could not be run on the host ({ex.Message})");
        }
    }
}
