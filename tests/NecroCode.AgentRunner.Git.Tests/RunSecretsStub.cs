using System.Diagnostics.CodeAnalysis;

namespace NecroCode.AgentRunner.Git.Tests;

/// <summary>One named secret, as a run hands it to the workspace manager.</summary>
internal sealed class RunSecretsStub(string name, string value) : IRunSecrets
{
    public IReadOnlyCollection<string> Names => [name];

    public bool TryReveal(string secretName, [NotNullWhen(true)] out string? secretValue)
    {
        secretValue = secretName == name ? value : null;
        return secretValue is not null;
    }
}
