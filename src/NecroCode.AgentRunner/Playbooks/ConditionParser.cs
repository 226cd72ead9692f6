using System.Globalization;

namespace NecroCode.AgentRunner.Playbooks;

/// <summary>
/// Recursive-descent parser of the condition language, to an AST. Bounded: input length
/// (<see cref="PlaybookCondition.MaxLength"/>) and nesting depth (<see cref="PlaybookCondition.MaxDepth"/>).
/// </summary>
/// <remarks>
/// Grammar: or := and ('||' and)* ; and := unary ('&amp;&amp;' unary)* ; unary := '!' unary | comparison ;
/// comparison := primary (('=='|'!='|'&lt;'|'&lt;='|'&gt;'|'&gt;=') primary)? ;
/// primary := literal | '(' or ')' | function '(' args ')' | path.
/// </remarks>
internal sealed class ConditionParser
{
    private static readonly string[] TaskFields = ["taskid", "specname", "title", "description", "requiredskill", "skill", "branchname", "failfast"];

    private readonly List<ConditionToken> _tokens;
    private readonly List<(string, int)> _variables = [];
    private readonly List<(string, int)> _steps = [];
    private int _position;
    private int _depth;
    private bool _usesStatus;

    private ConditionParser(List<ConditionToken> tokens) => _tokens = tokens;

    private ConditionToken Current => _tokens[_position];

