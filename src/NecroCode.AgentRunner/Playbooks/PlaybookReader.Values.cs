using System.Globalization;

namespace NecroCode.AgentRunner.Playbooks;

internal sealed partial class PlaybookReader
{
    private static YamlNode? Find(YamlMapping mapping, string key)
    {
        foreach (var (k, v) in mapping.Entries)
        {
            if (k.Value == key)
            {
                return v;
            }
        }

        return null;
    }

    private void CheckKeys(string file, YamlMapping mapping, string[] known, string what)
    {
        foreach (var (key, _) in mapping.Entries)
        {
            if (!known.Contains(key.Value, StringComparer.Ordinal))
            {
                Error(file, key, $"unknown field '{Shorten(key.Value)}' in {what}; known: {string.Join(", ", known)}.");
            }
        }
    }

    private string? Scalar(string file, YamlNode node, string what)
    {
        if (node is YamlScalar scalar)
        {
            return scalar.IsNull ? null : scalar.Value;
        }

        Error(file, node, $"'{what}' must be a single value, not a list or mapping.");
        return null;
    }

    private string? OptionalString(string file, YamlMapping mapping, string key) =>
        Find(mapping, key) is { } node ? Scalar(file, node, key) : null;

    private bool? OptionalBool(string file, YamlMapping mapping, string key)
    {
        if (Find(mapping, key) is not { } node || Scalar(file, node, key) is not { } text)
        {
            return null;
        }

        if (bool.TryParse(text, out var value))
        {
            return value;
        }

        Error(file, node, $"'{key}' must be true or false, not '{Shorten(text)}'.");
        return null;
    }

    private TimeSpan? ReadDuration(string file, YamlNode node, string what, TimeSpan min, TimeSpan max, bool allowZero)
    {
        if (Scalar(file, node, what) is not { } text)
        {
            return null;
        }

        if (!TryParseDuration(text, out var value))
        {
            Error(file, node, $"{what} '{Shorten(text)}' is not a duration; write e.g. 500ms, 30s, 5m, 1h30m or 00:05:00.");
            return null;
        }

        if (value < min || value > max || (!allowZero && value == TimeSpan.Zero))
        {
            Error(file, node, $"{what} '{text}' is out of range: it must be {(allowZero ? "at least 0" : "more than 0")} and at most {max:c}.");
            return null;
        }

        return value;
    }

    /// <summary>Parses <c>500ms</c>, <c>30s</c>, <c>5m</c>, <c>2h</c>, sums of them (<c>1h30m</c>), or <c>hh:mm:ss</c>.</summary>
    internal static bool TryParseDuration(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        text = text.Trim();
        if (text.Contains(':', StringComparison.Ordinal))
        {
            return TimeSpan.TryParseExact(text, "c", CultureInfo.InvariantCulture, out value) && value >= TimeSpan.Zero;
        }

        var i = 0;
        var totalMs = 0.0;
        while (i < text.Length)
        {
            var start = i;
            while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
            {
                i++;
            }

            if (i == start || i - start > 12 || !double.TryParse(text.AsSpan(start, i - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                return false;
            }

            var unitStart = i;
            while (i < text.Length && char.IsAsciiLetter(text[i]))
            {
                i++;
            }

            var factor = text[unitStart..i] switch
            {
                "ms" => 1.0,
                "s" => 1000.0,
                "m" => 60_000.0,
                "h" => 3_600_000.0,
                _ => 0.0,
            };
            if (factor == 0.0)
            {
                return false;
            }

            totalMs += number * factor;
        }

        if (totalMs > TimeSpan.MaxValue.TotalMilliseconds / 2)
        {
            return false;
        }

        value = TimeSpan.FromMilliseconds(totalMs);
        return text.Length > 0;
    }

    private static bool IsName(string text, bool allowLeadingDigit)
    {
        if (text.Length is 0 or > 100 || !(char.IsAsciiLetter(text[0]) || text[0] == '_' || (allowLeadingDigit && char.IsAsciiDigit(text[0]))))
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsEnvironmentName(string text) =>
        text.Length is > 0 and <= 200 && !char.IsAsciiDigit(text[0]) && text.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    private static string Shorten(string text) => text.Length <= 60 ? text : string.Concat(text.AsSpan(0, 57), "...");
}
