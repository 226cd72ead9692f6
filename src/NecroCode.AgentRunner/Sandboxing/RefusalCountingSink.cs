using System.Buffers;
using NecroCode.AgentRunner.Events;

namespace NecroCode.AgentRunner.Sandboxing;

/// <summary>
/// Passes a confined process's events on and counts the output lines that report a refused file or network operation:
/// the error texts of <c>EACCES</c> ("Permission denied", which Landlock returns) and <c>EROFS</c> ("Read-only file
/// system", which bubblewrap's read-only mounts return). A tool that reports the refusal in other words is not counted;
/// its error is still in the output. Back-pressure and already masked lines pass through (<see cref="ObservingEventSink"/>).
/// </summary>
/// <param name="inner">Where the events go; none when null.</param>
internal sealed class RefusalCountingSink(IRunEventSink? inner) : ObservingEventSink(inner)
{
    // Both phrases in one vectorized pass over a line or a whole block.
    private static readonly SearchValues<string> Phrases = SearchValues.Create(["Permission denied", "Read-only file system"], StringComparison.OrdinalIgnoreCase);
    private int _count;
    private string? _first;

    /// <summary>How many lines reported a refusal.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>The first such line.</summary>
    public string? First => Volatile.Read(ref _first);

    /// <inheritdoc />
    protected override void Observe(RunEvent runEvent)
    {
        if (runEvent is OutputLine line && ReportsRefusal(line.Text))
        {
            Interlocked.CompareExchange(ref _first, line.Text, null);
            Interlocked.Increment(ref _count);
        }
    }

    /// <inheritdoc />
    /// <remarks>The block's text is searched once; only a block that holds a phrase is looked at line by line.</remarks>
    protected override void ObserveOutput(OutputBlock block)
    {
        if (!ReportsRefusal(block.Text))
        {
            return;
        }

        for (var i = 0; i < block.Count; i++)
        {
            if (ReportsRefusal(block.Line(i)))
            {
                Interlocked.CompareExchange(ref _first, block.Line(i).ToString(), null);
                Interlocked.Increment(ref _count);
            }
        }
    }

    private static bool ReportsRefusal(ReadOnlySpan<char> text) => text.ContainsAny(Phrases);
}
