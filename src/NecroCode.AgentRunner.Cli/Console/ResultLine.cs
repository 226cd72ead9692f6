using System.Text.Json;
using System.Text.Json.Nodes;

namespace NecroCode.AgentRunner.Cli;

/// <summary>The last line of <c>--output jsonl</c>: <c>{"type":"run.result","result":{…}}</c>.</summary>
internal static class ResultLine
{
    public const string Type = "run.result";

    public static string Serialize(RunnerResult result)
    {
        var node = new JsonObject
        {
            ["type"] = Type,
            ["result"] = JsonNode.Parse(AgentRunnerJson.Serialize(result)),
        };
        return node.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
    }
}
