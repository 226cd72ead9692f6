namespace NecroCode.AgentRunner.Testing;

/// <summary>A scripted <see cref="ICodingAgent"/>: each attempt runs a delegate on the workspace.</summary>
public sealed class FakeCodingAgent : ICodingAgent
{
    private readonly Func<AgentRequest, CancellationToken, Task<AgentResult>> _behaviour;
    private readonly List<AgentRequest> _requests = [];

    /// <summary>Creates an agent with the given behaviour.</summary>
    /// <param name="behaviour">What one attempt does.</param>
    public FakeCodingAgent(Func<AgentRequest, CancellationToken, Task<AgentResult>> behaviour)
    {
        ArgumentNullException.ThrowIfNull(behaviour);
        _behaviour = behaviour;
    }

    /// <inheritdoc />
    public string Name => "fake";

    /// <summary>Every request received, in order.</summary>
    public IReadOnlyList<AgentRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>An agent that writes <paramref name="content"/> to <paramref name="relativePath"/> and succeeds.</summary>
    /// <param name="relativePath">The file, relative to the workspace.</param>
    /// <param name="content">Its new content.</param>
    /// <returns>The agent.</returns>
    public static FakeCodingAgent Writing(string relativePath, string content) => new(async (request, cancellationToken) =>
    {
        var path = Path.Combine(request.WorkspacePath, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, content, cancellationToken).ConfigureAwait(false);
        request.Events.Publish(new OutputLine(request.StepName, OutputSource.StandardOutput, $"wrote {relativePath}"));
        return new AgentResult(true, 0);
    });

    /// <summary>An agent that changes nothing and exits with <paramref name="exitCode"/>.</summary>
    /// <param name="exitCode">Its exit code; 0 means it reports success.</param>
    /// <returns>The agent.</returns>
    public static FakeCodingAgent Exiting(int exitCode) =>
        new((_, _) => Task.FromResult(new AgentResult(exitCode == 0, exitCode, exitCode == 0 ? null : $"The agent exited with code {exitCode}.")));

    /// <inheritdoc />
    public Task<AgentResult> ImplementAsync(AgentRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_requests)
        {
            _requests.Add(request);
        }

        return _behaviour(request, cancellationToken);
    }
}
