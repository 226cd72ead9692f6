using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.PostgreSql.Connection;

namespace NecroCode.AgentRunner.PostgreSql;

/// <summary>Checks <see cref="PostgreSqlOptions"/>' attribute rules (source-generated).</summary>
[OptionsValidator]
internal sealed partial class PostgreSqlOptionsValidator : IValidateOptions<PostgreSqlOptions>;

/// <summary>Checks the rules that span several <see cref="PostgreSqlOptions"/> members, and the connection string's form.</summary>
internal sealed class PostgreSqlOptionsConsistencyValidator : IValidateOptions<PostgreSqlOptions>
{
    public ValidateOptionsResult Validate(string? name, PostgreSqlOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var hasString = !string.IsNullOrWhiteSpace(options.ConnectionString);
        var hasSecret = !string.IsNullOrWhiteSpace(options.ConnectionStringSecret);
        if (hasString == hasSecret)
        {
            failures.Add(hasString
                ? $"{PostgreSqlOptions.SectionName}: set ConnectionString or ConnectionStringSecret, not both."
                : $"{PostgreSqlOptions.SectionName}: set ConnectionString (or ConnectionStringSecret, the name of the secret that holds it).");
        }

        if (hasString && ConnectionTarget.Problem(options.ConnectionString!) is { } problem)
        {
            failures.Add($"{PostgreSqlOptions.SectionName}:ConnectionString {problem}");
        }

        if (options.MaxReconnectBackoff < options.ReconnectBackoff)
        {
            failures.Add($"{PostgreSqlOptions.SectionName}:MaxReconnectBackoff ({options.MaxReconnectBackoff}) must not be shorter than ReconnectBackoff ({options.ReconnectBackoff}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
