namespace NecroCode.AgentRunner.Security;

/// <summary>
/// The next candidate position in one buffer: the earliest next hit of the snapshot's
/// <see cref="System.Buffers.SearchValues{T}"/>, of its <see cref="QGramIndex"/> and of the
/// <see cref="ApiKeyPrefixFinder"/>. Each search result is kept until the scan passes it, so no search runs
/// twice over the same text.
/// </summary>
internal struct CandidateFinder
{
    private const int Unknown = int.MinValue;

    private readonly MaskingSnapshot _snapshot;
    private readonly char _previous;
    private int _search;
    private int _index;
    private int _apiKey;

    /// <summary>Creates a finder for one buffer.</summary>
    /// <param name="snapshot">The search table.</param>
    /// <param name="previous">The character before the buffer; <c>'\0'</c> when none.</param>
    public CandidateFinder(MaskingSnapshot snapshot, char previous)
    {
        _snapshot = snapshot;
        _previous = previous;
        _search = snapshot.Search is null ? -1 : Unknown;
        _index = snapshot.Index is null ? -1 : Unknown;
        _apiKey = snapshot.TokenShapes ? Unknown : -1;
    }

    /// <summary>The first candidate at or after <paramref name="from"/>, or -1.</summary>
    /// <param name="buffer">The same buffer on every call.</param>
    /// <param name="from">The first position to consider; never decreases between calls.</param>
    /// <returns>The position, or -1.</returns>
    public int Next(ReadOnlySpan<char> buffer, int from)
    {
        if (_search != -1 && _search < from)
        {
            _search = NextSearchHit(buffer, from);
        }

        if (_index != -1 && _index < from)
        {
            _index = _snapshot.Index!.IndexOf(buffer, from);
        }

        if (_apiKey != -1 && _apiKey < from)
        {
            _apiKey = ApiKeyPrefixFinder.IndexOf(buffer, from, _previous);
        }

        return Earliest(Earliest(_search, _index), _apiKey);
    }

    private static int Earliest(int first, int second) => first < 0 ? second : second < 0 ? first : Math.Min(first, second);

    /// <summary>
    /// The next hit of the <see cref="System.Buffers.SearchValues{T}"/>. When it holds only token prefixes,
    /// a hit inside a word is skipped here: every token shape but a PEM block (which starts with <c>-</c>)
    /// must start a word, so the shape check would reject it anyway.
    /// </summary>
    private readonly int NextSearchHit(ReadOnlySpan<char> buffer, int from)
    {
        while (true)
        {
            var relative = buffer.Slice(from).IndexOfAny(_snapshot.Search!);
            if (relative < 0)
            {
                return -1;
            }

            var hit = from + relative;
            if (_snapshot.SearchHasVariants || buffer[hit] == '-' || !char.IsAsciiLetterOrDigit(hit > 0 ? buffer[hit - 1] : _previous))
            {
                return hit;
            }

            from = hit + 1;
        }
    }
}
