using System.Collections;
using NecroCode.AgentRunner.Processes;

namespace NecroCode.AgentRunner.Credentials;

/// <summary>
/// The environment variables of the runner that hold a secret and so must not reach a command that runs code from
/// the change (test commands, command steps): by name and by value.
/// </summary>
internal static class HiddenVariables
{
    /// <summary>The prefix of the runner's own variables; every one is hidden but the process-tracking ones.</summary>
    internal const string RunnerPrefix = "NECROCODE_";

    /// <summary>
    /// Returns every variable of <paramref name="environment"/> to remove, each mapped to null (the
    /// <see cref="ProcessSpec.Environment"/> way of removing an inherited variable):
    /// the variables mapped in <see cref="CredentialOptions.Environment"/>; the conventional name
    /// (<see cref="CredentialOptions.EnvironmentPrefix"/> + name) of every configured or held secret; every
    /// <c>NECROCODE_*</c> variable (and every one with the configured prefix) but the process-tracking ones; and
    /// every variable whose value contains one of the run's secret values or that the masker would mask (a secret
    /// in one of its encodings, a well-known token shape).
    /// </summary>
    /// <param name="options">The credential options.</param>
    /// <param name="secrets">The run's secrets.</param>
    /// <param name="masker">The masker that knows every secret.</param>
    /// <param name="environment">The runner's environment (<see cref="System.Environment.GetEnvironmentVariables()"/>).</param>
    /// <returns>The variables to remove, by name.</returns>
    public static Dictionary<string, string?> Find(CredentialOptions options, IRunSecrets secrets, ISecretMasker masker, IDictionary environment)
    {
        var hidden = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var variable in options.Environment.Values)
        {
            hidden[variable] = null;
        }

        if (options.EnvironmentPrefix.Length > 0)
        {
            var names = options.Secrets.Concat(options.OptionalSecrets).Concat(options.Environment.Keys).Concat(options.Files.Keys).Concat(secrets.Names);
            foreach (var name in names.Where(CredentialNames.IsValidName))
            {
                hidden[CredentialNames.ConventionalVariable(options.EnvironmentPrefix, name)] = null;
            }
        }

        var values = new List<string>();
        foreach (var name in secrets.Names)
        {
            if (secrets.TryReveal(name, out var value) && value.Trim().Length > 0)
            {
                values.Add(value.Trim());
            }
        }

        foreach (DictionaryEntry entry in environment)
        {
            var name = (string)entry.Key;
            var value = entry.Value as string ?? "";
            if (IsRunnerVariable(name, options.EnvironmentPrefix)
                || values.Any(v => value.Contains(v, StringComparison.Ordinal))
                || masker.Apply(value) is var masked && !ReferenceEquals(masked, value) && masked != value)
            {
                hidden[name] = null;
            }
        }

        return hidden;
    }

    private static bool IsRunnerVariable(string name, string prefix) =>
        !name.StartsWith(ProcessRunner.TrackingVariablePrefix, StringComparison.Ordinal)
        && (name.StartsWith(RunnerPrefix, StringComparison.OrdinalIgnoreCase) || (prefix.Length > 0 && name.StartsWith(prefix, StringComparison.Ordinal)));
}
