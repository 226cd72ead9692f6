namespace NecroCode.AgentRunner.IntegrationTests.Canary;

/// <summary>How the canaries reach the runner (its <c>NecroCode:Credentials</c> settings read them).</summary>
public enum CanarySource
{
    /// <summary>Environment variables <c>NECROCODE_GIT_TOKEN</c> and <c>NECROCODE_API_KEY</c>.</summary>
    Environment,

    /// <summary>A secret-mount folder with the files <c>git-token</c> and <c>api-key</c>.</summary>
    SecretFile,
}
