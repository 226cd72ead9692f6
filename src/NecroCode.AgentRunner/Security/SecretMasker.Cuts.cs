namespace NecroCode.AgentRunner.Security;

// Where text masked piece by piece may be cut without splitting a secret or token shape.
public sealed partial class SecretMasker
{
    /// <inheritdoc />
    public int CutLookahead => Math.Max(0, Current.MaxPatternLength - 1);

    /// <inheritdoc />
    public int FindCut(ReadOnlySpan<char> text, int limit, bool textEnds)
    {
        var longest = Math.Clamp(limit, 1, Math.Max(1, text.Length));
        var cut = longest;
        var snapshot = Current;
        while (true)
        {
            var crossing = FirstCrossing(snapshot, text, cut, textEnds);
            if (crossing < 0)
            {
                return cut;
            }

            if (crossing == 0)
            {
                // A secret longer than a piece starts the text: it cannot be kept whole.
                return longest;
            }

            cut = crossing;
        }
    }

    /// <summary>The start of the first match that begins before <paramref name="cut"/> and may end after it; -1 when none.</summary>
    private static int FirstCrossing(MaskingSnapshot snapshot, ReadOnlySpan<char> text, int cut, bool textEnds)
    {
        var finder = new CandidateFinder(snapshot, previous: '\0');
        for (var position = finder.Next(text, 0); position >= 0 && position < cut; position = finder.Next(text, position + 1))
        {
            var before = position > 0 ? text[position - 1] : '\0';
            var status = snapshot.Resolve(text[position..], before, textEnds, out var length);
            if (status == MatchStatus.NeedMore || (status == MatchStatus.Match && position + length > cut))
            {
                return position;
            }
        }

        return -1;
    }
}
