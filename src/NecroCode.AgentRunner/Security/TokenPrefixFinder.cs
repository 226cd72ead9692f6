using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NecroCode.AgentRunner.Security;

/// <summary>
/// Finds the positions where a <see cref="TokenShapes"/> token may start, in one vectorised pass: a word
/// start (the character before is not an ASCII letter or digit) followed by <c>gh</c>, <c>gi</c>, <c>gl</c>, <c>A</c>
/// and an upper-case letter, <c>xo</c>, <c>ey</c> or <c>sk</c>, or <c>---</c> anywhere (PEM lines). This is
/// a superset of the <see cref="TokenShapes.Prefixes"/> at the positions <see cref="TokenShapes.Match"/>
/// accepts; the match validates the rest. Log text is full of <c>task-</c>, <c>desk-</c> and
/// <c>AKIA</c>-like runs inside words; testing the boundary in the same vector step keeps them from ever
/// becoming candidates.
/// </summary>
internal static class TokenPrefixFinder
{
    /// <summary>The shortest token prefix; a candidate needs this many characters.</summary>
    private const int MinimumLength = 3;

    /// <summary>The first candidate at or after <paramref name="from"/>, or -1.</summary>
    /// <param name="text">The text.</param>
    /// <param name="from">The first start to consider.</param>
    /// <param name="previous">The character before <paramref name="text"/>; <c>'\0'</c> when none.</param>
    /// <returns>The start, or -1.</returns>
    public static int IndexOf(ReadOnlySpan<char> text, int from, char previous)
    {
        var last = text.Length - MinimumLength;
        if (from > last)
        {
            return -1;
        }

        if (from == 0)
        {
            if (IsAt(text, 0, previous))
            {
                return 0;
            }

            from = 1;
        }

        var position = from;
        if (Vector256.IsHardwareAccelerated)
        {
            var hit = VectorScan(text, ref position);
            if (hit >= 0)
            {
                return hit;
            }
        }

        for (; position <= last; position++)
        {
            if (IsAt(text, position, text[position - 1]))
            {
                return position;
            }
        }

        return -1;
    }

    private static bool IsAt(ReadOnlySpan<char> text, int position, char before)
    {
        var first = text[position];
        var second = text[position + 1];
        if (first == '-')
        {
            return second == '-' && text[position + 2] == '-';
        }

        return !char.IsAsciiLetterOrDigit(before) && first switch
        {
            'g' => second is 'h' or 'i' or 'l',
            'A' => char.IsAsciiLetterUpper(second),
            'x' => second == 'o',
            'e' => second == 'y',
            's' => second == 'k',
            _ => false,
        };
    }

    /// <summary>
    /// Scans whole vectors from <paramref name="position"/> (at least 1) and returns the first hit, or -1;
    /// then <paramref name="position"/> is the first start the vectors did not cover.
    /// </summary>
    private static int VectorScan(ReadOnlySpan<char> text, ref int position)
    {
        var count = Vector256<ushort>.Count;
        ref var start = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(text));
        var digits = Vector256.Create((ushort)10);
        var letters = Vector256.Create((ushort)26);

        // A vector at position p reads p - 1 .. p + count + 1, so it must end at or before text.Length.
        for (; position + count + 2 <= text.Length; position += count)
        {
            var first = Vector256.LoadUnsafe(ref start, (nuint)position);
            var second = Vector256.LoadUnsafe(ref start, (nuint)(position + 1));
            var pairs =
                (Vector256.Equals(first, Vector256.Create((ushort)'g')) & (Vector256.Equals(second, Vector256.Create((ushort)'h')) | Vector256.Equals(second, Vector256.Create((ushort)'i')) | Vector256.Equals(second, Vector256.Create((ushort)'l'))))
                | (Vector256.Equals(first, Vector256.Create((ushort)'A')) & Vector256.LessThan(second - Vector256.Create((ushort)'A'), letters))
                | (Vector256.Equals(first, Vector256.Create((ushort)'x')) & Vector256.Equals(second, Vector256.Create((ushort)'o')))
                | (Vector256.Equals(first, Vector256.Create((ushort)'e')) & Vector256.Equals(second, Vector256.Create((ushort)'y')))
                | (Vector256.Equals(first, Vector256.Create((ushort)'s')) & Vector256.Equals(second, Vector256.Create((ushort)'k')));
            var dash = Vector256.Create((ushort)'-');
            var dashes = Vector256.Equals(first, dash) & Vector256.Equals(second, dash);
            if ((pairs | dashes) == Vector256<ushort>.Zero)
            {
                continue;
            }

            var before = Vector256.LoadUnsafe(ref start, (nuint)(position - 1));
            var third = Vector256.LoadUnsafe(ref start, (nuint)(position + 2));
            var alphanumeric = Vector256.LessThan(before - Vector256.Create((ushort)'0'), digits)
                | Vector256.LessThan((before | Vector256.Create((ushort)0x20)) - Vector256.Create((ushort)'a'), letters);
            var hits = Vector256.AndNot(pairs, alphanumeric) | (dashes & Vector256.Equals(third, dash));
            var bits = hits.ExtractMostSignificantBits();
            if (bits != 0)
            {
                return position + System.Numerics.BitOperations.TrailingZeroCount(bits);
            }
        }

        return -1;
    }
}
