namespace NecroCode.AgentRunner.Security;

/// <summary>The one masking loop shared by whole-string and streaming masking.</summary>
internal static class MaskingScanner
{
    /// <summary>
    /// Masks the part of <paramref name="buffer"/> that can be decided now and writes it to
    /// <paramref name="output"/>.
    /// </summary>
    /// <param name="snapshot">The search table.</param>
    /// <param name="buffer">The text not yet written.</param>
    /// <param name="final">True when no more text follows; then the whole buffer is consumed.</param>
    /// <param name="previous">The character before <paramref name="buffer"/>; <c>'\0'</c> when none.</param>
    /// <param name="openMaskEnd">
    /// In: the length of a prefix of <paramref name="buffer"/> already covered by an emitted mask. Out: the
    /// same for the returned carry.
    /// </param>
    /// <param name="output">Receives the masked text.</param>
    /// <returns>The number of characters consumed; the rest must be passed again with more text.</returns>
    public static int Scan(MaskingSnapshot snapshot, ReadOnlySpan<char> buffer, bool final, char previous, ref int openMaskEnd, MaskOutput output)
    {
        var limit = final ? buffer.Length : buffer.Length - (snapshot.MaxPatternLength - 1);
        var regionEnd = openMaskEnd;
        var cursor = openMaskEnd;
        var finder = new CandidateFinder(snapshot, previous);
        var from = 0;
        while (from < limit)
        {
            var position = finder.Next(buffer, from);
            if (position < 0 || position >= limit)
            {
                break;
            }

            var before = position > 0 ? buffer[position - 1] : previous;
            var status = snapshot.Resolve(buffer.Slice(position), before, final, out var length);
            if (status == MatchStatus.NeedMore)
            {
                limit = position;
                break;
            }

            if (status == MatchStatus.Match)
            {
                var end = position + length;
                if (position < regionEnd)
                {
                    regionEnd = Math.Max(regionEnd, end);
                }
                else
                {
                    output.Literal(buffer[cursor..position]);
                    output.Mask();
                    regionEnd = end;
                }

                cursor = regionEnd;
            }

            from = position + 1;
        }

        var safe = Math.Max(limit, 0);
        if (cursor >= safe)
        {
            openMaskEnd = regionEnd - safe;
            return safe;
        }

        output.Literal(buffer[cursor..safe]);
        openMaskEnd = 0;
        return safe;
    }
}
