using Microsoft.Extensions.Options;

namespace NecroCode.AgentRunner.Docker;

/// <summary>Checks the cross-field rules of <see cref="DockerOptions"/>: the endpoint and the mounts.</summary>
internal sealed class DockerOptionsPathsValidator : IValidateOptions<DockerOptions>
{
    public ValidateOptionsResult Validate(string? name, DockerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!Uri.TryCreate(options.Endpoint, UriKind.Absolute, out _))
        {
            failures.Add($"NecroCode:Docker:Endpoint '{options.Endpoint}' is not an absolute URI (e.g. unix:///var/run/docker.sock).");
        }

        for (var i = 0; i < options.ExtraMounts.Count; i++)
        {
            var mount = options.ExtraMounts[i];
            if (!Path.IsPathFullyQualified(mount.Source))
            {
                failures.Add($"NecroCode:Docker:ExtraMounts:{i}:Source '{mount.Source}' must be an absolute host path.");
            }

            if (mount.Target is not null && !mount.Target.StartsWith('/'))
            {
                failures.Add($"NecroCode:Docker:ExtraMounts:{i}:Target '{mount.Target}' must be an absolute path.");
            }
        }

        foreach (var key in options.Environment.Keys.Where(k => k.Length == 0 || k.Contains('=', StringComparison.Ordinal)))
        {
            failures.Add($"NecroCode:Docker:Environment has an invalid variable name '{key}'.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
