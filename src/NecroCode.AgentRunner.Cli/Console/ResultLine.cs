using System.Text.Json;
using System.Text.Json.Nodes;

namespace NecroCode.AgentRunner.Cli;

/// <summary>The last line of <c>--output jsonl</c>: <c>{"type":"run.result","result":{…}}</c>.</summary>
internal static class ResultLine
{
    public const string Type = "run.result";

    /// <param name="result">The run.</param>
    /// <param name="links">Download links of stored artifacts by URI, added as <c>downloadLinks</c> (name, uri, expiresAt) when there are any.</param>
    public static string Serialize(RunnerResult result, IReadOnlyDictionary<Uri, ArtifactDownloadLink>? links = null)
    {
        var node = new JsonObject
        {
            ["type"] = Type,
            ["result"] = JsonNode.Parse(AgentRunnerJson.Serialize(result)),
        };
        var linked = result.Artifacts.Where(a => a.Uri is not null && links?.ContainsKey(a.Uri) == true).ToList();
        if (linked.Count > 0)
        {
            node["downloadLinks"] = new JsonArray([.. linked.Select(a => (JsonNode)new JsonObject
            {
                ["name"] = a.Name,
                ["uri"] = links![a.Uri!].Uri.AbsoluteUri,
                ["expiresAt"] = links[a.Uri!].ExpiresAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            })]);
        }

        return node.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
    }
}
