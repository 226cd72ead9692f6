using System.Text;

namespace NecroCode.AgentRunner.Testing;

/// <summary>
/// An <see cref="ISecretMasker"/> that masks exactly the values added to it (no encodings, no token shapes) and
/// records what it was given; thread-safe.
/// </summary>
public sealed class FakeSecretMasker : ISecretMasker
{
    private readonly Dictionary<string, int> _secrets = new(StringComparer.Ordinal);
    private readonly List<string> _added = [];
    private readonly List<string> _removed = [];
    private readonly Lock _gate = new();

    /// <summary>The text that replaces a secret. Default <c>***</c>.</summary>
    public string Mask { get; init; } = "***";

    /// <summary>Every value added, in order, repeats included.</summary>
    public IReadOnlyList<string> Added
    {
        get
        {
            lock (_gate)
            {
                return [.. _added];
            }
        }
    }

    /// <summary>Every value removed, in order, repeats included.</summary>
    public IReadOnlyList<string> Removed
    {
        get
        {
            lock (_gate)
            {
                return [.. _removed];
            }
        }
    }

    /// <summary>The values masked now, in ordinal order.</summary>
    public IReadOnlyList<string> Secrets
    {
        get
        {
            lock (_gate)
            {
                return [.. _secrets.Keys.Order(StringComparer.Ordinal)];
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>The length of the longest value masked now, minus one.</remarks>
    public int CutLookahead
    {
        get
        {
            lock (_gate)
            {
                return _secrets.Count == 0 ? 0 : _secrets.Keys.Max(s => s.Length) - 1;
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>An empty value is recorded but masks nothing.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is null.</exception>
    public void AddSecret(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        lock (_gate)
        {
            _added.Add(value);
            if (value.Length > 0)
            {
                _secrets[value] = _secrets.GetValueOrDefault(value) + 1;
            }
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is null.</exception>
    public void RemoveSecret(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        lock (_gate)
        {
            _removed.Add(value);
            if (_secrets.TryGetValue(value, out var count))
            {
                if (count > 1)
                {
                    _secrets[value] = count - 1;
                }
                else
                {
                    _secrets.Remove(value);
                }
            }
        }
    }

    /// <inheritdoc />
    public int FindCut(ReadOnlySpan<char> text, int limit, bool textEnds)
    {
        var secrets = Snapshot();
        var first = Math.Clamp(limit, 1, Math.Max(1, text.Length));
        var cut = first;
        while (true)
        {
            var crossing = FirstCrossing(secrets, text, cut, textEnds);
            if (crossing < 0)
            {
                return cut;
            }

            if (crossing == 0)
            {
                // A secret longer than a piece starts the text: it cannot be kept whole.
                return first;
            }

            cut = crossing;
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    public string Apply(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var secrets = Snapshot();
        StringBuilder? masked = null;
        var copied = 0;
        var position = 0;
        while (position < text.Length)
        {
            var match = secrets.FirstOrDefault(s => text.AsSpan(position).StartsWith(s, StringComparison.Ordinal));
            if (match is null)
            {
                position++;
                continue;
            }

            masked ??= new StringBuilder(text.Length);
            masked.Append(text, copied, position - copied).Append(Mask);
            position += match.Length;
            copied = position;
        }

        return masked is null ? text : masked.Append(text, copied, text.Length - copied).ToString();
    }

    /// <summary>The values masked now, longest first.</summary>
    private string[] Snapshot()
    {
        lock (_gate)
        {
            return [.. _secrets.Keys.OrderByDescending(s => s.Length).ThenBy(s => s, StringComparer.Ordinal)];
        }
    }

    /// <summary>
    /// The start of the first value that begins before <paramref name="cut"/> and ends after it, or may (the text
    /// stops inside it and more follows); -1 when none.
    /// </summary>
    private static int FirstCrossing(string[] secrets, ReadOnlySpan<char> text, int cut, bool textEnds)
    {
        for (var position = 0; position < cut && position < text.Length; position++)
        {
            var rest = text[position..];
            foreach (var secret in secrets)
            {
                var whole = rest.StartsWith(secret, StringComparison.Ordinal) && position + secret.Length > cut;
                var cutShort = !textEnds && rest.Length < secret.Length && secret.AsSpan().StartsWith(rest, StringComparison.Ordinal);
                if (whole || cutShort)
                {
                    return position;
                }
            }
        }

        return -1;
    }
}
