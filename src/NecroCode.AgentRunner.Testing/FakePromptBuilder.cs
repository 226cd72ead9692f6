namespace NecroCode.AgentRunner.Testing;

/// <summary>An <see cref="IPromptBuilder"/> that returns a fixed or delegate-built prompt and records each request.</summary>
public sealed class FakePromptBuilder : IPromptBuilder
{
    private readonly Func<PromptRequest, string> _build;
    private readonly List<PromptRequest> _requests = [];

    /// <summary>Creates a builder that returns <c>fake prompt</c> for every request.</summary>
    public FakePromptBuilder()
        : this("fake prompt")
    {
    }

    /// <summary>Creates a builder that returns <paramref name="prompt"/> for every request.</summary>
    /// <param name="prompt">The prompt.</param>
    public FakePromptBuilder(string prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        _build = _ => prompt;
    }

    /// <summary>Creates a builder that builds each prompt with <paramref name="build"/>.</summary>
    /// <param name="build">The prompt of one request; what it throws reaches the caller.</param>
    public FakePromptBuilder(Func<PromptRequest, string> build)
    {
        ArgumentNullException.ThrowIfNull(build);
        _build = build;
    }

    /// <summary>Every request received, in order.</summary>
    public IReadOnlyList<PromptRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    public string Build(PromptRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_requests)
        {
            _requests.Add(request);
        }

        return _build(request);
    }
}
