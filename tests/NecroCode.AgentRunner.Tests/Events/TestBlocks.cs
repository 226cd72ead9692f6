using NecroCode.AgentRunner.Events;

namespace NecroCode.AgentRunner.Tests.Events;

/// <summary>Output blocks for tests.</summary>
internal static class TestBlocks
{
    /// <summary>A block of <paramref name="lines"/>, unstamped.</summary>
    public static OutputBlock Of(string step, OutputSource source, params string[] lines)
    {
        var builder = new OutputBlockBuilder(4);
        foreach (var line in lines)
        {
            builder.Add(line);
        }

        return builder.Build(step, source);
    }
}
