namespace NecroCode.AgentRunner.Playbooks;

/// <summary>
/// A parsed step condition (<c>if:</c>) of the playbook expression language; see <c>docs/playbooks.md</c>.
/// Parsing happens when the playbook is loaded; evaluation only reads an <see cref="IConditionContext"/>.
/// </summary>
public sealed class PlaybookCondition
{
    /// <summary>The longest condition accepted: 4096 characters.</summary>
    public const int MaxLength = 4096;

    /// <summary>The deepest nesting of operators and parentheses accepted: 64.</summary>
    public const int MaxDepth = 64;

    private readonly ConditionNode _root;

    internal PlaybookCondition(string text, string file, int line, int column, ConditionParser.Result parsed)
    {
        Text = text;
        File = file;
        Line = line;
        Column = column;
        _root = parsed.Root;
        UsesStatusFunction = parsed.UsesStatusFunction;
        Variables = parsed.Variables;
        StepReferences = parsed.Steps;
    }

    /// <summary>The condition as written.</summary>
    public string Text { get; }

    /// <summary>The playbook file it is in.</summary>
    public string File { get; }

    /// <summary>The line of the condition in the playbook, from 1.</summary>
    public int Line { get; }

    /// <summary>The column of the condition in the playbook, from 1.</summary>
    public int Column { get; }

    /// <summary>Whether it calls <c>success()</c>, <c>failure()</c> or <c>always()</c> (and so is evaluated even after a failure).</summary>
    public bool UsesStatusFunction { get; }

    /// <summary>The variables it reads (<c>vars.&lt;name&gt;</c>).</summary>
    internal IReadOnlyList<(string Name, int Column)> Variables { get; }

    /// <summary>The steps whose outcome it reads (<c>steps.&lt;name&gt;.outcome</c>).</summary>
    internal IReadOnlyList<(string Name, int Column)> StepReferences { get; }

    /// <summary>Parses a condition outside of any playbook file.</summary>
    /// <param name="text">The condition.</param>
    /// <returns>The parsed condition.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    /// <exception cref="PlaybookException">It does not parse (the error names the column and the offending token).</exception>
    public static PlaybookCondition Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var (condition, error) = TryParse(text, "(condition)", 1, 1);
        return condition ?? throw new PlaybookException([error!]);
    }

    /// <summary>Evaluates the condition.</summary>
    /// <param name="context">What the condition can see.</param>
    /// <returns>Whether it holds (null, false, 0 and '' do not).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> is null.</exception>
    /// <exception cref="PlaybookException">It cannot be evaluated, e.g. <c>exists()</c> of a path outside the workspace.</exception>
    internal bool Evaluate(IConditionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return _root.Evaluate(new ConditionEvaluation(context, this)).IsTruthy;
    }

    /// <summary>The condition as written.</summary>
    /// <returns><see cref="Text"/>.</returns>
    public override string ToString() => Text;

    internal static (PlaybookCondition? Condition, PlaybookError? Error) TryParse(string text, string file, int line, int column)
    {
        try
        {
            return (new PlaybookCondition(text, file, line, column, ConditionParser.Parse(text)), null);
        }
        catch (ConditionSyntaxException ex)
        {
            return (null, new PlaybookError(file, line, column, $"condition '{Shorten(text)}' does not parse: {ex.Message} (offending token '{ex.Token}')."));
        }
    }

    internal PlaybookException EvaluationError(string message) =>
        new([new PlaybookError(File, Line, Column, $"condition '{Shorten(Text)}' cannot be evaluated: {message}")]);

    private static string Shorten(string text) => text.Length <= 120 ? text : string.Concat(text.AsSpan(0, 117), "...");
}
