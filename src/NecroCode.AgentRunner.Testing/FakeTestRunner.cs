namespace NecroCode.AgentRunner.Testing;

/// <summary>
/// A scripted <see cref="ITestRunner"/> returning the outcomes it is given, one per call. Baseline runs (the tests on
/// the unchanged base, <see cref="TestRequest.Baseline"/>) do not take from the script: they end with
/// <see cref="BaselineOutcome"/> and are recorded in <see cref="BaselineRequests"/>.
/// </summary>
public sealed class FakeTestRunner : ITestRunner
{
    private readonly Queue<TestOutcome> _outcomes;
    private readonly TestOutcome _last;
    private readonly List<TestRequest> _requests = [];
    private readonly List<TestRequest> _baselineRequests = [];

    /// <summary>Creates a runner that returns <paramref name="outcomes"/> in order, then repeats the last.</summary>
    /// <param name="outcomes">Outcomes per call; <see cref="TestOutcome.Passed"/> when none.</param>
    public FakeTestRunner(params TestOutcome[] outcomes)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        _outcomes = new Queue<TestOutcome>(outcomes);
        _last = outcomes.Length > 0 ? outcomes[^1] : TestOutcome.Passed;
    }

    /// <summary>Every request received, in order.</summary>
    public IReadOnlyList<TestRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>How every baseline run ends. Default <see cref="TestOutcome.Passed"/>: the base's tests pass, so every failure after the change is a regression.</summary>
    public TestOutcome BaselineOutcome { get; set; } = TestOutcome.Passed;

    /// <summary>Every baseline request received, in order.</summary>
    public IReadOnlyList<TestRequest> BaselineRequests
    {
        get
        {
            lock (_requests)
            {
                return [.. _baselineRequests];
            }
        }
    }

    /// <inheritdoc />
    public Task<TestRunResult> RunAsync(TestRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        TestOutcome outcome;
        lock (_requests)
        {
            if (request.Baseline)
            {
                _baselineRequests.Add(request);
                outcome = BaselineOutcome;
            }
            else
            {
                _requests.Add(request);
                outcome = _outcomes.Count > 0 ? _outcomes.Dequeue() : _last;
            }
        }

        var commands = request.Commands.Count > 0 ? request.Commands : ["fake-test"];
        var results = commands.Select(c => new TestCommandResult(c, outcome, outcome == TestOutcome.Passed ? 0 : 1, TimeSpan.Zero, outcome == TestOutcome.Passed ? "ok" : "FAILED", "")).ToList();
        return Task.FromResult(new TestRunResult(outcome, results, TimeSpan.Zero));
    }
}
