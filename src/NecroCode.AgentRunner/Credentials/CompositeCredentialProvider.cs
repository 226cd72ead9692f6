namespace NecroCode.AgentRunner.Credentials;

/// <summary>Asks its providers in order; the first that has the secret wins.</summary>
internal sealed class CompositeCredentialProvider : ICredentialProvider
{
    private readonly IReadOnlyList<ICredentialProvider> _providers;

    /// <summary>Creates the provider over <paramref name="providers"/>, asked in the given order.</summary>
    /// <param name="providers">The providers.</param>
    /// <exception cref="ArgumentNullException"><paramref name="providers"/> or one of them is null.</exception>
    public CompositeCredentialProvider(IEnumerable<ICredentialProvider> providers)
    {
        ArgumentNullException.ThrowIfNull(providers);
        _providers = [.. providers];
        if (_providers.Any(p => p is null))
        {
            throw new ArgumentNullException(nameof(providers), "A credential provider is null.");
        }
    }

    /// <summary>The providers, in the order they are asked.</summary>
    public IReadOnlyList<ICredentialProvider> Providers => _providers;

    /// <inheritdoc />
    public async ValueTask<Secret?> GetAsync(string name, CancellationToken cancellationToken)
    {
        foreach (var provider in _providers)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (await provider.GetAsync(name, cancellationToken).ConfigureAwait(false) is { } secret)
            {
                return secret;
            }
        }

        return null;
    }
}
