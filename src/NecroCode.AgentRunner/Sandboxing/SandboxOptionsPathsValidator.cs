using Microsoft.Extensions.Options;

namespace NecroCode.AgentRunner.Sandboxing;

/// <summary>Checks that every path of <see cref="SandboxOptions"/> is absolute and not the file-system root.</summary>
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

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
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
