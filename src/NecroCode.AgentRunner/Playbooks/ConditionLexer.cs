using System.Text;

namespace NecroCode.AgentRunner.Playbooks;

/// <summary>Splits a condition into tokens. Hand-written; never backtracks; linear in the input.</summary>
internal static class ConditionLexer
{
    public static List<ConditionToken> Tokenize(string text)
    {
        var tokens = new List<ConditionToken>();
        var i = 0;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i >= text.Length)
            {
                tokens.Add(new ConditionToken(ConditionTokenKind.End, "", text.Length + 1));
                return tokens;
            }

            var c = text[i];
            var column = i + 1;
            var next = i + 1 < text.Length ? text[i + 1] : '\0';
            switch (c)
            {
                case '(': tokens.Add(new(ConditionTokenKind.LeftParen, "(", column)); i++; continue;
                case ')': tokens.Add(new(ConditionTokenKind.RightParen, ")", column)); i++; continue;
                case ',': tokens.Add(new(ConditionTokenKind.Comma, ",", column)); i++; continue;
                case '.': tokens.Add(new(ConditionTokenKind.Dot, ".", column)); i++; continue;
                case '&' when next == '&': tokens.Add(new(ConditionTokenKind.And, "&&", column)); i += 2; continue;
                case '|' when next == '|': tokens.Add(new(ConditionTokenKind.Or, "||", column)); i += 2; continue;
                case '=' when next == '=': tokens.Add(new(ConditionTokenKind.Equal, "==", column)); i += 2; continue;
                case '!' when next == '=': tokens.Add(new(ConditionTokenKind.NotEqual, "!=", column)); i += 2; continue;
                case '!': tokens.Add(new(ConditionTokenKind.Not, "!", column)); i++; continue;
                case '<' when next == '=': tokens.Add(new(ConditionTokenKind.LessOrEqual, "<=", column)); i += 2; continue;
                case '<': tokens.Add(new(ConditionTokenKind.Less, "<", column)); i++; continue;
                case '>' when next == '=': tokens.Add(new(ConditionTokenKind.GreaterOrEqual, ">=", column)); i += 2; continue;
                case '>': tokens.Add(new(ConditionTokenKind.Greater, ">", column)); i++; continue;
                case '=': throw new ConditionSyntaxException($"unexpected '=' at column {column}; comparisons use '=='", column, "=");
                case '&': throw new ConditionSyntaxException($"unexpected '&' at column {column}; 'and' is '&&'", column, "&");
                case '|': throw new ConditionSyntaxException($"unexpected '|' at column {column}; 'or' is '||'", column, "|");
                case '\'' or '"': i = ReadString(text, i, tokens); continue;
                default: break;
            }

            if (char.IsAsciiDigit(c) || (c == '-' && char.IsAsciiDigit(next)))
            {
                i = ReadNumber(text, i, tokens);
            }
            else if (char.IsAsciiLetter(c) || c == '_')
            {
                var start = i;
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '_' or '-'))
                {
                    i++;
                }

                var word = text[start..i];
                var kind = word switch
                {
                    "true" => ConditionTokenKind.True,
                    "false" => ConditionTokenKind.False,
                    "null" => ConditionTokenKind.Null,
                    _ => ConditionTokenKind.Identifier,
                };
                tokens.Add(new(kind, word, column));
            }
            else
            {
                var shown = char.IsControl(c) ? $"U+{(int)c:X4}" : c.ToString();
                throw new ConditionSyntaxException($"unexpected character '{shown}' at column {column}", column, shown);
            }
        }
    }

    private static int ReadString(string text, int i, List<ConditionToken> tokens)
    {
        var quote = text[i];
        var start = i;
        var value = new StringBuilder();
        i++;
        while (true)
        {
            if (i >= text.Length)
            {
                var shown = text[start..Math.Min(text.Length, start + 20)];
                throw new ConditionSyntaxException($"the string starting at column {start + 1} is not closed with {quote}", start + 1, shown);
            }

            if (text[i] == quote)
            {
                if (i + 1 < text.Length && text[i + 1] == quote)
                {
                    value.Append(quote);
                    i += 2;
                    continue;
                }

                i++;
                break;
            }

            value.Append(text[i]);
            i++;
        }

        tokens.Add(new(ConditionTokenKind.String, text[start..i], start + 1, value.ToString()));
        return i;
    }

    private static int ReadNumber(string text, int i, List<ConditionToken> tokens)
    {
        var start = i;
        i++;
        while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '.' or '_'))
        {
            i++;
        }

        var word = text[start..i];
        if (!ConditionValue.IsPlainNumber(word))
        {
            throw new ConditionSyntaxException($"'{word}' at column {start + 1} is not a number", start + 1, word);
        }

        tokens.Add(new(ConditionTokenKind.Number, word, start + 1));
        return i;
    }
}
