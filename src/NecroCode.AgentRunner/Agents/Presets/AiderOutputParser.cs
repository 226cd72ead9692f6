using System.Globalization;
using System.Text.RegularExpressions;
using NecroCode.AgentRunner.Agents.CommandLine;

namespace NecroCode.AgentRunner.Agents.Presets;

/// <summary>
/// Reads Aider's plain-text output: each line is passed on without terminal escapes, and its per-message usage lines
/// (<c>Tokens: 4.2k sent, 1.1k cache hit, 310 received. Cost: $0.02 message, $0.05 session.</c>) are summed, each one a turn. The
/// outcome is the exit code.
/// </summary>
internal sealed partial class AiderOutputParser : AgentOutputParser
{
    /// <inheritdoc />
    public override bool ReportsFinalResult => false;

    /// <inheritdoc />
    public override void Accept(string line, Action<string> emit)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(emit);
        var text = TerminalText.StripEscapes(line);
        emit(text);
        if (!text.Contains("Tokens:", StringComparison.Ordinal))
        {
            return;
        }

        var match = AiderTokens().Match(text);
        if (!match.Success)
        {
            return;
        }

        long? cached = match.Groups["hit"].Success ? Count(match.Groups["hit"].Value) : null;
        decimal? cost = match.Groups["cost"].Success && decimal.TryParse(match.Groups["cost"].Value, NumberStyles.Number, CultureInfo.InvariantCulture, out var c) ? c : null;
        CountTurn();
        AddUsage(new AgentUsage(Count(match.Groups["sent"].Value), Count(match.Groups["received"].Value), cached, cost));
    }

    private static long Count(string text)
    {
        var multiplier = 1m;
        var number = text.Replace(",", "", StringComparison.Ordinal);
        if (number.EndsWith('k') || number.EndsWith('K'))
        {
            multiplier = 1_000m;
            number = number[..^1];
        }
        else if (number.EndsWith('M') || number.EndsWith('m'))
        {
            multiplier = 1_000_000m;
            number = number[..^1];
        }

        return decimal.TryParse(number, NumberStyles.Number, CultureInfo.InvariantCulture, out var value) ? (long)Math.Round(value * multiplier) : 0;
    }

    [GeneratedRegex(@"Tokens:\s*(?<sent>[\d.,]+[kKmM]?)\s+sent,(?:.*?(?<hit>[\d.,]+[kKmM]?)\s+cache hit,)?.*?(?<received>[\d.,]+[kKmM]?)\s+received\.(?:\s*Cost:\s*\$(?<cost>[\d.,]+)\s+message)?", RegexOptions.CultureInvariant)]
    private static partial Regex AiderTokens();
}
