namespace NecroCode.AgentRunner.Security;

/// <summary>
/// The next candidate position in one buffer: the earliest next hit of the snapshot's
/// <see cref="System.Buffers.SearchValues{T}"/>, of its <see cref="QGramIndex"/> and of the
/// <see cref="TokenPrefixFinder"/>. Each search result is kept until the scan passes it, so no search runs
/// twice over the same text.
/// </summary>
internal struct CandidateFinder
{
    private const int Unknown = int.MinValue;

    private readonly MaskingSnapshot _snapshot;
    private readonly char _previous;
    private int _search;
    private int _index;
    private int _token;

    /// <summary>Creates a finder for one buffer.</summary>
    /// <param name="snapshot">The search table.</param>
    /// <param name="previous">The character before the buffer; <c>'\0'</c> when none.</param>
    public CandidateFinder(MaskingSnapshot snapshot, char previous)
    {
        _snapshot = snapshot;
        _previous = previous;
        _search = snapshot.Search is null ? -1 : Unknown;
        _index = snapshot.Index is null ? -1 : Unknown;
        _token = snapshot.TokenShapes ? Unknown : -1;
    }

    /// <summary>The first candidate at or after <paramref name="from"/>, or -1.</summary>
    /// <param name="buffer">The same buffer on every call.</param>
    /// <param name="from">The first position to consider; never decreases between calls.</param>
    /// <returns>The position, or -1.</returns>
    public int Next(ReadOnlySpan<char> buffer, int from)
    {
        if (_search != -1 && _search < from)
        {
            var relative = buffer.Slice(from).IndexOfAny(_snapshot.Search!);
            _search = relative < 0 ? -1 : from + relative;
        }

        if (_index != -1 && _index < from)
        {
            _index = _snapshot.Index!.IndexOf(buffer, from);
        }

        if (_token != -1 && _token < from)
        {
            _token = TokenPrefixFinder.IndexOf(buffer, from, _previous);
        }

        return Earliest(Earliest(_search, _index), _token);
    }

    private static int Earliest(int first, int second) => first < 0 ? second : second < 0 ? first : Math.Min(first, second);
}
