using System.Text;
using NecroCode.AgentRunner.Events;

namespace NecroCode.AgentRunner.Orchestration;

/// <summary>
/// Forwards an agent attempt's events to the run and keeps the text of its output lines (stdout and stderr, in
/// order), so that each attempt's output can be stored as its own artifact. Keeps at most <see cref="Limit"/>
/// characters; later lines are counted, not kept. Passes back-pressure and already masked lines on when the run's
/// sink takes them (<see cref="ObservingEventSink"/>).
/// </summary>
internal sealed class AttemptOutputSink(IRunEventSink inner) : ObservingEventSink(inner)
{
    /// <summary>The most characters of output kept for one attempt: 1 MiB of text.</summary>
    public const int Limit = 1024 * 1024;

    private readonly StringBuilder _text = new();
    private readonly Lock _gate = new();
    private int _dropped;

    /// <inheritdoc />
    protected override void Observe(RunEvent runEvent)
    {
        if (runEvent is OutputLine line)
        {
            lock (_gate)
            {
                if (_text.Length + line.Text.Length + 1 <= Limit)
                {
                    _text.Append(line.Stream == OutputSource.StandardError ? "[stderr] " : "").Append(line.Text).Append('\n');
                }
                else
                {
                    _dropped++;
                }
            }
        }
    }

    /// <summary>The output kept, with a closing note when lines were left out.</summary>
    public string Text
    {
        get
        {
            lock (_gate)
            {
                return _dropped == 0 ? _text.ToString() : $"{_text}({_dropped} more line(s) left out: the output of one attempt is kept up to {Limit} characters; the run log has all of it.)\n";
            }
        }
    }
}
