using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NecroCode.AgentRunner.Security;

/// <summary>
/// Finds <c>sk-</c> at a word start (the character before it is not an ASCII letter or digit), the only
/// positions where <see cref="TokenShapes"/> accepts an API key. Log text is full of <c>task-</c>,
/// <c>desk-</c> and <c>risk-</c>; searching <c>sk-</c> among the other token prefixes stopped the
/// vectorised search at every one of them. This scan tests the three characters and the boundary in the
/// same vector step, so those never become candidates.
/// </summary>
internal static class ApiKeyPrefixFinder
{
    /// <summary>The prefix searched.</summary>
    public const string Prefix = "sk-";

    /// <summary>The first start at or after <paramref name="from"/> of <c>sk-</c> at a word start, or -1.</summary>
    /// <param name="text">The text.</param>
    /// <param name="from">The first start to consider.</param>
    /// <param name="previous">The character before <paramref name="text"/>; <c>'\0'</c> when none.</param>
    /// <returns>The start, or -1.</returns>
    public static int IndexOf(ReadOnlySpan<char> text, int from, char previous)
    {
        var last = text.Length - Prefix.Length;
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

    private static bool IsAt(ReadOnlySpan<char> text, int position, char before) =>
        text[position] == 's' && text[position + 1] == 'k' && text[position + 2] == '-' && !char.IsAsciiLetterOrDigit(before);

    /// <summary>
    /// Scans whole vectors from <paramref name="position"/> (at least 1) and returns the first hit, or -1;
    /// then <paramref name="position"/> is the first start the vectors did not cover.
    /// </summary>
    private static int VectorScan(ReadOnlySpan<char> text, ref int position)
    {
        var count = Vector256<ushort>.Count;
        ref var start = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(text));
        var s = Vector256.Create((ushort)'s');
        var k = Vector256.Create((ushort)'k');
        var dash = Vector256.Create((ushort)'-');
        var zero = Vector256.Create((ushort)'0');
        var ten = Vector256.Create((ushort)10);
        var lower = Vector256.Create((ushort)0x20);
        var a = Vector256.Create((ushort)'a');
        var letters = Vector256.Create((ushort)26);

        // A vector at position p reads p - 1 .. p + count + 1, so it must end at or before text.Length.
        for (; position + count + 2 <= text.Length; position += count)
        {
            var first = Vector256.LoadUnsafe(ref start, (nuint)position);
            var second = Vector256.LoadUnsafe(ref start, (nuint)(position + 1));
            var third = Vector256.LoadUnsafe(ref start, (nuint)(position + 2));
            var hits = Vector256.Equals(first, s) & Vector256.Equals(second, k) & Vector256.Equals(third, dash);
            if (hits == Vector256<ushort>.Zero)
            {
                continue;
            }

            var before = Vector256.LoadUnsafe(ref start, (nuint)(position - 1));
            var alphanumeric = Vector256.LessThan(before - zero, ten) | Vector256.LessThan((before | lower) - a, letters);
            var bits = Vector256.AndNot(hits, alphanumeric).ExtractMostSignificantBits();
            if (bits != 0)
            {
                return position + System.Numerics.BitOperations.TrailingZeroCount(bits);
            }
        }

        return -1;
    }
}
