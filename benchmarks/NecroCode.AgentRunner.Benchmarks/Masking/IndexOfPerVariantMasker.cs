using NecroCode.AgentRunner.Security;

namespace NecroCode.AgentRunner.Benchmarks.Masking;

/// <summary>Baseline (a): one <c>IndexOf</c> pass per secret variant and per token prefix, then merging the hits.</summary>
internal sealed class IndexOfPerVariantMasker : StreamingBaseline
{
    private readonly string[] _variants;

    public IndexOfPerVariantMasker(IReadOnlyList<string> variants)
        : base("***", variants.Concat(TokenShapes.Prefixes).Max(v => v.Length))
    {
        _variants = [.. variants];
    }

    protected override void FindHits(ReadOnlySpan<char> text, int limit, bool final, List<(int Start, int End)> hits)
    {
        foreach (var variant in _variants)
        {
            var from = 0;
            int index;
            while (from < limit && (index = text[from..].IndexOf(variant, StringComparison.Ordinal)) >= 0 && from + index < limit)
            {
                hits.Add((from + index, from + index + variant.Length));
                from += index + 1;
            }
        }

        foreach (var prefix in TokenShapes.Prefixes)
        {
            var from = 0;
            int index;
            while (from < limit && (index = text[from..].IndexOf(prefix, StringComparison.Ordinal)) >= 0 && from + index < limit)
            {
                var position = from + index;
                var previous = position > 0 ? text[position - 1] : '\0';
                if (TokenShapes.Match(text[position..], previous, final, out var length) == MatchStatus.Match)
                {
                    hits.Add((position, position + length));
                }

                from = position + 1;
            }
        }
    }
}
