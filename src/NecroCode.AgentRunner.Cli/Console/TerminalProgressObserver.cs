using System.Globalization;

namespace NecroCode.AgentRunner.Cli;

/// <summary>
/// Live progress for a person at a terminal: the same lines as <see cref="ProgressObserver"/> scroll
/// by, and a status line at the bottom shows the current step, its elapsed time, the last output
/// line and the retries so far, redrawn in place every quarter second. Used only when standard
/// output is a terminal; redirected output gets the plain lines.
/// </summary>
internal sealed class TerminalProgressObserver : IRunEventObserver, IDisposable
{
    private readonly TextWriter _writer;
    private readonly ProgressObserver _lines;
    private readonly Lock _gate = new();
    private readonly Timer _timer;
    private readonly TimeProvider _time;
    private string? _step;
    private long _stepStarted;
    private string _lastOutput = "";
    private int _retries;
    private bool _statusShown;

    public TerminalProgressObserver(TextWriter writer, bool showTask, TimeProvider time)
    {
        _writer = writer;
        _time = time;
        _lines = new ProgressObserver(new StatusClearingWriter(this), showTask);
        _timer = new Timer(_ => Redraw(), null, TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(250));
    }

    public void OnEvent(RunEvent runEvent)
    {
        lock (_gate)
        {
            switch (runEvent)
            {
                case StepStarted e:
                    _step = e.Step;
                    _stepStarted = _time.GetTimestamp();
                    _lastOutput = "";
                    break;
                case StepFinished:
                    _step = null;
                    break;
                case OutputLine e:
                    _lastOutput = e.Text;
                    break;
                case RetryScheduled:
                    _retries++;
                    break;
                case RunFinished:
                    _step = null;
                    break;
                default:
                    break;
            }

            _lines.OnEvent(runEvent);
            DrawStatus();
        }
    }

    public void Dispose()
    {
        _timer.Dispose();
        lock (_gate)
        {
            ClearStatus();
            _writer.Flush();
        }
    }

    private void Redraw()
    {
        lock (_gate)
        {
            DrawStatus();
        }
    }

    private void DrawStatus()
    {
        ClearStatus();
        if (_step is null)
        {
            _writer.Flush();
            return;
        }

        var elapsed = _time.GetElapsedTime(_stepStarted).TotalSeconds;
        var width = Math.Max(40, SafeWidth() - 1);
        var status = string.Create(CultureInfo.InvariantCulture, $"» {_step} {elapsed:0.0}s{(_retries > 0 ? $" · {_retries} retr{(_retries == 1 ? "y" : "ies")}" : "")} · {_lastOutput}");
        if (status.Length > width)
        {
            status = status[..(width - 1)] + "…";
        }

        _writer.Write("\u001b[7m" + status + "\u001b[0m");
        _writer.Flush();
        _statusShown = true;
    }

    private void ClearStatus()
    {
        if (_statusShown)
        {
            _writer.Write("\r\u001b[2K");
            _statusShown = false;
        }
    }

    private static int SafeWidth()
    {
        try
        {
            return System.Console.WindowWidth;
        }
        catch (IOException)
        {
            return 100;
        }
    }

    /// <summary>Clears the status line before each permanent line is written.</summary>
    private sealed class StatusClearingWriter(TerminalProgressObserver owner) : TextWriter
    {
        public override System.Text.Encoding Encoding => owner._writer.Encoding;

        public override void Write(char value)
        {
            owner.ClearStatus();
            owner._writer.Write(value);
        }

        public override void WriteLine(string? value)
        {
            owner.ClearStatus();
            owner._writer.WriteLine(value);
        }

        public override void Flush() => owner._writer.Flush();
    }
}
