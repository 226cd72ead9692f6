namespace NecroCode.AgentRunner.Security;

/// <summary>
/// The next candidate position in one buffer: the earlier of the next hit of the snapshot's
/// <see cref="System.Buffers.SearchValues{T}"/> and of its <see cref="QGramIndex"/>. Each search result is
/// kept until the scan passes it, so neither search runs twice over the same text.
/// </summary>
internal struct CandidateFinder
{
    private const int Unknown = int.MinValue;

    private readonly MaskingSnapshot _snapshot;
    private int _search;
    private int _index;

    /// <summary>Creates a finder for one buffer.</summary>
    /// <param name="snapshot">The search table.</param>
    public CandidateFinder(MaskingSnapshot snapshot)
    {
        _snapshot = snapshot;
        _search = snapshot.Search is null ? -1 : Unknown;
        _index = snapshot.Index is null ? -1 : Unknown;
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

        return _search < 0 ? _index : _index < 0 ? _search : Math.Min(_search, _index);
    }
}
