using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace NecroCode.AgentRunner.IntegrationTests.Canary;

/// <summary>
/// The canary secrets, every encoding a stand-in prints them in, and the needles a scan looks for. The
/// values carry characters that URL and JSON encodings change, so that each encoding is a distinct string.
/// </summary>
internal static class Canaries
{
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public const string GitToken = "cnry-git+7Qx9/Lm2Vb8=Rt4Kp1";

    public const string ApiKey = "cnry-api/Zw3+Nd6 Hs0&Yc5Fj2";

    public static readonly IReadOnlyDictionary<string, string> ByName = new Dictionary<string, string>
    {
        ["git-token"] = GitToken,
        ["api-key"] = ApiKey,
    };

    /// <summary>Every printed form of <paramref name="value"/>: raw, base64 and base64url at all three alignments, URL, JSON, hex.</summary>
    public static IEnumerable<(string Encoding, string Text)> Printed(string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        yield return ("raw", value);
        for (var pad = 0; pad < 3; pad++)
        {
            var padded = Convert.ToBase64String([.. Encoding.ASCII.GetBytes("ab"[..pad]), .. bytes]);
            yield return ($"base64+{pad}", padded);
            yield return ($"base64url+{pad}", padded.Replace('+', '-').Replace('/', '_').TrimEnd('='));
        }

        yield return ("url", Uri.EscapeDataString(value));
        yield return ("form-url", WebUtility.UrlEncode(value));
        yield return ("json", JsonSerializer.Serialize(new { key = value }));
        yield return ("json-relaxed", JsonSerializer.Serialize(new { key = value }, Relaxed));
        yield return ("hex", Convert.ToHexStringLower(bytes));
        yield return ("HEX", Convert.ToHexString(bytes));
    }

    /// <summary>What must not occur anywhere: the value and the part of each encoding that only the value determines.</summary>
    public static IEnumerable<(string Encoding, string Needle)> Needles(string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        yield return ("raw", value);
        for (var offset = 0; offset < 3; offset++)
        {
            var whole = (bytes.Length - offset) / 3 * 3;
            var core = Convert.ToBase64String(bytes, offset, whole);
            yield return ($"base64@{offset}", core);
            yield return ($"base64url@{offset}", core.Replace('+', '-').Replace('/', '_'));
        }

        yield return ("url", Uri.EscapeDataString(value));
        yield return ("form-url", WebUtility.UrlEncode(value));
        yield return ("json", JsonEncodedText.Encode(value).Value);
        yield return ("json-relaxed", JsonEncodedText.Encode(value, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).Value);
        yield return ("hex", Convert.ToHexStringLower(bytes));
        yield return ("HEX", Convert.ToHexString(bytes));
    }

    public static IEnumerable<(string Canary, string Encoding, string Needle)> AllNeedles() =>
        ByName.SelectMany(c => Needles(c.Value).Select(n => (c.Key, n.Encoding, n.Needle))).Distinct();

    /// <summary>
    /// A shell script that prints both canaries in every encoding to stdout and stderr, the raw value and
    /// base64 also split in halves over two writes with a pause between, and the values it finds in its environment.
    /// </summary>
    public static string LeakScript()
    {
        var script = new StringBuilder("#!/bin/sh\necho \"leak-start $1\"\n");
        foreach (var (name, value) in ByName)
        {
            foreach (var (encoding, text) in Printed(value))
            {
                script.Append(CultureInfo.InvariantCulture, $"printf '%s\\n' '{name} {encoding}: {text}'\n");
                script.Append(CultureInfo.InvariantCulture, $"printf '%s\\n' '{name} {encoding}: {text}' >&2\n");
            }

            foreach (var text in new[] { value, Printed(value).First(p => p.Encoding == "base64+1").Text })
            {
                var half = text.Length / 2;
                script.Append(CultureInfo.InvariantCulture, $"printf '%s' '{name} split: {text[..half]}'; sleep 0.2; printf '%s\\n' '{text[half..]}'\n");
                script.Append(CultureInfo.InvariantCulture, $"printf '%s' '{text[..half]}' >&2; sleep 0.2; printf '%s\\n' '{text[half..]}' >&2\n");
            }
        }

        script.Append("""
            [ -n "$NECROCODE_GIT_TOKEN" ] && printf 'env git-token: %s\n' "$NECROCODE_GIT_TOKEN"
            [ -n "$NECROCODE_API_KEY" ] && printf '%s' "$NECROCODE_API_KEY" | base64 -w0 && echo
            echo "leak-end $1"

            """);
        return script.ToString();
    }
}
