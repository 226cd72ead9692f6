using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NecroCode.AgentRunner.Security;

/// <summary>
/// Finds many secret variants at once when there are too many for a vectorised
/// <see cref="System.Buffers.SearchValues{T}"/> of strings (which falls back to a scalar Aho-Corasick
/// automaton beyond a few dozen values). Every variant is at least <c>m</c> characters long, so every
/// occurrence contains one of the text positions sampled every <c>m - q + 1</c> characters together with the
/// <c>q</c> characters from there (<c>q</c> = 8, or 4 when a variant is shorter than 8). A bit table of all
/// q-grams of all variants rejects almost every sample with one lookup; a hit is checked against the
/// variants that hold that q-gram. The cost per character does not grow with the number of secrets.
/// </summary>
internal sealed class QGramIndex
{
    /// <summary>The shortest variant the index accepts.</summary>
    public const int MinimumVariantLength = 4;

    /// <summary>The gram length when every variant is at least this long.</summary>
    public const int LongGram = 8;

    private const int TableBits = 22;

    private readonly ulong[] _table = new ulong[(1 << TableBits) / 64];
    private readonly Dictionary<UInt128, Occurrence[]> _occurrences;
    private readonly int _stride;
    private readonly int _gramLength;
    private readonly ulong _highMask;

    /// <summary>Builds the index.</summary>
    /// <param name="variants">The variants, each at least <see cref="MinimumVariantLength"/> characters long.</param>
    public QGramIndex(IReadOnlyCollection<string> variants)
    {
        var occurrences = new Dictionary<UInt128, List<Occurrence>>();
        var minimum = variants.Min(v => v.Length);
        _gramLength = minimum >= LongGram ? LongGram : MinimumVariantLength;
        _highMask = _gramLength == LongGram ? ulong.MaxValue : 0;
        foreach (var variant in variants)
        {
            for (var offset = 0; offset + _gramLength <= variant.Length; offset++)
            {
                ref var start = ref MemoryMarshal.GetReference(variant.AsSpan(offset));
                var key = Key(ref start);
                if (!occurrences.TryGetValue(key, out var list))
                {
                    occurrences[key] = list = [];
                    var bit = Hash(key);
                    _table[bit >> 6] |= 1UL << bit;
                }

                list.Add(new Occurrence(variant, offset));
            }
        }

        _stride = minimum - _gramLength + 1;
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
        var last = text.Length - _gramLength;
        for (var sample = from; sample <= last; sample += _stride)
        {
            var key = Key(ref Unsafe.Add(ref first, sample));
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

    private static int Hash(UInt128 key) =>
        (int)((((ulong)key * 0x9E3779B97F4A7C15UL) ^ ((ulong)(key >> 64) * 0xC2B2AE3D27D4EB4FUL)) >> (64 - TableBits));

    /// <summary>The gram at <paramref name="start"/>: 4 characters in the low half, 4 more in the high half when grams are 8 long.</summary>
    private UInt128 Key(ref char start)
    {
        ref var bytes = ref Unsafe.As<char, byte>(ref start);
        var low = Unsafe.ReadUnaligned<ulong>(ref bytes);
        var high = _highMask == 0 ? 0 : Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref bytes, sizeof(ulong)));
        return new UInt128(high, low);
    }

    private readonly record struct Occurrence(string Variant, int Offset);
}
