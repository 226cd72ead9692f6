using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace NecroCode.AgentRunner.Security;

/// <summary>
/// Masks known secret values, their common encodings (base64 and base64url in all three alignments,
/// URL-encoded, JSON-escaped, hex) and well-known token shapes. Thread-safe: secrets may be added while
/// other threads mask. For streams wrap the sink in a <see cref="SecretMaskingWriter"/> or
/// <see cref="SecretMaskingStream"/>.
/// </summary>
/// <remarks>
/// All variants and token prefixes are found in one vectorised pass (<see cref="System.Buffers.SearchValues{T}"/>
/// of strings); only at a candidate position the longest variant is chosen and a token shape validated.
/// The search table is rebuilt lazily, copy-on-write, on the first use after secrets were added or removed.
/// Secrets are reference-counted: a value added by two runs stays masked until both have removed it.
/// </remarks>
public sealed partial class SecretMasker : ISecretMasker
{
    private readonly SecretMaskerOptions _options;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly HashSet<string> _variants = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _secrets = new(StringComparer.Ordinal);
    private MaskingSnapshot _snapshot;
    private MaskingSnapshot? _valuesSnapshot;
    private int _version;

    /// <summary>Creates a masker from configured options.</summary>
    /// <param name="options">The masking options.</param>
    /// <param name="logger">The logger; it never receives a secret.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public SecretMasker(IOptions<SecretMaskerOptions> options, ILogger<SecretMasker> logger)
        : this(options?.Value ?? throw new ArgumentNullException(nameof(options)), (ILogger)(logger ?? throw new ArgumentNullException(nameof(logger))))
    {
    }

    /// <summary>Creates a masker with the default options.</summary>
    public SecretMasker()
        : this(new SecretMaskerOptions(), NullLogger.Instance)
    {
    }

    /// <summary>Creates a masker with the given options.</summary>
    /// <param name="options">The masking options.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public SecretMasker(SecretMaskerOptions options)
        : this(options ?? throw new ArgumentNullException(nameof(options)), NullLogger.Instance)
    {
    }

    private SecretMasker(SecretMaskerOptions options, ILogger logger)
    {
        if (options.MinimumSecretLength < 1)
        {
            throw new ArgumentException($"{nameof(SecretMaskerOptions.MinimumSecretLength)} must be at least 1, was {options.MinimumSecretLength}.", nameof(options));
        }

        if (string.IsNullOrEmpty(options.Mask))
        {
            throw new ArgumentException($"{nameof(SecretMaskerOptions.Mask)} must not be empty.", nameof(options));
        }

        _options = options;
        _logger = logger;
        _snapshot = MaskingSnapshot.Create(0, [], options.MaskTokenShapes);
    }

    /// <inheritdoc />
    public string Mask => _options.Mask;

    /// <summary>The number of distinct secrets masked by value.</summary>
    public int SecretCount
    {
        get
        {
            lock (_gate)
            {
                return _secrets.Count;
            }
        }
    }

    /// <summary>The search table for the secrets added so far; rebuilt when secrets were added since.</summary>
    internal MaskingSnapshot Current
    {
        get
        {
            var snapshot = Volatile.Read(ref _snapshot);
            return snapshot.Version == Volatile.Read(ref _version) ? snapshot : Rebuild();
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is null.</exception>
    public void AddSecret(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var trimmed = value.Trim();
        if (trimmed.Length < _options.MinimumSecretLength)
        {
            if (trimmed.Length > 0)
            {
                Log.SecretTooShort(_logger, trimmed.Length, _options.MinimumSecretLength);
            }

            return;
        }

        lock (_gate)
        {
            var added = false;
            foreach (var secret in Forms(value, trimmed))
            {
                _secrets[secret] = _secrets.GetValueOrDefault(secret) + 1;
                if (_secrets[secret] == 1)
                {
                    SecretVariants.AddTo(secret, _options.MinimumSecretLength, _variants);
                    added = true;
                }
            }

            if (added)
            {
                Volatile.Write(ref _version, _version + 1);
                Log.SecretAdded(_logger, _secrets.Count, _variants.Count);
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// The value stops being masked when every <see cref="AddSecret"/> of it has been matched by a removal; the
    /// search table is then rebuilt without it. Strings of the value that were handed out or built (variants,
    /// older tables still in use by a stream) cannot be zeroed; the garbage collector reclaims them.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is null.</exception>
    public void RemoveSecret(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var trimmed = value.Trim();
        if (trimmed.Length < _options.MinimumSecretLength)
        {
            return;
        }

        lock (_gate)
        {
            var removed = false;
            foreach (var secret in Forms(value, trimmed))
            {
                if (!_secrets.TryGetValue(secret, out var count))
                {
                    continue;
                }

                if (count > 1)
                {
                    _secrets[secret] = count - 1;
                    continue;
                }

                _secrets.Remove(secret);
                removed = true;
            }

            if (removed)
            {
                _variants.Clear();
                foreach (var secret in _secrets.Keys)
                {
                    SecretVariants.AddTo(secret, _options.MinimumSecretLength, _variants);
                }

                Volatile.Write(ref _version, _version + 1);
                Log.SecretRemoved(_logger, _secrets.Count, _variants.Count);
            }
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    public string Apply(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Apply(Current, text);
    }

    /// <summary>
    /// Masks only the known secret values and their encodings, not token shapes: for text that must stay exact
    /// unless it really holds a secret (the unchanged context lines of a patch).
    /// </summary>
    /// <param name="text">Text that may hold secrets.</param>
    /// <returns>The masked text; the same instance when nothing was found.</returns>
    internal string ApplyKnownValues(string text) => _options.MaskTokenShapes ? Apply(ValuesSnapshot, text) : Apply(text);

    /// <summary>The search table without token shapes; rebuilt like <see cref="Current"/>.</summary>
    private MaskingSnapshot ValuesSnapshot
    {
        get
        {
            var snapshot = Volatile.Read(ref _valuesSnapshot);
            if (snapshot is not null && snapshot.Version == Volatile.Read(ref _version))
            {
                return snapshot;
            }

            lock (_gate)
            {
                snapshot = _valuesSnapshot;
                if (snapshot is null || snapshot.Version != _version)
                {
                    snapshot = MaskingSnapshot.Create(_version, _variants, tokenShapes: false);
                    Volatile.Write(ref _valuesSnapshot, snapshot);
                }

                return snapshot;
            }
        }
    }

    private string Apply(MaskingSnapshot snapshot, string text)
    {
        var finder = new CandidateFinder(snapshot, '\0');
        if (finder.Next(text, 0) < 0)
        {
            return text;
        }

        using var output = new MaskOutput(_options.Mask, text.Length + 16);
        var open = 0;
        MaskingScanner.Scan(snapshot, text, final: true, '\0', ref open, output);
        return output.Masked ? new string(output.Written) : text;
    }

    private static string[] Forms(string value, string trimmed) => trimmed.Length == value.Length ? [value] : [value, trimmed];

    private MaskingSnapshot Rebuild()
    {
        lock (_gate)
        {
            var snapshot = _snapshot;
            if (snapshot.Version == _version)
            {
                return snapshot;
            }

            snapshot = MaskingSnapshot.Create(_version, _variants, _options.MaskTokenShapes);
            Volatile.Write(ref _snapshot, snapshot);
            Log.TableRebuilt(_logger, _secrets.Count, snapshot.VariantCount);
            return snapshot;
        }
    }
}
