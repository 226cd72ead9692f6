using System.Globalization;
using NecroCode.AgentRunner.Telemetry;

namespace NecroCode.AgentRunner.Agents.CommandLine;

/// <summary>
/// Holds one attempt to its <see cref="AgentBudget"/>: its wall time by a timer, its turns, tokens and cost as the
/// parser reports them. The first budget crossed is published as a warning and cancels <see cref="WrapUp"/>, which asks
/// the agent's process to wrap up (its wrap-up signal, then the grace period, then its tree is stopped).
/// </summary>
/// <remarks>
/// A figure the agent reports only at its end (e.g. Claude Code's cost, Gemini CLI's tokens) is checked then: the
/// attempt still ends as over budget, but nothing could be stopped earlier.
/// </remarks>
internal sealed class AgentBudgetWatch : IDisposable
{
    private readonly AgentBudget? _budget;
    private readonly TimeProvider _time;
    private readonly IRunEventSink _events;
    private readonly string _step;
    private readonly string _agent;
    private readonly CancellationTokenSource _wrapUp = new();
    private readonly long _started;
    private ITimer? _timer;
    private BudgetBreach? _breach;

    /// <summary>Starts watching an attempt that starts now.</summary>
    /// <param name="budget">The attempt's budget; null watches nothing.</param>
    /// <param name="time">The clock.</param>
    /// <param name="events">Where the warning goes.</param>
    /// <param name="step">The attempt's step.</param>
    /// <param name="agent">The agent's name in messages.</param>
    public AgentBudgetWatch(AgentBudget? budget, TimeProvider time, IRunEventSink events, string step, string agent)
    {
        _budget = budget is { IsLimited: true } ? budget : null;
        _time = time;
        _events = events;
        _step = step;
        _agent = agent;
        _started = time.GetTimestamp();
        if (_budget?.WallTimeLeft is { } left)
        {
            // The timer's clock and the elapsed time's may disagree by a tick: when it fires, the time is up.
            _timer = time.CreateTimer(_ => Check(null, left), null, left, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Cancelled when the attempt crossed a budget and must wrap up.</summary>
    public CancellationToken WrapUp => _wrapUp.Token;

    /// <summary>The budget crossed, once one was.</summary>
    public BudgetBreach? Breach => Volatile.Read(ref _breach);

    /// <summary>Checks what the attempt spent so far; call whenever the parser may have seen new usage.</summary>
    /// <param name="usage">The usage reported so far, or null.</param>
    public void Observe(AgentUsage? usage) => Check(usage, TimeSpan.Zero);

    private void Check(AgentUsage? usage, TimeSpan atLeast)
    {
        var elapsed = _time.GetElapsedTime(_started);
        if (_budget is null || Breach is not null || _budget.Check(AgentSpend.Of(elapsed > atLeast ? elapsed : atLeast, usage)) is not { } breach)
        {
            return;
        }

        if (Interlocked.CompareExchange(ref _breach, breach, null) is not null)
        {
            return;
        }

        _events.Publish(new RunWarning(_step, string.Create(CultureInfo.InvariantCulture, $"{_agent} crossed its budget: {breach.Description}; asking it to wrap up (grace period {_budget.GracePeriod.TotalSeconds:0.###} s).")));
        BudgetTelemetry.Exceeded(breach);
        try
        {
            _wrapUp.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The attempt is over.
        }
    }

    /// <summary>The budget the attempt crossed, checked once more with its final figures.</summary>
    /// <param name="usage">The usage the agent reported in all.</param>
    /// <param name="duration">How long it ran.</param>
    /// <returns>The breach, or null.</returns>
    public BudgetBreach? Conclude(AgentUsage? usage, TimeSpan duration)
    {
        _timer?.Dispose();
        if (Breach is not null || _budget?.Check(AgentSpend.Of(duration, usage)) is not { } late)
        {
            return Breach;
        }

        Volatile.Write(ref _breach, late);
        BudgetTelemetry.Exceeded(late);
        return late;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _timer?.Dispose();
        _wrapUp.Dispose();
    }
}
