namespace NecroCode.AgentRunner.PostgreSql.Tests;

/// <summary>Task definitions and events for the tests.</summary>
internal static class Tasks
{
    public static TaskContext Definition(string taskId, string spec = "spec") =>
        AgentRunnerJson.ParseTask($$"""
            {"specName":"{{spec}}","taskId":"{{taskId}}","title":"Task {{taskId}}","description":"Do {{taskId}}."}
            """);

    public static TaskEvent Event(TaskKey task, string runnerId, string type = "Progress", string? message = null) =>
        new(task, type, DateTimeOffset.UtcNow, runnerId, message ?? $"{type} by {runnerId}");
}
