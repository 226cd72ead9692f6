using Microsoft.Extensions.Options;

namespace NecroCode.AgentRunner.Credentials;

/// <summary>
/// Reads secrets from the runner's environment variables: the one named in <see cref="CredentialOptions.Environment"/>,
/// else <see cref="CredentialOptions.EnvironmentPrefix"/> + the name (<c>git-token</c> → <c>NECROCODE_GIT_TOKEN</c>).
/// An empty variable counts as absent.
/// </summary>
internal sealed class EnvironmentCredentialProvider : ICredentialProvider
{
    private readonly CredentialOptions _options;
    private readonly Func<string, string?> _read;

    /// <summary>Creates the provider over the process environment.</summary>
    /// <param name="options">The credential options.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    public EnvironmentCredentialProvider(IOptions<CredentialOptions> options)
        : this(options, System.Environment.GetEnvironmentVariable)
    {
    }

    /// <summary>Creates the provider over another variable source (tests, a child environment).</summary>
    internal EnvironmentCredentialProvider(IOptions<CredentialOptions> options, Func<string, string?> read)
    {
        _options = (options ?? throw new ArgumentNullException(nameof(options))).Value;
        _read = read;
    }

    /// <summary>The environment variable a secret is read from.</summary>
    /// <param name="name">The secret's name.</param>
    /// <returns>The variable name, or null when none is mapped and there is no prefix.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a valid secret name.</exception>
    public string? VariableFor(string name)
    {
        CredentialNames.ThrowIfInvalid(name);
        return _options.Environment.TryGetValue(name, out var variable) ? variable
            : _options.EnvironmentPrefix.Length > 0 ? CredentialNames.ConventionalVariable(_options.EnvironmentPrefix, name)
            : null;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a valid secret name.</exception>
    public ValueTask<Secret?> GetAsync(string name, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var variable = VariableFor(name);
        var value = variable is null ? null : _read(variable);
        return ValueTask.FromResult(string.IsNullOrEmpty(value) ? null : new Secret(name, value));
    }
}
