namespace NecroCode.AgentRunner.Testing;

/// <summary>
/// A scripted <see cref="IProcessRunner"/> that starts no process: it records each <see cref="ProcessSpec"/>,
/// publishes its scripted output lines to the spec's event sink and returns a scripted result.
/// </summary>
public sealed class FakeProcessRunner : IProcessRunner
{
    private readonly Func<ProcessSpec, CancellationToken, Task<ProcessResult>> _behaviour;
    private readonly List<ProcessSpec> _specs = [];
    private readonly List<OutputLine> _output = [];
    private readonly Lock _gate = new();

    /// <summary>
    /// Creates a runner that returns <paramref name="results"/> in order, then repeats the last; a successful exit
    /// (code 0, no output) when none.
    /// </summary>
    /// <param name="results">Results per call.</param>
    public FakeProcessRunner(params ProcessResult[] results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var queue = new Queue<ProcessResult>(results);
        var last = results.Length > 0 ? results[^1] : Exited(0);
        _behaviour = (_, _) =>
        {
            lock (_gate)
            {
                return Task.FromResult(queue.Count > 0 ? queue.Dequeue() : last);
            }
        };
    }

    /// <summary>Creates a runner that builds each result from the spec it was asked to run.</summary>
    /// <param name="behaviour">The result of one run; what it throws (e.g. <see cref="ProcessStartException"/>) reaches the caller.</param>
    public FakeProcessRunner(Func<ProcessSpec, ProcessResult> behaviour)
    {
        ArgumentNullException.ThrowIfNull(behaviour);
        _behaviour = (spec, _) => Task.FromResult(behaviour(spec));
    }

    /// <summary>Creates a runner with the given behaviour, e.g. one that waits until it is cancelled.</summary>
    /// <param name="behaviour">What one run does; it gets the caller's cancellation token.</param>
    public FakeProcessRunner(Func<ProcessSpec, CancellationToken, Task<ProcessResult>> behaviour)
    {
        ArgumentNullException.ThrowIfNull(behaviour);
        _behaviour = behaviour;
    }

    /// <summary>Every spec it was asked to run, in order (a run cancelled before it began included).</summary>
    public IReadOnlyList<ProcessSpec> Specs
    {
        get
        {
            lock (_gate)
            {
                return [.. _specs];
            }
        }
    }

    /// <summary>A result of a process that exited by itself with <paramref name="exitCode"/>.</summary>
    /// <param name="exitCode">Its exit code.</param>
    /// <param name="standardOutput">The end of its standard output.</param>
    /// <param name="standardError">The end of its standard error.</param>
    /// <returns>The result.</returns>
    public static ProcessResult Exited(int exitCode, string standardOutput = "", string standardError = "") =>
        new(exitCode, false, TimeSpan.Zero, standardOutput, standardError);

    /// <summary>
    /// Adds a line that every later run publishes to its spec's <see cref="ProcessSpec.Events"/> (as is, not masked),
    /// under the spec's step name, before it returns its result.
    /// </summary>
    /// <param name="stream">The stream the line comes from.</param>
    /// <param name="text">The line, without its line break.</param>
    /// <returns>This runner.</returns>
    public FakeProcessRunner AddOutput(OutputSource stream, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        lock (_gate)
        {
            _output.Add(new OutputLine("", stream, text));
        }

        return this;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="spec"/> is null.</exception>
    public async Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        OutputLine[] output;
        lock (_gate)
        {
            _specs.Add(spec);
            output = [.. _output];
        }

        cancellationToken.ThrowIfCancellationRequested();
        foreach (var line in output)
        {
            spec.Events?.Publish(line with { Step = spec.StepName });
        }

        var result = await _behaviour(spec, cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return result;
    }
}
