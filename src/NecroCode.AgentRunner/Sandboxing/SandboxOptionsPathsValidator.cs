using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.Sandboxing.Egress;

namespace NecroCode.AgentRunner.Sandboxing;

/// <summary>
/// Checks that every path of <see cref="SandboxOptions"/> is absolute and not the file-system root, that the mode and the
/// network are known, and that the allowed hosts are hosts and go with <see cref="SandboxNetwork.Hosts"/>.
/// </summary>
internal sealed class SandboxOptionsPathsValidator : IValidateOptions<SandboxOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, SandboxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        Check(nameof(SandboxOptions.ExtraWritablePaths), options.ExtraWritablePaths, problems);
        Check(nameof(SandboxOptions.HiddenPaths), options.HiddenPaths, problems);
        Check(nameof(SandboxOptions.ExtraReadablePaths), options.ExtraReadablePaths, problems);
        if (!Enum.IsDefined(options.Mode))
        {
            problems.Add($"Mode: '{options.Mode}' is not one of {string.Join(", ", Enum.GetNames<SandboxMode>())}.");
        }

        if (!Enum.IsDefined(options.Network))
        {
            problems.Add($"Network: '{options.Network}' is not one of {string.Join(", ", Enum.GetNames<SandboxNetwork>())}.");
        }

        CheckHosts(options, problems);
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static void CheckHosts(SandboxOptions options, List<string> problems)
    {
        if (options.Network == SandboxNetwork.Hosts && options.AllowedHosts.Count == 0)
        {
            problems.Add("AllowedHosts: Network is Hosts but no host is allowed; list the hosts, or choose Network None for no network at all.");
        }
        else if (options.Network != SandboxNetwork.Hosts && options.AllowedHosts.Count > 0)
        {
            problems.Add($"AllowedHosts: hosts are listed but Network is {options.Network}, which does not use them; set Network to Hosts to allow only them.");
        }

        if (options.Mode == SandboxMode.Off && options.Network != SandboxNetwork.Any)
        {
            problems.Add($"Network: {options.Network} needs the sandbox, but Mode is Off; choose a mode, or Network Any.");
        }

        for (var i = 0; i < options.AllowedHosts.Count; i++)
        {
            if (HostAllowList.Problem(options.AllowedHosts[i]) is { } problem)
            {
                problems.Add($"AllowedHosts[{i}]: {problem}");
            }
        }
    }

    private static void Check(string setting, IList<string> paths, List<string> problems)
    {
        for (var i = 0; i < paths.Count; i++)
        {
            var path = paths[i];
            if (string.IsNullOrWhiteSpace(path) || !Path.IsPathFullyQualified(path))
            {
                problems.Add($"{setting}[{i}]: '{path}' is not an absolute path.");
            }
            else if (Path.GetFullPath(path) == "/")
            {
                problems.Add($"{setting}[{i}]: the file-system root cannot be listed; name the folders themselves.");
            }
        }
    }
}
