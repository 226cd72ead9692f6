using System.Buffers;

namespace NecroCode.AgentRunner.Security;

/// <summary>
/// An immutable search table over every secret variant and token prefix, rebuilt (copy-on-write) when
/// secrets are added and shared by every thread that masks.
/// </summary>
internal sealed class MaskingSnapshot
{
    private readonly Dictionary<int, string[]> _valuesByPrefix;
    private readonly string[] _oneCharValues;

    /// <summary>
    /// Variants go into the <see cref="QGramIndex"/> when all are at least <see cref="QGramIndex.LongGram"/>
    /// long (its 8-char grams are selective and it skips most of the text), or when there are more than this
    /// many strings (the <see cref="SearchValues{T}"/> of strings stops being vectorised at about 80); else
    /// they join the token prefixes in one <see cref="SearchValues{T}"/>.
    /// </summary>
    private const int MaxVectorisedStrings = 64;

    private MaskingSnapshot(int version, SearchValues<string>? search, QGramIndex? index, Dictionary<int, string[]> valuesByPrefix, string[] oneCharValues, int maxPatternLength, bool tokenShapes, int variantCount, bool searchHasVariants)
    {
        Version = version;
        Search = search;
        Index = index;
        _valuesByPrefix = valuesByPrefix;
        _oneCharValues = oneCharValues;
        MaxPatternLength = maxPatternLength;
        TokenShapes = tokenShapes;
        VariantCount = variantCount;
        SearchHasVariants = searchHasVariants;
    }

    /// <summary>The masker's version (it changes whenever secrets are added or removed) when this table was built.</summary>
    public int Version { get; }

    /// <summary>
    /// Finds candidate positions of the token prefixes (but <c>sk-</c>, see <see cref="ApiKeyPrefixFinder"/>),
    /// and of every variant when there are few; null when there is nothing to find.
    /// </summary>
    public SearchValues<string>? Search { get; }

    /// <summary>Finds the variants when there are too many for <see cref="Search"/>; null otherwise.</summary>
    public QGramIndex? Index { get; }

    /// <summary>The longest string in <see cref="Search"/>; streams keep this many characters minus one back.</summary>
    public int MaxPatternLength { get; }

    /// <summary>Whether token shapes are masked.</summary>
    public bool TokenShapes { get; }

    /// <summary>The number of distinct secret variants.</summary>
    public int VariantCount { get; }

    /// <summary>Whether <see cref="Search"/> holds secret variants; else only token prefixes (or nothing).</summary>
    public bool SearchHasVariants { get; }

    /// <summary>Builds a table.</summary>
    /// <param name="version">The masker's version it covers.</param>
    /// <param name="variants">Every variant of every secret.</param>
    /// <param name="tokenShapes">Whether to add the token prefixes.</param>
    /// <returns>The table.</returns>
    public static MaskingSnapshot Create(int version, IReadOnlyCollection<string> variants, bool tokenShapes)
    {
        var oneChar = variants.Where(v => v.Length == 1).ToArray();
        var byPrefix = variants
            .Where(v => v.Length > 1)
            .GroupBy(v => PrefixKey(v))
            .ToDictionary(g => g.Key, g => g.OrderByDescending(v => v.Length).ThenBy(v => v, StringComparer.Ordinal).ToArray());
        var prefixes = tokenShapes ? Security.TokenShapes.Prefixes : [];
        var shortest = variants.Count == 0 ? 0 : variants.Min(v => v.Length);
        var useIndex = shortest >= QGramIndex.LongGram || (variants.Count + prefixes.Length > MaxVectorisedStrings && shortest >= QGramIndex.MinimumVariantLength);
        // "sk-" is found by ApiKeyPrefixFinder, which skips the many "task-"-like hits inside words.
        var searched = new HashSet<string>(prefixes.Where(p => p != ApiKeyPrefixFinder.Prefix), StringComparer.Ordinal);
        var searchHasVariants = !useIndex && variants.Count > 0;
        if (!useIndex)
        {
            searched.UnionWith(variants);
        }

        var search = searched.Count == 0 ? null : SearchValues.Create(searched.ToArray(), StringComparison.Ordinal);
        var index = useIndex ? new QGramIndex(variants) : null;
        var max = variants.Concat(prefixes).DefaultIfEmpty(" ").Max(v => v.Length);
        return new MaskingSnapshot(version, search, index, byPrefix, oneChar, max, tokenShapes, variants.Count, searchHasVariants);
    }

    /// <summary>Decides what to mask at the start of <paramref name="text"/>.</summary>
    /// <param name="text">The available text from the candidate position on.</param>
    /// <param name="previous">The character before the candidate, <c>'\0'</c> when none.</param>
    /// <param name="final">True when no more text follows.</param>
    /// <param name="length">The length to mask on a match: the longest secret variant or token found.</param>
    /// <returns>The outcome.</returns>
    public MatchStatus Resolve(ReadOnlySpan<char> text, char previous, bool final, out int length)
    {
        length = 0;
        if (text.Length > 1 && _valuesByPrefix.TryGetValue(PrefixKey(text), out var candidates))
        {
            foreach (var candidate in candidates)
            {
                if (text.StartsWith(candidate, StringComparison.Ordinal))
                {
                    length = candidate.Length;
                    break;
                }
            }
        }

        if (length == 0)
        {
            foreach (var value in _oneCharValues)
            {
                if (value[0] == text[0])
                {
                    length = 1;
                    break;
                }
            }
        }

        if (!TokenShapes)
        {
            return length > 0 ? MatchStatus.Match : MatchStatus.None;
        }

        var token = Security.TokenShapes.Match(text, previous, final, out var tokenLength);
        if (token == MatchStatus.NeedMore)
        {
            return MatchStatus.NeedMore;
        }

        length = Math.Max(length, tokenLength);
        return length > 0 ? MatchStatus.Match : MatchStatus.None;
    }

    /// <summary>The first two characters as one lookup key.</summary>
    private static int PrefixKey(ReadOnlySpan<char> text) => (text[0] << 16) | text[1];
}
