namespace NecroCode.AgentRunner.Agents.CommandLine;

/// <summary>
/// Turns an agent's standard output into human-readable lines and collects what it reports about itself:
/// its final result (<see cref="Verdict"/>), usage and summary. One instance per attempt; lines arrive in order
/// from one reader thread, the results are read after the process ended.
/// </summary>
public abstract class AgentOutputParser
{
    private readonly Lock _gate = new();
    private AgentVerdict? _verdict;
    private AgentUsage? _usage;
    private string? _summary;
    private int? _turns;

    /// <summary>
    /// Whether the agent normally ends its output with a final result message; when it exits with a success code
    /// without one, the attempt succeeds with a warning.
    /// </summary>
    public abstract bool ReportsFinalResult { get; }

    /// <summary>The final result the agent reported; null when it reported none.</summary>
    public AgentVerdict? Verdict
    {
        get { lock (_gate) { return _verdict; } }
        protected set { lock (_gate) { _verdict = value; } }
    }

    /// <summary>
    /// The tokens, cost and turns the agent reported so far; null when it reported none. It grows as the output is
    /// read, so a budget can be checked while the agent works.
    /// </summary>
    public AgentUsage? Usage
    {
        get
        {
            lock (_gate)
            {
                return _usage is null && _turns is null ? null : (_usage ?? new AgentUsage(0, 0)) with { Turns = _turns };
            }
        }

        protected set { lock (_gate) { _usage = value; } }
    }

    /// <summary>The turns the agent reported (or that were counted from its output) so far; null when none.</summary>
    public int? Turns
    {
        get { lock (_gate) { return _turns; } }
        protected set { lock (_gate) { _turns = value; } }
    }

    /// <summary>The agent's own closing message, when it gave one.</summary>
    public string? Summary
    {
        get { lock (_gate) { return _summary; } }
        protected set { lock (_gate) { _summary = value; } }
    }

    /// <summary>Reads one line of standard output.</summary>
    /// <param name="line">The (masked) line.</param>
    /// <param name="emit">Receives the human-readable lines it becomes (none, one or several).</param>
    public abstract void Accept(string line, Action<string> emit);

    /// <summary>Called once at the end of the output: emits anything still held back.</summary>
    /// <param name="emit">Receives the remaining lines.</param>
    public virtual void Complete(Action<string> emit)
    {
    }

    /// <summary>Adds a usage report to the ones already seen.</summary>
    /// <param name="usage">The report.</param>
    /// <exception cref="ArgumentNullException"><paramref name="usage"/> is null.</exception>
    protected void AddUsage(AgentUsage usage)
    {
        ArgumentNullException.ThrowIfNull(usage);
        lock (_gate)
        {
            _usage = _usage is null ? usage : _usage.Add(usage);
        }
    }

    /// <summary>Counts one more turn of the agent.</summary>
    protected void CountTurn()
    {
        lock (_gate)
        {
            _turns = (_turns ?? 0) + 1;
        }
    }

    /// <summary>Emits <paramref name="text"/> line by line, skipping blank lines.</summary>
    /// <param name="text">The text; nothing is emitted when it is null or empty.</param>
    /// <param name="emit">Receives the lines.</param>
    /// <exception cref="ArgumentNullException"><paramref name="emit"/> is null.</exception>
    protected static void EmitText(string? text, Action<string> emit)
    {
        ArgumentNullException.ThrowIfNull(emit);
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        foreach (var line in text.Split('\n'))
        {
            var trimmed = line.TrimEnd('\r');
            if (trimmed.Trim().Length > 0)
            {
                emit(trimmed);
            }
        }
    }
}
