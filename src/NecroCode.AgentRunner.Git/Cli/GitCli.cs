using System.Diagnostics;
using System.Text;

namespace NecroCode.AgentRunner.Git;

/// <summary>
/// Runs the <c>git</c> executable. Arguments go through <see cref="ProcessStartInfo.ArgumentList"/>
/// (never a shell); prompts are disabled, hooks and automatic gc are switched off, and git variables
/// inherited from the host (GIT_DIR, GIT_INDEX_FILE, GIT_CONFIG_KEY_n, GIT_SSH_COMMAND, GIT_ASKPASS …) are
/// removed so they cannot redirect the command.
/// </summary>
/// <remarks>
/// The git CLI is used for the operations where it is faster than or more complete than libgit2:
/// network transfer (fetch/push: smart protocol negotiation, pack reuse and remote error messages),
/// <c>add -A</c> with the stat cache and untracked cache, checkout of large trees, <c>clean</c>, and
/// binary patches that <c>git apply</c> accepts (libgit2 cannot produce <c>--full-index</c> binary
/// patches with rename detection against a temporary index).
/// </remarks>
internal sealed class GitCli(string executable)
{
    /// <summary>
    /// Variables of the host that could redirect a git command (another repository, index, object store or
    /// configuration; another ssh, proxy or askpass program; an external diff) or print its credentials.
    /// A command that needs one (the diff's temporary <c>GIT_INDEX_FILE</c>) sets it explicitly.
    /// </summary>
    private static readonly string[] InheritedGitVariables =
    [
        "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_INDEX_VERSION", "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES",
        "GIT_NAMESPACE", "GIT_COMMON_DIR", "GIT_PREFIX", "GIT_CEILING_DIRECTORIES", "GIT_DISCOVERY_ACROSS_FILESYSTEM",
        "GIT_QUARANTINE_PATH", "GIT_REPLACE_REF_BASE", "GIT_NO_REPLACE_OBJECTS", "GIT_GRAFT_FILE", "GIT_SHALLOW_FILE", "GIT_ATTR_SOURCE",
        "GIT_EDITOR", "GIT_SEQUENCE_EDITOR", "GIT_PAGER", "GIT_EXTERNAL_DIFF", "GIT_DIFF_OPTS",
        "GIT_CONFIG", "GIT_CONFIG_PARAMETERS", "GIT_CONFIG_COUNT",
        "GIT_SSH", "GIT_SSH_COMMAND", "GIT_SSH_VARIANT", "GIT_PROXY_COMMAND", "GIT_ASKPASS", "SSH_ASKPASS",

        // Traces could print the Authorization header of an HTTPS token (git redacts it unless told otherwise).
        "GIT_CURL_VERBOSE",
    ];

    /// <summary>Prefixes of further such variables: numbered configuration entries and every trace.</summary>
    private static readonly string[] InheritedGitVariablePrefixes = ["GIT_CONFIG_KEY_", "GIT_CONFIG_VALUE_", "GIT_TRACE"];

    private static readonly string NullDevice = OperatingSystem.IsWindows() ? "NUL" : "/dev/null";

    /// <summary>The executable that is run.</summary>
    public string Executable { get; } = executable;

    /// <summary>Runs git in <paramref name="workingDirectory"/> and returns its result, whatever the exit code.</summary>
    /// <param name="workingDirectory">Where git runs.</param>
    /// <param name="arguments">The arguments, after the fixed safety options.</param>
    /// <param name="environment">Extra environment variables, or null.</param>
    /// <param name="timeout">Longest the command may run; on expiry it is killed and a transient <see cref="WorkspaceException"/> thrown.</param>
    /// <param name="cancellationToken">Cancels (and kills) the command.</param>
    /// <returns>The result.</returns>
    public async Task<GitResult> RunAsync(
        string workingDirectory,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? environment,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(Executable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            CreateNoWindow = true,
            StandardErrorEncoding = Encoding.UTF8,
        };
        RemoveInheritedVariables(startInfo.Environment);

        startInfo.Environment["GIT_TERMINAL_PROMPT"] = "0";
        startInfo.Environment["GCM_INTERACTIVE"] = "never";
        startInfo.Environment["LC_ALL"] = "C";
        startInfo.Environment["LANGUAGE"] = "C";
        if (environment is not null)
        {
            foreach (var (name, value) in environment)
            {
                startInfo.Environment[name] = value;
            }
        }

        string[] fixedOptions =
        [
            "-c", $"core.hooksPath={NullDevice}", "-c", "gc.auto=0", "-c", "maintenance.auto=false",
            "-c", "core.fsmonitor=false", "-c", "advice.detachedHead=false", "-c", "commit.gpgSign=false",
        ];
        foreach (var option in fixedOptions)
        {
            startInfo.ArgumentList.Add(option);
        }

        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new WorkspaceException($"Could not start '{Executable}': {ex.Message}. Is git installed and on PATH?", ex);
        }

        process.StandardInput.Close();
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        using var output = new MemoryStream();
        var outputTask = process.StandardOutput.BaseStream.CopyToAsync(output, CancellationToken.None);
        var errorTask = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await process.WaitForExitAsync(timeoutSource.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            await Task.WhenAll(outputTask, errorTask).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            throw new WorkspaceException($"git {Describe(arguments)} did not finish within {timeout} and was stopped.", null, isTransient: true);
        }

        await Task.WhenAll(outputTask, errorTask).ConfigureAwait(false);
        return new GitResult(process.ExitCode, output.ToArray(), await errorTask.ConfigureAwait(false));
    }

    /// <summary>Runs git and throws a <see cref="WorkspaceException"/> when it fails.</summary>
    /// <param name="workingDirectory">Where git runs.</param>
    /// <param name="arguments">The arguments.</param>
    /// <param name="timeout">Longest the command may run.</param>
    /// <param name="cancellationToken">Cancels (and kills) the command.</param>
    /// <param name="environment">Extra environment variables, or null.</param>
    /// <returns>The successful result.</returns>
    public async Task<GitResult> RunCheckedAsync(
        string workingDirectory,
        IReadOnlyList<string> arguments,
        TimeSpan timeout,
        CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var result = await RunAsync(workingDirectory, arguments, environment, timeout, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new WorkspaceException(
                $"git {Describe(arguments)} failed in '{workingDirectory}' (exit {result.ExitCode}): {GitErrors.Mask(result.StandardError.Trim())}");
        }

        return result;
    }

    /// <summary>The command's first arguments, for messages.</summary>
    /// <param name="arguments">The arguments.</param>
    /// <returns>The git subcommand and its options.</returns>
    public static string Describe(IEnumerable<string> arguments) => GitErrors.Mask(string.Join(' ', arguments.Take(4)));

    /// <summary>Removes the host's variables that could redirect git or print its credentials.</summary>
    /// <param name="environment">The child's environment, a copy of the host's.</param>
    internal static void RemoveInheritedVariables(IDictionary<string, string?> environment)
    {
        foreach (var name in InheritedGitVariables)
        {
            environment.Remove(name);
        }

        foreach (var name in environment.Keys.Where(n => InheritedGitVariablePrefixes.Any(p => n.StartsWith(p, StringComparison.Ordinal))).ToList())
        {
            environment.Remove(name);
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }
}
