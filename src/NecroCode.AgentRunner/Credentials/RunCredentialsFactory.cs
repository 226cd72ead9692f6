using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace NecroCode.AgentRunner.Credentials;

/// <summary>Opens the <see cref="RunCredentials"/> of a run from the configured sources and names.</summary>
public sealed class RunCredentialsFactory
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
}
