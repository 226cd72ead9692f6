namespace NecroCode.AgentRunner.Credentials;

/// <summary>Where credentials are looked up.</summary>
public enum CredentialSource
{
    /// <summary>Files in <see cref="CredentialOptions.SecretDirectory"/>, one secret a file (a Kubernetes or Docker secret mount).</summary>
    SecretFile,

    /// <summary>Environment variables of the runner's process.</summary>
    Environment,
}
