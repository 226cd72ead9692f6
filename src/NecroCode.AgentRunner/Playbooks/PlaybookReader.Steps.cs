namespace NecroCode.AgentRunner.Playbooks;

internal sealed partial class PlaybookReader
{
    private const int MaxElseDepth = 8;

    internal static readonly string[] StepKeys =
        ["name", "uses", "run", "if", "else", "continue-on-error", "fail-fast", "timeout", "retry", "env", "working-directory", "always", "before", "after"];

    private static readonly TimeSpan MaxTimeout = TimeSpan.FromHours(24);

    private PlaybookStep? ReadStep(string file, YamlNode node, int depth, bool topLevel, bool extending)
    {
        if (node is not YamlMapping map)
        {
            Error(file, node, "a step is a mapping with 'uses' (a built-in step) or 'run' (a command), or an 'include'.");
            return null;
        }

        CheckKeys(file, map, StepKeys, "a step");
        var uses = OptionalString(file, map, "uses");
        var run = OptionalString(file, map, "run");
        var name = OptionalString(file, map, "name");
        if (uses is not null && run is not null)
        {
            Error(file, map, "a step has either 'uses' or 'run', not both.");
        }
        else if (uses is null && run is null)
        {
            Error(file, map, $"step{(name is null ? "" : $" '{name}'")} needs 'uses' (a built-in step) or 'run' (a command).");
        }

        if (uses is not null && !PlaybookBuiltInSteps.IsBuiltIn(uses))
        {
            Error(file, Find(map, "uses")!, $"unknown built-in step '{uses}'; known: {string.Join(", ", PlaybookBuiltInSteps.All)}.");
        }

        if (run is not null && string.IsNullOrWhiteSpace(run))
        {
            Error(file, Find(map, "run")!, "'run' is empty.");
        }

        name ??= uses;
        if (name is null && run is not null)
        {
            Error(file, map, "a command step needs a 'name'.");
        }
        else if (name is not null && !IsName(name, allowLeadingDigit: true))
        {
            Error(file, Find(map, "name") ?? map, $"'{name}' is not a valid step name (letters, digits, '_' and '-', at most 100 characters).");
        }

        if (uses is not null)
        {
            foreach (var commandOnly in new[] { "retry", "env", "working-directory" })
            {
                if (Find(map, commandOnly) is { } misplaced)
                {
                    Error(file, misplaced, $"'{commandOnly}' applies to command ('run') steps only; built-in step '{uses}' has its own.");
                }
            }
        }

        var step = new PlaybookStep
        {
            Name = name ?? "",
            Uses = uses,
            Run = run,
            If = ReadCondition(file, map),
            Else = ReadElse(file, map, depth, extending),
            ContinueOnError = ReadContinueOnError(file, map),
            Timeout = Find(map, "timeout") is { } timeout ? ReadDuration(file, timeout, "timeout", TimeSpan.Zero, MaxTimeout, allowZero: false) : null,
            Retry = Find(map, "retry") is { } retry ? ReadRetry(file, retry) : PlaybookRetry.None,
            Environment = ReadEnvironment(file, map),
            WorkingDirectory = ReadWorkingDirectory(file, map),
            Always = OptionalBool(file, map, "always") ?? PlaybookBuiltInSteps.IsAlwaysByDefault(uses),
            Before = OptionalString(file, map, "before"),
            After = OptionalString(file, map, "after"),
        };
        if ((step.Before is not null || step.After is not null) && !(topLevel && extending))
        {
            Error(file, Find(map, "before") ?? Find(map, "after")!, topLevel
                ? "'before'/'after' place a step in the default playbook; they need 'extends: default'."
                : "'before'/'after' are not allowed on else steps.");
        }

        if (step.Before is not null && step.After is not null)
        {
            Error(file, map, "a step has 'before' or 'after', not both.");
        }

        _places[step] = (file, map.Line, map.Column);
        return step;
    }

