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

    /// <summary>Bits per distinct gram in the table (about 1.5 % of the bits are set), within the bounds below.</summary>
    private const int BitsPerGram = 64;

    private const int MinTableBits = 12;

    private const int MaxTableBits = 22;

    private readonly ulong[] _table;
    private readonly int _tableShift;
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
                var key = Key(ref MemoryMarshal.GetReference(variant.AsSpan(offset)));
                if (!occurrences.TryGetValue(key, out var list))
                {
                    occurrences[key] = list = [];
                }

                list.Add(new Occurrence(variant, offset));
            }
        }

        // A table sized to the grams stays in the first-level cache for a few hundred secrets.
        var bits = Math.Clamp(64 - System.Numerics.BitOperations.LeadingZeroCount((ulong)occurrences.Count * BitsPerGram - 1), MinTableBits, MaxTableBits);
        _table = new ulong[(1 << bits) / 64];
        _tableShift = 64 - bits;
        foreach (var key in occurrences.Keys)
        {
            var bit = Hash((ulong)key, (ulong)(key >> 64));
            _table[bit >> 6] |= 1UL << bit;
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
            ref var bytes = ref Unsafe.As<char, byte>(ref Unsafe.Add(ref first, sample));
            var low = Unsafe.ReadUnaligned<ulong>(ref bytes);
            var high = _highMask == 0 ? 0 : Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref bytes, sizeof(ulong)));
            var bit = Hash(low, high);
            if ((table[bit >> 6] & (1UL << bit)) == 0 || !_occurrences.TryGetValue(new UInt128(high, low), out var candidates))
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

    /// <summary>
    /// Multiply-shift hash of the gram. Rotating the high half by one byte puts the bits that vary in ASCII
    /// text (the low 7 of each character) next to, not onto, those of the low half.
    /// </summary>
    private int Hash(ulong low, ulong high) =>
        (int)(((low ^ System.Numerics.BitOperations.RotateLeft(high, 8)) * 0x9E3779B97F4A7C15UL) >> _tableShift);

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
