using System.Globalization;

namespace NecroCode.AgentRunner.Playbooks;

/// <summary>A value of the condition language: null, a boolean, a number or a string.</summary>
internal readonly record struct ConditionValue
{
    private ConditionValue(ConditionValueKind kind, bool boolean, double number, string? text)
    {
        Kind = kind;
        Boolean = boolean;
        Number = number;
        Text = text;
    }

    public ConditionValueKind Kind { get; }

    public bool Boolean { get; }

    public double Number { get; }

    public string? Text { get; }

    public static ConditionValue Null => default;

    public static ConditionValue True { get; } = new(ConditionValueKind.Boolean, true, 0, null);

    public static ConditionValue False { get; } = new(ConditionValueKind.Boolean, false, 0, null);

    public static ConditionValue Of(bool value) => value ? True : False;

    public static ConditionValue Of(double value) => new(ConditionValueKind.Number, false, value, null);

    public static ConditionValue Of(string? value) => value is null ? Null : new(ConditionValueKind.String, false, 0, value);

    /// <summary>Null, false, 0 and '' are false; everything else is true.</summary>
    public bool IsTruthy => Kind switch
    {
        ConditionValueKind.Boolean => Boolean,
        ConditionValueKind.Number => Number != 0,
        ConditionValueKind.String => Text!.Length > 0,
        _ => false,
    };

    /// <summary>The value as a number when it is one, or a string that is a plain decimal number.</summary>
    public bool TryGetNumber(out double number)
    {
        number = Number;
        if (Kind == ConditionValueKind.Number)
        {
            return true;
        }

        return Kind == ConditionValueKind.String && IsPlainNumber(Text!) &&
            double.TryParse(Text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out number);
    }

    /// <summary>The value as text for string comparisons and functions: null is '', booleans are 'true'/'false'.</summary>
    public string AsText() => Kind switch
    {
        ConditionValueKind.Boolean => Boolean ? "true" : "false",
        ConditionValueKind.Number => Number.ToString(CultureInfo.InvariantCulture),
        ConditionValueKind.String => Text!,
        _ => "",
    };

    /// <summary>An optional minus, digits, optionally a point and more digits (no exponent, no NaN, no spaces).</summary>
    internal static bool IsPlainNumber(string text)
    {
        var i = text.Length > 0 && text[0] == '-' ? 1 : 0;
        var start = i;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        if (i == start || i > start + 300)
        {
            return false;
        }

        if (i == text.Length)
        {
            return true;
        }

        if (text[i] != '.' || i == text.Length - 1)
        {
            return false;
        }

        for (i++; i < text.Length; i++)
        {
            if (!char.IsAsciiDigit(text[i]))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>The kinds of <see cref="ConditionValue"/>.</summary>
internal enum ConditionValueKind
{
    Null,
    Boolean,
    Number,
    String,
}
