namespace NecroCode.AgentRunner.Playbooks;

/// <summary>One token of a condition; <see cref="Column"/> counts from 1 within the expression.</summary>
internal readonly record struct ConditionToken(ConditionTokenKind Kind, string Text, int Column, string? Value = null)
{
    public string Describe() => Kind == ConditionTokenKind.End ? "the end of the expression" : $"'{Text}'";
}

/// <summary>The kinds of <see cref="ConditionToken"/>.</summary>
internal enum ConditionTokenKind
{
    End,
    String,
    Number,
    True,
    False,
    Null,
    Identifier,
    Dot,
    LeftParen,
    RightParen,
    Comma,
    Not,
    And,
    Or,
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}

/// <summary>A condition does not parse; <see cref="Column"/> and <see cref="Token"/> say where and what.</summary>
internal sealed class ConditionSyntaxException(string message, int column, string token) : Exception(message)
{
    public int Column { get; } = column;

    public string Token { get; } = token;
}
