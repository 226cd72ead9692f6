namespace NecroCode.AgentRunner.Playbooks;

/// <summary>
/// Turns playbook YAML into a <see cref="Playbook"/>: reads the document, splices includes (with cycle detection),
/// merges an extending playbook into the default, and validates everything, collecting every error.
/// </summary>
internal sealed partial class PlaybookReader
{
    private const int MaxIncludeDepth = 16;

    internal static readonly string[] RootKeys = ["name", "description", "extends", "variables", "budgets", "steps"];

    private readonly List<PlaybookError> _errors = [];
    private readonly Dictionary<PlaybookStep, (string File, int Line, int Column)> _places = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, string> _variables = new(StringComparer.Ordinal);
    private readonly List<string> _includeStack = [];
    private readonly Func<string, string> _readFile;
    private readonly string _baseDirectory;
    private readonly bool _checkOrder;

    private PlaybookReader(Func<string, string> readFile, string baseDirectory, bool checkOrder)
    {
        _readFile = readFile;
        _baseDirectory = baseDirectory;
        _checkOrder = checkOrder;
    }

    /// <summary>Reads and validates a playbook.</summary>
    /// <param name="yaml">The playbook text.</param>
    /// <param name="sourceName">The name errors give for the text.</param>
    /// <param name="sourcePath">The file it came from, if any.</param>
    /// <param name="baseDirectory">Where relative includes of text without a file are looked up.</param>
    /// <param name="readFile">Reads an included file.</param>
    /// <param name="checkOrder">Also check the order of the steps as a run needs it (prerequisites, the test step's rules).</param>
    /// <returns>The playbook.</returns>
    /// <exception cref="PlaybookException">The playbook is invalid; every problem is listed.</exception>
    public static Playbook Read(string yaml, string sourceName, string? sourcePath, string? baseDirectory, Func<string, string> readFile, bool checkOrder = false)
    {
        var reader = new PlaybookReader(readFile, Path.GetFullPath(baseDirectory ?? Directory.GetCurrentDirectory()), checkOrder);
        if (sourcePath is not null)
        {
            reader._includeStack.Add(Path.GetFullPath(sourcePath));
        }

        var playbook = reader.ReadRoot(yaml, sourceName, sourcePath);
        return reader._errors.Count > 0 ? throw new PlaybookException([.. reader._errors]) : playbook!;
    }

    private Playbook? ReadRoot(string yaml, string file, string? sourcePath)
    {
        var root = YamlTree.Read(yaml, file, _errors);
        if (root is null)
        {
            if (_errors.Count == 0)
            {
                Error(file, 0, 0, "the playbook is empty.");
            }

            return null;
        }

        if (root is not YamlMapping mapping)
        {
            Error(file, root, "a playbook is a mapping with name, description, extends, variables and steps.");
            return null;
        }

        CheckKeys(file, mapping, RootKeys, "the playbook");
        var name = OptionalString(file, mapping, "name") ?? DefaultName(file);
        var description = OptionalString(file, mapping, "description") ?? "";
        var extendsNode = Find(mapping, "extends");
        string? extends = null;
        if (extendsNode is not null)
        {
            extends = Scalar(file, extendsNode, "extends");
            if (extends is not null && extends != Playbook.DefaultName)
            {
                Error(file, extendsNode, $"extends must be '{Playbook.DefaultName}' (the only playbook that can be extended), not '{extends}'.");
            }
        }

        ReadVariables(file, mapping);
        var budgets = ReadBudgets(file, mapping);
        var stepsNode = Find(mapping, "steps");
        var steps = stepsNode is null ? [] : ReadStepList(file, stepsNode, depth: 0, topLevel: true, extending: extends is not null);
        if (stepsNode is null && extends is null)
        {
            Error(file, mapping, "the playbook has no 'steps' (give them, or 'extends: default' to start from the built-in pipeline).");
        }
        else if (stepsNode is YamlSequence { Items.Count: 0 } or YamlScalar { IsNull: true } && extends is null)
        {
            Error(file, stepsNode, "the playbook has no steps.");
        }

        if (extends is not null)
        {
            steps = Extend(steps);
        }

        var playbook = new Playbook
        {
            Name = name,
            Description = description,
            Variables = new Dictionary<string, string>(_variables, StringComparer.Ordinal),
            Steps = steps,
            SourcePath = sourcePath is null ? null : Path.GetFullPath(sourcePath),
            Extends = extends,
            Budgets = budgets,
        };
        Validate(playbook, file);
        return playbook;
    }

