using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace NecroCode.AgentRunner.Credentials;

/// <summary>
/// The credentials of one run: fetched at its start, each registered with the <see cref="ISecretMasker"/>
/// (so it and its encodings are masked everywhere from then on), and wiped when the run ends — every
/// buffer zeroed and every helper file (<see cref="CreateFile"/>) removed. Open it at the start of a run
/// and dispose it in a <c>finally</c>; once nothing of the run is written any more, call <see cref="StopMasking"/>.
/// </summary>
internal sealed partial class RunCredentials : IRunSecrets, IDisposable, IAsyncDisposable
{
    private readonly Dictionary<string, Secret> _secrets;
    private readonly List<TemporarySecretFile> _files = [];
    private readonly Lock _gate = new();
    private readonly ILogger _logger;
    private readonly ISecretMasker _masker;
    private List<string>? _masked;
    private bool _disposed;

    private RunCredentials(Dictionary<string, Secret> secrets, ISecretMasker masker, List<string> masked, ILogger logger)
    {
        _secrets = secrets;
        _masker = masker;
        _masked = masked;
        _logger = logger;
    }

    /// <summary>The names of the secrets held.</summary>
    public IReadOnlyCollection<string> Names
    {
        get
        {
            lock (_gate)
            {
                return [.. _secrets.Keys];
            }
        }
    }

    /// <summary>Fetches <paramref name="required"/> and <paramref name="optional"/> secrets and registers them with <paramref name="masker"/>.</summary>
    /// <param name="provider">Where the secrets come from.</param>
    /// <param name="required">Secrets that must exist.</param>
    /// <param name="optional">Secrets taken when present.</param>
    /// <param name="masker">The masker every secret is added to.</param>
    /// <param name="logger">The logger (names only, never values); null for none.</param>
    /// <param name="cancellationToken">Cancels the fetch; whatever was fetched is wiped.</param>
    /// <returns>The run's credentials.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="CredentialException">A required secret is missing or unreadable (nothing stays in memory).</exception>
    /// <exception cref="OperationCanceledException">Cancelled (nothing stays in memory).</exception>
    public static async Task<RunCredentials> OpenAsync(
        ICredentialProvider provider,
        IEnumerable<string> required,
        IEnumerable<string> optional,
        ISecretMasker masker,
        ILogger? logger,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(required);
        ArgumentNullException.ThrowIfNull(optional);
        ArgumentNullException.ThrowIfNull(masker);
        var log = logger ?? NullLogger.Instance;
        var secrets = new Dictionary<string, Secret>(StringComparer.Ordinal);
        var masked = new List<string>();
        try
        {
            foreach (var (name, isRequired) in required.Select(n => (n, true)).Concat(optional.Select(n => (n, false))))
            {
                if (secrets.ContainsKey(name))
                {
                    continue;
                }

                var secret = await provider.GetAsync(name, cancellationToken).ConfigureAwait(false);
                if (secret is null)
                {
                    if (isRequired)
                    {
                        throw new CredentialException($"The secret '{name}' was not found by any credential source.");
                    }

                    Log.OptionalSecretMissing(log, name);
                    continue;
                }

                secrets.Add(name, secret);
                var value = secret.Reveal();
                masker.AddSecret(value);
                masked.Add(value);
                Log.SecretLoaded(log, name, secret.Length);
            }

            return new RunCredentials(secrets, masker, masked, log);
        }
        catch
        {
            foreach (var value in masked)
            {
                masker.RemoveSecret(value);
            }

            foreach (var secret in secrets.Values)
            {
                secret.Dispose();
            }

            throw;
        }
    }

    /// <summary>The secret called <paramref name="name"/>, if held.</summary>
    /// <param name="name">The secret's name.</param>
    /// <param name="secret">The secret; owned by this object, valid until it is disposed.</param>
    /// <returns>Whether it is held.</returns>
    /// <exception cref="ObjectDisposedException">The credentials were wiped.</exception>
    public bool TryGet(string name, out Secret secret)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _secrets.TryGetValue(name, out secret!);
        }
    }

    /// <inheritdoc />
    public bool TryReveal(string name, [NotNullWhen(true)] out string? value)
    {
        value = TryGet(name, out var secret) ? secret.Reveal() : null;
        return value is not null;
    }

    /// <summary>
    /// Writes a helper file for git or the agent (an askpass script, a credentials file) that is removed
    /// when these credentials are disposed; see <see cref="TemporarySecretFile"/>.
    /// </summary>
    /// <param name="fileName">The file's name.</param>
    /// <param name="content">Its content.</param>
    /// <param name="executable">Whether it is a script the owner may run.</param>
    /// <param name="parentDirectory">Where its private folder goes; default the system temp folder.</param>
    /// <returns>The file.</returns>
    /// <exception cref="ObjectDisposedException">The credentials were wiped.</exception>
    /// <exception cref="ArgumentException"><paramref name="fileName"/> is not a plain file name.</exception>
    /// <exception cref="IOException">The file could not be written (nothing is left behind).</exception>
    public TemporarySecretFile CreateFile(string fileName, ReadOnlySpan<char> content, bool executable = false, string? parentDirectory = null)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var file = TemporarySecretFile.Create(fileName, content, executable, parentDirectory);
            _files.Add(file);
            return file;
        }
    }

    /// <summary>
    /// Removes this run's secrets from the masker (<see cref="ISecretMasker.RemoveSecret"/>; a value another run
    /// still holds stays masked). Call it once nothing of the run will be written any more — after its result was
    /// masked — since text written later is no longer masked for these values. Safe to call twice, and before or
    /// after <see cref="Dispose"/>.
    /// </summary>
    public void StopMasking()
    {
        List<string>? masked;
        lock (_gate)
        {
            (masked, _masked) = (_masked, null);
        }

        foreach (var value in masked ?? [])
        {
            _masker.RemoveSecret(value);
        }
    }

    /// <summary>Removes every helper file and zeroes every secret; safe to call twice. The masker keeps masking them until <see cref="StopMasking"/>.</summary>
    /// <exception cref="AggregateException">A helper file could not be removed (all others were; the secrets are zeroed).</exception>
    public void Dispose()
    {
        List<Exception>? errors = null;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            foreach (var file in _files)
            {
                try
                {
                    file.Dispose();
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    Log.FileNotRemoved(_logger, file.Path, ex.GetType().Name);
                    (errors ??= []).Add(ex);
                }
            }

            foreach (var secret in _secrets.Values)
            {
                secret.Dispose();
            }

            Log.Wiped(_logger, _secrets.Count, _files.Count);
            _files.Clear();
        }

        if (errors is not null)
        {
            throw new AggregateException("A credential helper file could not be removed.", errors);
        }
    }

    /// <inheritdoc cref="Dispose"/>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
