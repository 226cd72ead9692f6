namespace NecroCode.AgentRunner.Execution.Remote;

/// <summary>The environment variables of a runner out of process: non-secret settings only; secrets travel as files.</summary>
public static class RemoteRunnerVariables
{
    /// <summary>
    /// Builds the runner's variables: <paramref name="environment"/> as is, <paramref name="settings"/> (configuration keys
    /// such as <c>NecroCode:Agent:Command</c>) as <c>NecroCode__Agent__Command</c>, the file-system root in the job folder's
    /// <c>state/</c>, and the settings that make it load the mounted secret files (<see cref="RemoteSecretFolder.AddRunnerVariables"/>).
    /// </summary>
    /// <param name="environment">Variables passed as they are.</param>
    /// <param name="settings">Runner settings by configuration key.</param>
    /// <param name="job">The run's job folder.</param>
    /// <param name="secrets">The secret folder of the run.</param>
    /// <param name="secretNames">The secret files' names (<see cref="RemoteSecretFolder.Learn"/>).</param>
    /// <param name="secretsMountPath">Where the runner inside sees the secret folder.</param>
    /// <returns>The variables by name.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static IReadOnlyDictionary<string, string> Build(
        IEnumerable<KeyValuePair<string, string>> environment,
        IEnumerable<KeyValuePair<string, string>> settings,
        RemoteJobFolder job,
        RemoteSecretFolder secrets,
        IReadOnlyList<string> secretNames,
        string secretsMountPath = RemoteSecretFolder.DefaultMountPath)
    {
        ArgumentNullException.ThrowIfNull(job);
        return BuildWithRoot(environment, settings, job.MountedStatePath, secrets, secretNames, secretsMountPath);
    }

    /// <summary>
    /// Builds the variables of a runner that has no job folder (a cluster pod): as <see cref="Build"/> does, with the runner's
    /// file-system root at <paramref name="fileSystemRoot"/> as it sees it.
    /// </summary>
    /// <param name="environment">Variables passed as they are.</param>
    /// <param name="settings">Runner settings by configuration key.</param>
    /// <param name="fileSystemRoot">The runner's file-system root (<c>NecroCode:FileSystem:RootPath</c>), as it sees it.</param>
    /// <param name="secrets">The secret folder of the run.</param>
    /// <param name="secretNames">The secret files' names (<see cref="RemoteSecretFolder.Learn"/>).</param>
    /// <param name="secretsMountPath">Where the runner inside sees the secret folder.</param>
    /// <returns>The variables by name.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static IReadOnlyDictionary<string, string> BuildWithRoot(
        IEnumerable<KeyValuePair<string, string>> environment,
        IEnumerable<KeyValuePair<string, string>> settings,
        string fileSystemRoot,
        RemoteSecretFolder secrets,
        IReadOnlyList<string> secretNames,
        string secretsMountPath = RemoteSecretFolder.DefaultMountPath)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(fileSystemRoot);
        ArgumentNullException.ThrowIfNull(secrets);
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in environment)
        {
            variables[name] = value;
        }

        foreach (var (name, value) in settings)
        {
            variables[name.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        variables["NecroCode__FileSystem__RootPath"] = fileSystemRoot;
        secrets.AddRunnerVariables(variables, secretNames, secretsMountPath);
        return variables;
    }
}