    private void ReadVariables(string file, YamlMapping mapping)
    {
        if (Find(mapping, "variables") is not { } node)
        {
            return;
        }

        if (node is YamlScalar { IsNull: true })
        {
            return;
        }

        if (node is not YamlMapping variables)
        {
            Error(file, node, "variables is a mapping of names to values.");
            return;
        }

        foreach (var (key, value) in variables.Entries)
        {
            if (!IsName(key.Value, allowLeadingDigit: false))
            {
                Error(file, key, $"'{key.Value}' is not a valid variable name (letters, digits, '_' and '-', starting with a letter or '_').");
                continue;
            }

            if (value is not YamlScalar scalar)
            {
                Error(file, value, $"variable '{key.Value}' must be a single value, not a list or mapping.");
                continue;
            }

            _variables.TryAdd(key.Value, scalar.IsNull ? "" : scalar.Value);
        }
    }

    private List<PlaybookStep> ReadStepList(string file, YamlNode node, int depth, bool topLevel, bool extending)
    {
        var steps = new List<PlaybookStep>();
        if (node is YamlScalar { IsNull: true })
        {
            return steps;
        }

        if (node is not YamlSequence sequence)
        {
            Error(file, node, "steps is a list of steps.");
            return steps;
        }

        foreach (var item in sequence.Items)
        {
            if (item is YamlMapping map && Find(map, "include") is { } include)
            {
                steps.AddRange(ReadInclude(file, map, include, depth, topLevel, extending));
            }
            else if (ReadStep(file, item, depth, topLevel, extending) is { } step)
            {
                steps.Add(step);
            }
        }

        return steps;
    }

    private List<PlaybookStep> ReadInclude(string file, YamlMapping map, YamlNode include, int depth, bool topLevel, bool extending)
    {
        CheckKeys(file, map, ["include"], "an include");
        if (Scalar(file, include, "include") is not { Length: > 0 } relative)
        {
            return [];
        }

        if (Path.IsPathRooted(relative))
        {
            Error(file, include, $"include '{relative}' must be a path relative to the including file.");
            return [];
        }

        var baseDirectory = _includeStack.Count > 0 ? Path.GetDirectoryName(_includeStack[^1])! : _baseDirectory;
        var full = Path.GetFullPath(Path.Combine(baseDirectory, relative));
        if (_includeStack.Contains(full, StringComparer.Ordinal))
        {
            var chain = string.Join(" -> ", _includeStack.SkipWhile(p => p != full).Append(full).Select(Path.GetFileName));
            Error(file, include, $"include cycle: {chain}.");
            return [];
        }

        if (_includeStack.Count >= MaxIncludeDepth)
        {
            Error(file, include, $"includes nest deeper than {MaxIncludeDepth} files.");
            return [];
        }

        string text;
        try
        {
            text = _readFile(full);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            Error(file, include, $"included file '{relative}' cannot be read: {ex.Message}");
            return [];
        }

        _includeStack.Add(full);
        try
        {
            return ReadIncluded(text, full, depth, topLevel, extending);
        }
        finally
        {
            _includeStack.RemoveAt(_includeStack.Count - 1);
        }
    }

    private List<PlaybookStep> ReadIncluded(string text, string file, int depth, bool topLevel, bool extending)
    {
        var root = YamlTree.Read(text, file, _errors);
        if (root is null)
        {
            return [];
        }

        if (root is not YamlMapping mapping)
        {
            Error(file, root, "an included playbook is a mapping with variables and steps.");
            return [];
        }

        CheckKeys(file, mapping, [.. RootKeys.Where(k => k != "budgets")], "an included playbook");
        if (Find(mapping, "extends") is { } extends)
        {
            Error(file, extends, "an included playbook cannot use 'extends'; only the playbook the run starts from can.");
        }

        _ = OptionalString(file, mapping, "name");
        _ = OptionalString(file, mapping, "description");
        ReadVariables(file, mapping);
        return Find(mapping, "steps") is { } steps ? ReadStepList(file, steps, depth, topLevel, extending) : [];
    }

    private static string DefaultName(string file) => Path.GetFileNameWithoutExtension(file) is { Length: > 0 } name ? name : "playbook";

    private void Error(string file, int line, int column, string message) => _errors.Add(new PlaybookError(file, line, column, message));

    private void Error(string file, YamlNode node, string message) => Error(file, node.Line, node.Column, message);
}
