using System.Text.Json.Nodes;

namespace NecroCode.AgentRunner.Kubernetes.Tests.Cluster;

/// <summary>
/// <c>labelSelector</c> (<c>a=b</c>, <c>a==b</c>, <c>a!=b</c>, <c>a in (x,y)</c>, <c>a notin (x)</c>, <c>a</c>, <c>!a</c>)
/// and <c>fieldSelector</c> (<c>=</c>, <c>==</c>, <c>!=</c> on the fields each resource supports), evaluated on an
/// object's JSON.
/// </summary>
internal sealed class Selectors
{
    private static readonly Dictionary<string, string[]> Fields = new(StringComparer.Ordinal)
    {
        ["jobs"] = ["metadata.name", "metadata.namespace", "status.successful"],
        ["pods"] = ["metadata.name", "metadata.namespace", "spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName", "status.phase", "status.podIP", "status.nominatedNodeName"],
        ["secrets"] = ["metadata.name", "metadata.namespace", "type"],
        ["events"] = ["metadata.name", "metadata.namespace", "involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type"],
    };

    private readonly List<Func<JsonObject, bool>> _tests = [];

    private Selectors()
    {
    }

    public static Selectors Parse(string resource, string? labelSelector, string? fieldSelector)
    {
        var selectors = new Selectors();
        foreach (var term in SplitTerms(labelSelector))
        {
            selectors._tests.Add(ParseLabelTerm(term));
        }

        foreach (var term in SplitTerms(fieldSelector))
        {
            selectors._tests.Add(ParseFieldTerm(resource, term));
        }

        return selectors;
    }

    public bool Matches(JsonObject item) => _tests.TrueForAll(t => t(item));

    private static IEnumerable<string> SplitTerms(string? selector)
    {
        if (string.IsNullOrWhiteSpace(selector))
        {
            yield break;
        }

        var depth = 0;
        var start = 0;
        for (var i = 0; i < selector.Length; i++)
        {
            depth += selector[i] switch { '(' => 1, ')' => -1, _ => 0 };
            if (selector[i] == ',' && depth == 0)
            {
                yield return selector[start..i].Trim();
                start = i + 1;
            }
        }

        yield return selector[start..].Trim();
    }

    private static Func<JsonObject, bool> ParseLabelTerm(string term)
    {
        if (term.Length == 0)
        {
            throw ApiError.BadRequest("unable to parse requirement: found '', expected: identifier");
        }

        var setMatch = System.Text.RegularExpressions.Regex.Match(term, @"^([^\s!=(),]+)\s+(in|notin)\s+\(([^)]*)\)$");
        if (setMatch.Success)
        {
            var key = setMatch.Groups[1].Value;
            var values = setMatch.Groups[3].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
            var negate = setMatch.Groups[2].Value == "notin";
            return item => Label(item, key) is { } v ? values.Contains(v) != negate : negate;
        }

        if (term.StartsWith('!'))
        {
            var key = ValidKey(term[1..].Trim(), term);
            return item => Label(item, key) is null;
        }

        var (left, op, right) = SplitOperator(term);
        if (op is null)
        {
            var key = ValidKey(term, term);
            return item => Label(item, key) is not null;
        }

        var name = ValidKey(left, term);
        return op == "!=" ? item => Label(item, name) != right : item => Label(item, name) == right;
    }

    private static Func<JsonObject, bool> ParseFieldTerm(string resource, string term)
    {
        var (left, op, right) = SplitOperator(term);
        if (op is null)
        {
            throw ApiError.BadRequest($"invalid selector: '{term}'; can't understand '{term}'");
        }

        if (!Fields.TryGetValue(resource, out var supported) || !supported.Contains(left, StringComparer.Ordinal))
        {
            throw ApiError.BadRequest($"field label not supported: {left}");
        }

        return op == "!=" ? item => Field(item, left) != right : item => Field(item, left) == right;
    }

    private static (string Left, string? Op, string Right) SplitOperator(string term)
    {
        foreach (var op in new[] { "!=", "==", "=" })
        {
            var at = term.IndexOf(op, StringComparison.Ordinal);
            if (at > 0)
            {
                return (term[..at].Trim(), op, term[(at + op.Length)..].Trim());
            }
        }

        return (term, null, "");
    }

    private static string ValidKey(string key, string term) =>
        key.Length == 0 || key.Any(c => char.IsWhiteSpace(c) || c is '(' or ')' or '=' or '!' or ',')
            ? throw ApiError.BadRequest($"unable to parse requirement: invalid label key \"{key}\" in \"{term}\"")
            : key;

    private static string? Label(JsonObject item, string key) => item["metadata"]?["labels"]?[key]?.GetValue<string>();

    private static string? Field(JsonObject item, string path)
    {
        if (path == "source")
        {
            return item["source"]?["component"]?.GetValue<string>() ?? item["reportingComponent"]?.GetValue<string>() ?? "";
        }

        JsonNode? node = item;
        foreach (var part in path.Split('.'))
        {
            node = node?[part];
        }

        return node switch
        {
            null => "",
            JsonValue value when value.TryGetValue<string>(out var s) => s,
            _ => node.ToJsonString(),
        };
    }
}
