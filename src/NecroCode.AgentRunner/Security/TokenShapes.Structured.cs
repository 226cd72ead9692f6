using System.Buffers;

namespace NecroCode.AgentRunner.Security;

/// <content>The shapes that span several parts or lines: JWTs and PEM private-key blocks.</content>
internal static partial class TokenShapes
{
    private const string PemEnd = "-----END ";
    private const string PemDashes = "-----";

    private static readonly SearchValues<char> PemBody =
        SearchValues.Create("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz+/=\r\n\t \\");

    private static MatchStatus Jwt(ReadOnlySpan<char> text, bool final, out int length)
    {
        length = 0;
        if (!text.StartsWith("eyJ", StringComparison.Ordinal))
        {
            return MatchStatus.None;
        }

        var window = text.Length > MaxTokenLength ? text[..MaxTokenLength] : text;
        var more = !final && window.Length == text.Length;
        var position = 0;
        ReadOnlySpan<int> minimum = [10, 2, 0];
        for (var part = 0; part < 3; part++)
        {
            var run = window.Slice(position).IndexOfAnyExcept(Base64Url);
            if (run < 0)
            {
                if (more)
                {
                    return MatchStatus.NeedMore;
                }

                run = window.Length - position;
            }

            if (run < minimum[part])
            {
                return MatchStatus.None;
            }

            position += run;
            if (part < 2)
            {
                if (position >= window.Length)
                {
                    return more ? MatchStatus.NeedMore : MatchStatus.None;
                }

                if (window[position] != '.')
                {
                    return MatchStatus.None;
                }

                position++;
            }
        }

        length = position;
        return MatchStatus.Match;
    }

    private static MatchStatus PemPrivateKey(ReadOnlySpan<char> text, bool final, out int length)
    {
        length = 0;
        if (!text.StartsWith(PemBegin, StringComparison.Ordinal))
        {
            return MatchStatus.None;
        }

        var window = text.Length > MaxTokenLength ? text[..MaxTokenLength] : text;
        var more = !final && window.Length == text.Length;
        var labelArea = window.Slice(PemBegin.Length);
        var labelEnd = labelArea.Length > 72 ? labelArea[..72].IndexOf(PemDashes, StringComparison.Ordinal) : labelArea.IndexOf(PemDashes, StringComparison.Ordinal);
        if (labelEnd < 0)
        {
            return more && labelArea.Length < 72 && !labelArea.ContainsAny('\r', '\n') ? MatchStatus.NeedMore : MatchStatus.None;
        }

        if (!labelArea[..labelEnd].Contains("PRIVATE KEY", StringComparison.Ordinal))
        {
            return MatchStatus.None;
        }

        var headerEnd = PemBegin.Length + labelEnd + PemDashes.Length;
        var rest = window.Slice(headerEnd);
        var end = rest.IndexOf(PemEnd, StringComparison.Ordinal);
        if (end >= 0)
        {
            var trailer = rest.Slice(end + PemEnd.Length);
            var trailerEnd = trailer.IndexOf(PemDashes, StringComparison.Ordinal);
            if (trailerEnd >= 0 && trailerEnd <= 72)
            {
                length = headerEnd + end + PemEnd.Length + trailerEnd + PemDashes.Length;
                return MatchStatus.Match;
            }

            if (trailerEnd < 0 && more && trailer.Length <= 72)
            {
                return MatchStatus.NeedMore;
            }
        }
        else if (more)
        {
            return MatchStatus.NeedMore;
        }

        // No END line in reach: mask the header and the key material that follows it.
        var body = rest.IndexOfAnyExcept(PemBody);
        length = headerEnd + (body < 0 ? rest.Length : body);
        return MatchStatus.Match;
    }
}
