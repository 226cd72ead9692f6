using Microsoft.Extensions.Options;

namespace NecroCode.AgentRunner.Git;

/// <summary>Checks the rules of <see cref="GitOptions"/> that attributes cannot express.</summary>
internal sealed class GitOptionsPatternValidator : IValidateOptions<GitOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, GitOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        foreach (var pattern in options.ProtectedBranches)
        {
            if (string.IsNullOrWhiteSpace(pattern))
            {
                failures.Add("GitOptions.ProtectedBranches: a pattern is empty.");
            }
        }

        foreach (var pattern in options.KeepIgnoredFiles)
        {
            if (string.IsNullOrWhiteSpace(pattern))
            {
                failures.Add("GitOptions.KeepIgnoredFiles: a pattern is empty.");
            }
        }

        if (options.AuthorEmail.Contains('<', StringComparison.Ordinal) || options.AuthorEmail.Contains('>', StringComparison.Ordinal) ||
            options.AuthorName.Contains('<', StringComparison.Ordinal) || options.AuthorName.Contains('>', StringComparison.Ordinal))
        {
            failures.Add("GitOptions.AuthorName/AuthorEmail: must not contain '<' or '>'.");
        }

        if (options.Username.Contains(':', StringComparison.Ordinal))
        {
            failures.Add("GitOptions.Username: must not contain ':' (it is sent as HTTP Basic user name).");
        }

        if (options.TokenFile is { } tokenFile && string.IsNullOrWhiteSpace(tokenFile))
        {
            failures.Add("GitOptions.TokenFile: is blank; leave it unset to read the token from GitOptions.TokenVariable.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
