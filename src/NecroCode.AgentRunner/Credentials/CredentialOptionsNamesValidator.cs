using Microsoft.Extensions.Options;

namespace NecroCode.AgentRunner.Credentials;

/// <summary>Checks the names, file names and variable names of <see cref="CredentialOptions"/>.</summary>
internal sealed class CredentialOptionsNamesValidator : IValidateOptions<CredentialOptions>
{
    public ValidateOptionsResult Validate(string? name, CredentialOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        foreach (var (list, field) in new[] { (options.Secrets, nameof(options.Secrets)), (options.OptionalSecrets, nameof(options.OptionalSecrets)) })
        {
            for (var i = 0; i < list.Count; i++)
            {
                if (!CredentialNames.IsValidName(list[i]))
                {
                    failures.Add($"{field}[{i}] '{list[i]}' is not a secret name (letters, digits, '-', '_', '.'; not starting with '.').");
                }
            }
        }

        foreach (var (secret, file) in options.Files)
        {
            if (!CredentialNames.IsValidName(secret) || !CredentialNames.IsValidName(file))
            {
                failures.Add($"{nameof(options.Files)}[{secret}] '{file}' must map a secret name to a plain file name inside the secret directory.");
            }
        }

        foreach (var (secret, variable) in options.Environment)
        {
            if (!CredentialNames.IsValidName(secret) || !CredentialNames.IsValidVariable(variable))
            {
                failures.Add($"{nameof(options.Environment)}[{secret}] '{variable}' must map a secret name to an environment variable name.");
            }
        }

        if (options.EnvironmentPrefix.Length > 0 && !CredentialNames.IsValidVariable(options.EnvironmentPrefix))
        {
            failures.Add($"{nameof(options.EnvironmentPrefix)} '{options.EnvironmentPrefix}' is not the start of an environment variable name.");
        }

        if (options.Order is { } order && order.Distinct().Count() != order.Count)
        {
            failures.Add($"{nameof(options.Order)} names a source twice.");
        }

        if (options.SecretDirectory is { } directory && (directory.Length == 0 || directory.Contains('\0', StringComparison.Ordinal)))
        {
            failures.Add($"{nameof(options.SecretDirectory)} must be a folder path.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
