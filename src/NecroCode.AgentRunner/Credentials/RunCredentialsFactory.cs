using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace NecroCode.AgentRunner.Credentials;

/// <summary>Opens the <see cref="RunCredentials"/> of a run from the configured sources and names.</summary>
internal sealed class RunCredentialsFactory
{
    private readonly ICredentialProvider _provider;
    private readonly CredentialOptions _options;
    private readonly ISecretMasker _masker;
    private readonly ILogger _logger;

    /// <summary>Creates the factory.</summary>
    /// <param name="provider">Where secrets come from.</param>
    /// <param name="options">Which secrets a run needs.</param>
    /// <param name="masker">The masker every secret is added to.</param>
    /// <param name="logger">The logger.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public RunCredentialsFactory(ICredentialProvider provider, IOptions<CredentialOptions> options, ISecretMasker masker, ILogger<RunCredentials> logger)
    {
        _provider = provider ?? throw new ArgumentNullException(nameof(provider));
        _options = (options ?? throw new ArgumentNullException(nameof(options))).Value;
        _masker = masker ?? throw new ArgumentNullException(nameof(masker));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>Fetches the configured secrets (<see cref="CredentialOptions.Secrets"/>, <see cref="CredentialOptions.OptionalSecrets"/>).</summary>
    /// <param name="cancellationToken">Cancels the fetch.</param>
    /// <returns>The run's credentials; dispose them when the run ends.</returns>
    /// <exception cref="CredentialException">A required secret is missing or unreadable.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public Task<RunCredentials> OpenAsync(CancellationToken cancellationToken) =>
        RunCredentials.OpenAsync(_provider, _options.Secrets, _options.OptionalSecrets, _masker, _logger, cancellationToken);

    /// <summary>
    /// The runner's environment variables that must not reach a command running code from the change (test
    /// commands, command steps), each mapped to null so that it is removed from what the command inherits: the
    /// variables secrets are read from (<see cref="CredentialOptions.Environment"/> and the conventional
    /// <see cref="CredentialOptions.EnvironmentPrefix"/> name of every configured secret), every other
    /// <c>NECROCODE_*</c> variable, and every variable whose value holds a secret of <paramref name="secrets"/> or
    /// anything else the masker masks.
    /// </summary>
    /// <param name="secrets">The run's secrets.</param>
    /// <returns>The variables to remove, by name, each mapped to null.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="secrets"/> is null.</exception>
    public IReadOnlyDictionary<string, string?> HiddenEnvironment(IRunSecrets secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        return HiddenVariables.Find(_options, secrets, _masker, Environment.GetEnvironmentVariables());
    }
}
