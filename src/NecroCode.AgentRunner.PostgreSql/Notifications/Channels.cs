namespace NecroCode.AgentRunner.PostgreSql.Notifications;

/// <summary>The notification channels of a schema: <c>&lt;schema&gt;:work</c>, <c>:permits</c> and <c>:locks</c>.</summary>
internal static class Channels
{
    /// <summary>A task may have become claimable: one was enqueued or handed back, or a claim ended.</summary>
    /// <param name="schema">The schema.</param>
    /// <returns>The channel's name.</returns>
    public static string Work(string schema) => schema + ":work";

    /// <summary>A fleet-wide run permit was given back.</summary>
    /// <param name="schema">The schema.</param>
    /// <returns>The channel's name.</returns>
    public static string Permits(string schema) => schema + ":permits";

    /// <summary>A branch lock was let go.</summary>
    /// <param name="schema">The schema.</param>
    /// <returns>The channel's name.</returns>
    public static string Locks(string schema) => schema + ":locks";

    /// <summary>Every channel of <paramref name="schema"/>.</summary>
    /// <param name="schema">The schema.</param>
    /// <returns>The names.</returns>
    public static IReadOnlyList<string> All(string schema) => [Work(schema), Permits(schema), Locks(schema)];
}
