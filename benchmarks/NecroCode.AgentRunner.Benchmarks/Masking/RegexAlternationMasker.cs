using System.Text.RegularExpressions;

namespace NecroCode.AgentRunner.Benchmarks.Masking;

/// <summary>Baseline (b): one compiled <see cref="Regex"/> alternation of every secret variant and the token shapes.</summary>
internal sealed class RegexAlternationMasker : StreamingBaseline
{
    private const string TokenShapes =
        @"(?<![A-Za-z0-9])gh[pousr]_[A-Za-z0-9]{30,255}|(?<![A-Za-z0-9])github_pat_\w{30,255}|(?<![A-Za-z0-9])glpat-[\w-]{20,255}"
        + @"|(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|APKA|AROA|ASCA)[A-Z0-9]{16}(?![A-Za-z0-9])"
        + @"|(?<![A-Za-z0-9])xox[abprs]-[\w-]{10,255}|(?<![A-Za-z0-9])eyJ[\w-]{7,}\.[\w-]{2,}\.[\w-]*"
        + @"|-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]{0,16384}?-----END [A-Z0-9 ]*PRIVATE KEY-----"
        + @"|(?<![A-Za-z0-9])sk-[\w-]{20,255}";

    private readonly Regex _regex;

    public RegexAlternationMasker(IReadOnlyList<string> variants)
        : base("***", Math.Max(variants.Count == 0 ? 0 : variants.Max(v => v.Length), 64))
    {
        var alternation = string.Join('|', variants.OrderByDescending(v => v.Length).Select(Regex.Escape).Append(TokenShapes));
        _regex = new Regex(alternation, RegexOptions.Compiled | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture);
    }

    protected override void FindHits(ReadOnlySpan<char> text, int limit, bool final, List<(int Start, int End)> hits)
    {
        foreach (var match in _regex.EnumerateMatches(text))
        {
            if (match.Index >= limit)
            {
                break;
            }

            hits.Add((match.Index, match.Index + match.Length));
        }
    }
}
