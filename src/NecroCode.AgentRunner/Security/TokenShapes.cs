using System.Buffers;

namespace NecroCode.AgentRunner.Security;

/// <summary>
/// Well-known token shapes. A cheap vectorised search finds the <see cref="Prefixes"/>; <see cref="Match"/>
/// then validates the shape at that one position by hand, so no regular expression ever runs over the text.
/// </summary>
internal static partial class TokenShapes
{
    /// <summary>Longest token the rules look at; a longer one is masked up to this length.</summary>
    public const int MaxTokenLength = 16 * 1024;

    private const int MaxSimpleTokenBody = 255;
    private const string PemBegin = "-----BEGIN ";

    /// <summary>The prefixes that start a candidate token.</summary>
    public static readonly string[] Prefixes =
    [
        "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_",
        "glpat-",
        "AKIA", "ASIA", "ABIA", "ACCA", "AGPA", "AIDA", "AIPA", "ANPA", "ANVA", "APKA", "AROA", "ASCA",
        "xoxa-", "xoxb-", "xoxp-", "xoxr-", "xoxs-",
        "eyJ",
        PemBegin,
        "sk-",
    ];

    private static readonly string[] AwsPrefixes =
        ["AKIA", "ASIA", "ABIA", "ACCA", "AGPA", "AIDA", "AIPA", "ANPA", "ANVA", "APKA", "AROA", "ASCA"];

    private static readonly SearchValues<char> Alphanumeric =
        SearchValues.Create("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    private static readonly SearchValues<char> UpperOrDigit =
        SearchValues.Create("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ");

    private static readonly SearchValues<char> Word =
        SearchValues.Create("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_");

    private static readonly SearchValues<char> Base64Url =
        SearchValues.Create("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_-");

    /// <summary>Checks whether a token of a known shape starts at the beginning of <paramref name="text"/>.</summary>
    /// <param name="text">The available text, starting at the candidate.</param>
    /// <param name="previous">The character before the candidate; <c>'\0'</c> at the start of the text.</param>
    /// <param name="final">True when no more text follows <paramref name="text"/>.</param>
    /// <param name="length">The length of the token on <see cref="MatchStatus.Match"/>.</param>
    /// <returns>Whether a token starts here, or that more text is needed to decide.</returns>
    public static MatchStatus Match(ReadOnlySpan<char> text, char previous, bool final, out int length)
    {
        length = 0;
        if (text.IsEmpty)
        {
            return MatchStatus.None;
        }

        if (text[0] != '-' && char.IsAsciiLetterOrDigit(previous))
        {
            return MatchStatus.None;
        }

        return text[0] switch
        {
            'g' => GitHostToken(text, final, out length),
            'A' => AwsAccessKeyId(text, final, out length),
            'x' => SlackToken(text, final, out length),
            'e' => Jwt(text, final, out length),
            '-' => PemPrivateKey(text, final, out length),
            's' => ApiKey(text, final, out length),
            _ => MatchStatus.None,
        };
    }

    private static MatchStatus GitHostToken(ReadOnlySpan<char> text, bool final, out int length)
    {
        length = 0;
        if (text.StartsWith("github_pat_", StringComparison.Ordinal))
        {
            return Body(text, "github_pat_".Length, Word, 30, final, out length);
        }

        if (text.StartsWith("glpat-", StringComparison.Ordinal))
        {
            return Body(text, "glpat-".Length, Base64Url, 20, final, out length);
        }

        if (text.Length >= 4 && text[1] == 'h' && text[3] == '_' && text[2] is 'p' or 'o' or 'u' or 's' or 'r')
        {
            return Body(text, 4, Alphanumeric, 30, final, out length);
        }

        return MatchStatus.None;
    }

    private static MatchStatus AwsAccessKeyId(ReadOnlySpan<char> text, bool final, out int length)
    {
        length = 0;
        const int Total = 20;
        if (!StartsWithAny(text, AwsPrefixes))
        {
            return MatchStatus.None;
        }

        if (text.Length < Total + 1 && !final)
        {
            return text.Slice(1).ContainsAnyExcept(UpperOrDigit) ? MatchStatus.None : MatchStatus.NeedMore;
        }

        if (text.Length < Total || text.Slice(4, Total - 4).ContainsAnyExcept(UpperOrDigit))
        {
            return MatchStatus.None;
        }

        if (text.Length > Total && char.IsAsciiLetterOrDigit(text[Total]))
        {
            return MatchStatus.None;
        }

        length = Total;
        return MatchStatus.Match;
    }

    private static MatchStatus SlackToken(ReadOnlySpan<char> text, bool final, out int length)
    {
        length = 0;
        if (text.Length < 5 || !text.StartsWith("xox", StringComparison.Ordinal) || text[4] != '-'
            || text[3] is not ('a' or 'b' or 'p' or 'r' or 's'))
        {
            return MatchStatus.None;
        }

        var status = Body(text, 5, Base64Url, 10, final, out length);
        if (status == MatchStatus.Match && !text.Slice(5, length - 5).ContainsAnyInRange('0', '9'))
        {
            length = 0;
            return MatchStatus.None;
        }

        return status;
    }

    private static MatchStatus ApiKey(ReadOnlySpan<char> text, bool final, out int length)
    {
        length = 0;
        if (!text.StartsWith("sk-", StringComparison.Ordinal))
        {
            return MatchStatus.None;
        }

        var status = Body(text, 3, Base64Url, 20, final, out length);
        if (status == MatchStatus.Match)
        {
            var body = text.Slice(3, length - 3);
            if (!body.ContainsAnyInRange('0', '9') || !body.ContainsAnyInRange('a', 'z') || !body.ContainsAnyInRange('A', 'Z'))
            {
                length = 0;
                return MatchStatus.None;
            }
        }

        return status;
    }

    private static bool StartsWithAny(ReadOnlySpan<char> text, string[] prefixes)
    {
        foreach (var prefix in prefixes)
        {
            if (text.StartsWith(prefix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static MatchStatus Body(ReadOnlySpan<char> text, int prefixLength, SearchValues<char> allowed, int minimum, bool final, out int length)
    {
        length = 0;
        var body = text.Slice(prefixLength);
        var run = body.IndexOfAnyExcept(allowed);
        if (run < 0)
        {
            if (!final && body.Length <= MaxSimpleTokenBody)
            {
                return MatchStatus.NeedMore;
            }

            run = body.Length;
        }

        if (run < minimum || run > MaxSimpleTokenBody)
        {
            return MatchStatus.None;
        }

        length = prefixLength + run;
        return MatchStatus.Match;
    }
}
