using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NecroCode.AgentRunner.Security;

/// <summary>
/// Finds many secret variants at once when there are too many for a vectorised
/// <see cref="System.Buffers.SearchValues{T}"/> of strings (which falls back to a scalar Aho-Corasick
/// automaton beyond a few dozen values). Every variant is at least <c>m</c> characters long, so every
/// occurrence contains one of the text positions sampled every <c>m - 3</c> characters together with the
/// 4 characters from there. A bit table of all 4-grams of all variants rejects almost every sample with one
/// load; a hit is checked against the variants that hold that 4-gram. The cost per character does not grow
/// with the number of secrets.
/// </summary>
internal sealed class QGramIndex
{
    /// <summary>The length of the sampled grams.</summary>
    public const int GramLength = 4;

    private const int TableBits = 22;

    private readonly ulong[] _table = new ulong[(1 << TableBits) / 64];
    private readonly Dictionary<ulong, Occurrence[]> _occurrences;
    private readonly int _stride;

    /// <summary>Builds the index.</summary>
    /// <param name="variants">The variants, each at least <see cref="GramLength"/> characters long.</param>
    public QGramIndex(IReadOnlyCollection<string> variants)
    {
        var occurrences = new Dictionary<ulong, List<Occurrence>>();
        var minimum = int.MaxValue;
        foreach (var variant in variants)
        {
            minimum = Math.Min(minimum, variant.Length);
            for (var offset = 0; offset + GramLength <= variant.Length; offset++)
            {
                var key = Key(variant.AsSpan(offset));
                if (!occurrences.TryGetValue(key, out var list))
                {
                    occurrences[key] = list = [];
                    var bit = Hash(key);
                    _table[bit >> 6] |= 1UL << bit;
                }

                list.Add(new Occurrence(variant, offset));
            }
        }

        _stride = minimum - GramLength + 1;
        _occurrences = occurrences.ToDictionary(p => p.Key, p => p.Value.ToArray());
    }

    /// <summary>The leftmost start at or after <paramref name="from"/> of a variant that lies wholly in <paramref name="text"/>.</summary>
    /// <param name="text">The text.</param>
    /// <param name="from">The first start to consider.</param>
    /// <returns>The start, or -1.</returns>
    public int IndexOf(ReadOnlySpan<char> text, int from)
    {
        ref var first = ref MemoryMarshal.GetReference(text);
        var table = _table;
        var last = text.Length - GramLength;
        for (var sample = from; sample <= last; sample += _stride)
        {
            var key = Unsafe.ReadUnaligned<ulong>(ref Unsafe.As<char, byte>(ref Unsafe.Add(ref first, sample)));
            var bit = Hash(key);
            if ((table[bit >> 6] & (1UL << bit)) == 0 || !_occurrences.TryGetValue(key, out var candidates))
            {
                continue;
            }

            var best = -1;
            foreach (var candidate in candidates)
            {
                var start = sample - candidate.Offset;
                if (start >= from && (best < 0 || start < best) && start + candidate.Variant.Length <= text.Length
                    && text.Slice(start).StartsWith(candidate.Variant, StringComparison.Ordinal))
                {
                    best = start;
                }
            }

            if (best >= 0)
            {
                return best;
            }
        }

        return -1;
    }

    private static ulong Key(ReadOnlySpan<char> text) => MemoryMarshal.Read<ulong>(MemoryMarshal.AsBytes(text[..GramLength]));

    private static int Hash(ulong key) => (int)((key * 0x9E3779B97F4A7C15UL) >> (64 - TableBits));

    private readonly record struct Occurrence(string Variant, int Offset);
}
