using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace NecroCode.AgentRunner.Playbooks;

/// <summary>A YAML node with its place in the file.</summary>
internal abstract class YamlNode(int line, int column)
{
    public int Line { get; } = line;

    public int Column { get; } = column;
}

internal sealed class YamlScalar(int line, int column, string value, bool plain) : YamlNode(line, column)
{
    public string Value { get; } = value;

    /// <summary>A plain <c>~</c>, <c>null</c> or empty scalar.</summary>
    public bool IsNull { get; } = plain && value is "" or "~" or "null" or "Null" or "NULL";
}

internal sealed class YamlSequence(int line, int column) : YamlNode(line, column)
{
    public List<YamlNode> Items { get; } = [];
}

internal sealed class YamlMapping(int line, int column) : YamlNode(line, column)
{
    public List<KeyValuePair<YamlScalar, YamlNode>> Entries { get; } = [];

    public HashSet<string> Keys { get; } = new(StringComparer.Ordinal);
}

/// <summary>
/// Reads one YAML document into <see cref="YamlNode"/>s from the event stream, without recursion and with a
/// nesting limit. Anchors, aliases, tags other than the core ones, several documents and duplicate keys are refused.
/// </summary>
internal static class YamlTree
{
    public const int MaxDepth = 32;

    public const int MaxLength = 1024 * 1024;

    public static YamlNode? Read(string text, string file, List<PlaybookError> errors)
    {
        if (text.Length > MaxLength)
        {
            errors.Add(new PlaybookError(file, 0, 0, string.Create(CultureInfo.InvariantCulture, $"the file is {text.Length} characters long; at most {MaxLength} are allowed.")));
            return null;
        }

        try
        {
            return ReadEvents(text, file, errors);
        }
        catch (YamlException ex)
        {
            errors.Add(new PlaybookError(file, ToInt(ex.Start.Line), ToInt(ex.Start.Column), $"not valid YAML: {Clean(ex.Message)}"));
            return null;
        }
        catch (UnreadableYamlException ex)
        {
            // The YAML library fails with a non-YAML exception on some malformed input; it is still malformed input.
            errors.Add(new PlaybookError(file, ex.Line, ex.Column, "not valid YAML: the document cannot be read after this point."));
            return null;
        }
    }

    private static bool MoveNext(Parser parser, int line, int column)
    {
        try
        {
            return parser.MoveNext();
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or IndexOutOfRangeException or FormatException or OverflowException or NullReferenceException)
        {
            throw new UnreadableYamlException(line, column, ex);
        }
    }

    private static YamlNode? ReadEvents(string text, string file, List<PlaybookError> errors)
    {
        var parser = new Parser(new StringReader(text));
        var stack = new Stack<(YamlNode Node, YamlScalar? PendingKey)>();
        YamlNode? root = null;
        var documents = 0;
        var line = 1;
        var column = 1;
        while (MoveNext(parser, line, column))
        {
            var current = parser.Current!;
            line = ToInt(current.Start.Line);
            column = ToInt(current.Start.Column);
            switch (current)
            {
                case DocumentStart:
                    if (++documents > 1)
                    {
                        errors.Add(new PlaybookError(file, line, column, "a playbook is one YAML document; found a second one."));
                        return root;
                    }

                    continue;
                case AnchorAlias:
                    errors.Add(new PlaybookError(file, line, column, "YAML aliases (*name) are not supported in playbooks."));
                    return null;
                case NodeEvent { Anchor.IsEmpty: false }:
                    errors.Add(new PlaybookError(file, line, column, "YAML anchors (&name) are not supported in playbooks."));
                    return null;
                case NodeEvent { Tag.IsEmpty: false } tagged when !tagged.Tag.Value.StartsWith("tag:yaml.org,2002:", StringComparison.Ordinal):
                    errors.Add(new PlaybookError(file, line, column, $"the YAML tag '{tagged.Tag.Value}' is not supported in playbooks."));
                    return null;
                case Scalar scalar:
                    if (!Attach(stack, new YamlScalar(line, column, scalar.Value, scalar.Style == ScalarStyle.Plain), ref root, file, errors))
                    {
                        return null;
                    }

                    break;
                case SequenceStart or MappingStart:
                    if (stack.Count >= MaxDepth)
                    {
                        errors.Add(new PlaybookError(file, line, column, string.Create(CultureInfo.InvariantCulture, $"the document nests deeper than {MaxDepth} levels.")));
                        return null;
                    }

                    YamlNode container = current is SequenceStart ? new YamlSequence(line, column) : new YamlMapping(line, column);
                    if (!Attach(stack, container, ref root, file, errors))
                    {
                        return null;
                    }

                    stack.Push((container, null));
                    break;
                case SequenceEnd or MappingEnd:
                    stack.Pop();
                    break;
                default:
                    break;
            }
        }

        return root;
    }

    private static bool Attach(Stack<(YamlNode Node, YamlScalar? PendingKey)> stack, YamlNode node, ref YamlNode? root, string file, List<PlaybookError> errors)
    {
        if (stack.Count == 0)
        {
            root = node;
            return true;
        }

        var (parent, pendingKey) = stack.Pop();
        switch (parent)
        {
            case YamlSequence sequence:
                sequence.Items.Add(node);
                stack.Push((parent, null));
                return true;
            case YamlMapping mapping when pendingKey is null:
                if (node is not YamlScalar key)
                {
                    errors.Add(new PlaybookError(file, node.Line, node.Column, "mapping keys must be plain names."));
                    return false;
                }

                if (!mapping.Keys.Add(key.Value))
                {
                    errors.Add(new PlaybookError(file, key.Line, key.Column, $"the key '{key.Value}' appears twice in the same mapping."));
                }

                stack.Push((parent, key));
                return true;
            case YamlMapping mapping:
                mapping.Entries.Add(new KeyValuePair<YamlScalar, YamlNode>(pendingKey, node));
                stack.Push((parent, null));
                return true;
            default:
                return false;
        }
    }

    private static int ToInt(long value) => value > int.MaxValue ? int.MaxValue : (int)value;

    private static string Clean(string message)
    {
        // YamlDotNet prefixes its messages with "(Line: 1, Col: 2, Idx: 1) - (Line: ...): "; the position is reported separately.
        var marker = message.IndexOf("): ", StringComparison.Ordinal);
        return marker >= 0 && message.StartsWith("(Line", StringComparison.Ordinal) ? message[(marker + 3)..] : message;
    }
}

/// <summary>The YAML library failed with a non-YAML exception after the given position.</summary>
internal sealed class UnreadableYamlException(int line, int column, Exception inner) : Exception("The YAML document cannot be read.", inner)
{
    public int Line { get; } = line;

    public int Column { get; } = column;
}