    private PlaybookCondition? ReadCondition(string file, YamlMapping map)
    {
        if (Find(map, "if") is not { } node || Scalar(file, node, "if") is not { } text)
        {
            return null;
        }

        var (condition, error) = PlaybookCondition.TryParse(text, file, node.Line, node.Column);
        if (error is not null)
        {
            _errors.Add(error);
        }

        return condition;
    }

    private List<PlaybookStep> ReadElse(string file, YamlMapping map, int depth, bool extending)
    {
        if (Find(map, "else") is not { } node)
        {
            return [];
        }

        if (Find(map, "if") is null)
        {
            Error(file, map.Entries.First(e => e.Key.Value == "else").Key, "'else' needs an 'if'.");
        }

        if (depth + 1 > MaxElseDepth)
        {
            Error(file, node, $"'else' steps nest deeper than {MaxElseDepth} levels.");
            return [];
        }

        return ReadStepList(file, node, depth + 1, topLevel: false, extending);
    }

    private bool ReadContinueOnError(string file, YamlMapping map)
    {
        var continueOnError = OptionalBool(file, map, "continue-on-error");
        var failFast = OptionalBool(file, map, "fail-fast");
        if (continueOnError is not null && failFast is not null)
        {
            Error(file, Find(map, "fail-fast")!, "give 'continue-on-error' or 'fail-fast' (its inverse), not both.");
        }

        return continueOnError ?? (failFast is { } ff && !ff);
    }

    private PlaybookRetry ReadRetry(string file, YamlNode node)
    {
        YamlNode? countNode = node;
        YamlNode? backoffNode = null;
        if (node is YamlMapping map)
        {
            CheckKeys(file, map, ["count", "backoff"], "retry");
            countNode = Find(map, "count");
            backoffNode = Find(map, "backoff");
            if (countNode is null)
            {
                Error(file, map, "retry needs a 'count'.");
            }
        }

        var count = 0;
        if (countNode is not null && Scalar(file, countNode, "retry count") is { } text)
        {
            if (!int.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out count)
                || count < 0 || count > PlaybookRetry.MaxCount)
            {
                Error(file, countNode, $"retry count '{text}' is out of range: give a whole number from 0 to {PlaybookRetry.MaxCount}.");
                count = 0;
            }
        }

        var backoff = backoffNode is null
            ? PlaybookRetry.DefaultBackoff
            : ReadDuration(file, backoffNode, "retry backoff", TimeSpan.Zero, PlaybookRetry.MaxBackoff, allowZero: true) ?? PlaybookRetry.DefaultBackoff;
        return new PlaybookRetry(count, backoff);
    }

    private Dictionary<string, string> ReadEnvironment(string file, YamlMapping map)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Find(map, "env") is not { } node)
        {
            return environment;
        }

        if (node is not YamlMapping env)
        {
            Error(file, node, "env is a mapping of variable names to values.");
            return environment;
        }

        foreach (var (key, value) in env.Entries)
        {
            if (!IsEnvironmentName(key.Value))
            {
                Error(file, key, $"'{key.Value}' is not a valid environment variable name (letters, digits and '_', not starting with a digit).");
            }
            else if (value is not YamlScalar scalar)
            {
                Error(file, value, $"environment variable '{key.Value}' must be a single value.");
            }
            else
            {
                environment[key.Value] = scalar.IsNull ? "" : scalar.Value;
            }
        }

        return environment;
    }

    private string? ReadWorkingDirectory(string file, YamlMapping map)
    {
        if (Find(map, "working-directory") is not { } node || Scalar(file, node, "working-directory") is not { } path)
        {
            return null;
        }

        if (WorkspacePaths.Check(path) is { } problem)
        {
            Error(file, node, $"working-directory must stay inside the workspace: {problem}");
            return null;
        }

        return path.Replace('\\', '/');
    }
}
