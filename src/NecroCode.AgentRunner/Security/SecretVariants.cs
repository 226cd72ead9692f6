using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Net;

namespace NecroCode.AgentRunner.Security;

/// <summary>Computes the forms in which a secret value may appear in text.</summary>
internal static class SecretVariants
{
    /// <summary>
    /// Adds <paramref name="secret"/> and its common encodings to <paramref name="variants"/>: base64 and
    /// base64url in all three alignments, URL-encoded, JSON-escaped, hex lower and upper case.
    /// </summary>
    /// <param name="secret">The secret value.</param>
    /// <param name="minimumLength">Variants shorter than this are left out.</param>
    /// <param name="variants">Receives the variants.</param>
    public static void AddTo(string secret, int minimumLength, ISet<string> variants)
    {
        void Add(string value)
        {
            if (value.Length >= minimumLength)
            {
                variants.Add(value);
            }
        }

        Add(secret);
        var bytes = Encoding.UTF8.GetBytes(secret);
        for (var offset = 0; offset < 3; offset++)
        {
            var inner = StableBase64(bytes, offset);
            Add(inner);
            Add(inner.Replace('+', '-').Replace('/', '_'));
        }

        Add(Uri.EscapeDataString(secret));
        Add(WebUtility.UrlEncode(secret));
        Add(JsonEncodedText.Encode(secret).Value);
        Add(JsonEncodedText.Encode(secret, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).Value);
        Add(Convert.ToHexStringLower(bytes));
        Add(Convert.ToHexString(bytes));
    }

    /// <summary>
    /// The part of the base64 text that depends only on <paramref name="bytes"/> when they start at
    /// <paramref name="offset"/> (0, 1 or 2) of a 3-byte group: characters influenced by the bytes before
    /// or after the secret are cut off, so the result occurs in any base64 text that contains the secret.
    /// </summary>
    internal static string StableBase64(byte[] bytes, int offset)
    {
        var padded = new byte[offset + bytes.Length];
        bytes.CopyTo(padded, offset);
        var encoded = Convert.ToBase64String(padded);
        var firstBit = 8 * offset;
        var endBit = 8 * (offset + bytes.Length);
        var first = (firstBit + 5) / 6;
        var end = endBit / 6;
        return end > first ? encoded[first..end] : string.Empty;
    }
}
