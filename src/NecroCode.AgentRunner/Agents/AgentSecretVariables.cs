namespace NecroCode.AgentRunner.Agents;

/// <summary>Reads and checks the map of run secrets an agent receives, each to the environment variable it is put in.</summary>
internal static class AgentSecretVariables
{
    /// <summary>The secret names of <paramref name="map"/> whose variable is set (entries with an empty variable are off).</summary>
    public static IEnumerable<string> Names(IEnumerable<KeyValuePair<string, string>> map) =>
        map.Where(e => !string.IsNullOrEmpty(e.Value)).Select(e => e.Key);

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