    public static Result Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new ConditionSyntaxException("the condition is empty", 1, "");
        }

        if (text.Length > PlaybookCondition.MaxLength)
        {
            throw new ConditionSyntaxException(
                string.Create(CultureInfo.InvariantCulture, $"the condition is {text.Length} characters long; at most {PlaybookCondition.MaxLength} are allowed"),
                PlaybookCondition.MaxLength + 1,
                text[PlaybookCondition.MaxLength].ToString());
        }

        var parser = new ConditionParser(ConditionLexer.Tokenize(text));
        var root = parser.ParseOr();
        if (parser.Current.Kind != ConditionTokenKind.End)
        {
            throw parser.Unexpected("an operator or the end of the expression");
        }

        return new Result(root, parser._usesStatus, parser._variables, parser._steps);
    }

    private ConditionNode ParseOr()
    {
        Enter();
        var left = ParseAnd();
        while (Current.Kind == ConditionTokenKind.Or)
        {
            _position++;
            left = new OrNode(left, ParseAnd());
        }

        _depth--;
        return left;
    }

    private ConditionNode ParseAnd()
    {
        var left = ParseUnary();
        while (Current.Kind == ConditionTokenKind.And)
        {
            _position++;
            left = new AndNode(left, ParseUnary());
        }

        return left;
    }

    private ConditionNode ParseUnary()
    {
        if (Current.Kind == ConditionTokenKind.Not)
        {
            Enter();
            _position++;
            var operand = new NotNode(ParseUnary());
            _depth--;
            return operand;
        }

        var left = ParsePrimary();
        var op = Current.Kind;
        if (op is ConditionTokenKind.Equal or ConditionTokenKind.NotEqual or ConditionTokenKind.Less
            or ConditionTokenKind.LessOrEqual or ConditionTokenKind.Greater or ConditionTokenKind.GreaterOrEqual)
        {
            _position++;
            var right = ParsePrimary();
            if (Current.Kind is ConditionTokenKind.Equal or ConditionTokenKind.NotEqual or ConditionTokenKind.Less
                or ConditionTokenKind.LessOrEqual or ConditionTokenKind.Greater or ConditionTokenKind.GreaterOrEqual)
            {
                throw Unexpected("'&&', '||', ')' or the end (comparisons do not chain; use parentheses)");
            }

            return new CompareNode(op, left, right);
        }

        return left;
    }

    private ConditionNode ParsePrimary()
    {
        var token = Current;
        switch (token.Kind)
        {
            case ConditionTokenKind.String:
                _position++;
                return new LiteralNode(ConditionValue.Of(token.Value));
            case ConditionTokenKind.Number:
                _position++;
                return new LiteralNode(ConditionValue.Of(double.Parse(token.Text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture)));
            case ConditionTokenKind.True:
            case ConditionTokenKind.False:
                _position++;
                return new LiteralNode(ConditionValue.Of(token.Kind == ConditionTokenKind.True));
            case ConditionTokenKind.Null:
                _position++;
                return new LiteralNode(ConditionValue.Null);
            case ConditionTokenKind.LeftParen:
                _position++;
                var inner = ParseOr();
                Expect(ConditionTokenKind.RightParen, "')'");
                return inner;
            case ConditionTokenKind.Identifier:
                return _tokens[_position + 1].Kind == ConditionTokenKind.LeftParen ? ParseFunction() : ParsePath();
            default:
                throw Unexpected("a value: a string, a number, true, false, null, '(', a function or task./vars./steps.");
        }
    }

    private ConditionNode ParseFunction()
    {
        var name = Current;
        _position += 2;
        var args = new List<(ConditionNode Node, ConditionToken First)>();
        if (Current.Kind != ConditionTokenKind.RightParen)
        {
            while (true)
            {
                var first = Current;
                args.Add((ParseOr(), first));
                if (Current.Kind != ConditionTokenKind.Comma)
                {
                    break;
                }

                _position++;
            }
        }

        Expect(ConditionTokenKind.RightParen, "',' or ')'");
        var lower = name.Text.ToLowerInvariant();
        var arity = lower switch
        {
            "contains" or "startswith" or "endswith" => 2,
            "exists" => 1,
            "success" or "failure" or "always" => 0,
            _ => throw new ConditionSyntaxException(
                $"unknown function '{name.Text}' at column {name.Column}; known: contains, startsWith, endsWith, exists, success, failure, always",
                name.Column,
                name.Text),
        };
        if (args.Count != arity)
        {
            throw new ConditionSyntaxException(
                string.Create(CultureInfo.InvariantCulture, $"{name.Text}() at column {name.Column} takes {arity} argument{(arity == 1 ? "" : "s")}, not {args.Count}"),
                name.Column,
                name.Text);
        }

        switch (lower)
        {
            case "exists":
                var (path, first) = args[0];
                if (path is LiteralNode literal && WorkspacePaths.Check(literal.Value.AsText()) is { } problem)
                {
                    throw new ConditionSyntaxException($"exists() at column {name.Column}: {problem}", first.Column, first.Text);
                }

                return new ExistsNode(path);
            case "success" or "failure" or "always":
                _usesStatus = true;
                return new StatusFunctionNode(lower);
            default:
                return new TextFunctionNode(lower, args[0].Node, args[1].Node);
        }
    }

    private ConditionNode ParsePath()
    {
        var root = Current;
        _position++;
        var segments = new List<ConditionToken>();
        while (Current.Kind == ConditionTokenKind.Dot)
        {
            _position++;
            if (Current.Kind is not (ConditionTokenKind.Identifier or ConditionTokenKind.True or ConditionTokenKind.False or ConditionTokenKind.Null or ConditionTokenKind.Number))
            {
                throw Unexpected("a name after '.'");
            }

            segments.Add(Current);
            _position++;
        }

        switch (root.Text)
        {
            case "task":
                if (segments.Count == 0)
                {
                    throw Wrong(root, "'task' needs a field, e.g. task.taskId or task.metadata.<key>");
                }

                var field = segments[0].Text.ToLowerInvariant();
                if (field == "metadata")
                {
                    return segments.Count == 2 ? new MetadataNode(segments[1].Text) : throw Wrong(segments[0], "task.metadata needs exactly one key, e.g. task.metadata.language");
                }

                if (!TaskFields.Contains(field))
                {
                    throw Wrong(segments[0], $"unknown task field '{segments[0].Text}'; known: taskId, specName, title, description, requiredSkill (skill), branchName, failFast, metadata.<key>");
                }

                return segments.Count == 1 ? new TaskFieldNode(field) : throw Wrong(segments[1], $"task.{segments[0].Text} has no fields");
            case "vars":
                if (segments.Count != 1)
                {
                    throw Wrong(segments.Count == 0 ? root : segments[1], "variables are read as vars.<name>");
                }

                _variables.Add((segments[0].Text, segments[0].Column));
                return new VariableNode(segments[0].Text);
            case "steps":
                if (segments.Count != 2 || segments[1].Text != "outcome")
                {
                    throw Wrong(segments.Count < 2 ? root : segments[1], "step outcomes are read as steps.<name>.outcome");
                }

                _steps.Add((segments[0].Text, segments[0].Column));
                return new StepOutcomeNode(segments[0].Text);
            case "env":
                throw Wrong(root, "environment variables are not available to conditions (they may hold secrets); pass the value as a playbook variable or task metadata");
            default:
                throw Wrong(root, $"unknown name '{root.Text}'; a value is a literal, a function call, or starts with task., vars. or steps.");
        }
    }

    private void Enter()
    {
        if (++_depth > PlaybookCondition.MaxDepth)
        {
            throw Wrong(Current, string.Create(CultureInfo.InvariantCulture, $"the expression nests deeper than {PlaybookCondition.MaxDepth} levels"));
        }
    }

    private void Expect(ConditionTokenKind kind, string what)
    {
        if (Current.Kind != kind)
        {
            throw Unexpected(what);
        }

        _position++;
    }

    private ConditionSyntaxException Unexpected(string expected) =>
        new($"expected {expected} at column {Current.Column}, found {Current.Describe()}", Current.Column, Current.Text);

    private static ConditionSyntaxException Wrong(ConditionToken token, string message) =>
        new($"{message} (column {token.Column})", token.Column, token.Text);

    internal sealed record Result(ConditionNode Root, bool UsesStatusFunction, IReadOnlyList<(string Name, int Column)> Variables, IReadOnlyList<(string Name, int Column)> Steps);
}
