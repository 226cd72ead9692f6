namespace NecroCode.AgentRunner.Agents;

/// <summary>Puts the run secrets an agent receives into its environment, each under the variable mapped to it.</summary>
internal static class AgentSecretVariables
{
    /// <summary>The secret names of <paramref name="map"/> whose variable is set (entries with an empty variable are off).</summary>
    public static IEnumerable<string> Names(IEnumerable<KeyValuePair<string, string>> map) =>
        map.Where(e => !string.IsNullOrEmpty(e.Value)).Select(e => e.Key);

    /// <summary>Sets, for each entry of <paramref name="map"/> whose secret <paramref name="secrets"/> holds, its variable.</summary>
    /// <returns>The variables set.</returns>
    public static HashSet<string> Apply(IRunSecrets secrets, IEnumerable<KeyValuePair<string, string>> map, IDictionary<string, string?> environment)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (secret, variable) in map)
        {
            if (!string.IsNullOrEmpty(variable) && secrets.TryReveal(secret, out var value) && value.Length > 0)
            {
                environment[variable] = value;
                set.Add(variable);
            }
        }

        return set;
    }

    /// <summary>The problems of <paramref name="map"/>: secret names and variable names that are not valid.</summary>
    public static IEnumerable<string> Validate(string type, string member, IEnumerable<KeyValuePair<string, string>> map)
    {
        foreach (var (secret, variable) in map)
        {
            if (!Credentials.CredentialNames.IsValidName(secret))
            {
                yield return $"{type}.{member} key '{secret}' is not a secret name (letters, digits, '-', '_', '.'; not starting with '.').";
            }

            if (!string.IsNullOrEmpty(variable) && !Credentials.CredentialNames.IsValidVariable(variable))
            {
                yield return $"{type}.{member}[{secret}] '{variable}' is not an environment variable name (letters, digits, '_'); leave it empty to turn the entry off.";
            }
        }
    }
}
