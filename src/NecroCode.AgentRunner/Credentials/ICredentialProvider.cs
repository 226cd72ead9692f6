namespace NecroCode.AgentRunner.Credentials;

/// <summary>Finds a credential (git token, agent API key) by name.</summary>
public interface ICredentialProvider
{
    /// <summary>Looks up the secret called <paramref name="name"/>.</summary>
    /// <param name="name">The secret's name, e.g. <c>git-token</c>.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The secret, owned (and disposed) by the caller; null when this provider does not have it.</returns>
    /// <exception cref="CredentialException">The secret exists but may not or cannot be read.</exception>
    ValueTask<Secret?> GetAsync(string name, CancellationToken cancellationToken);
}
