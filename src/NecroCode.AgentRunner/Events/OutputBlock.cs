namespace NecroCode.AgentRunner.Events;

/// <summary>
/// The masked output lines of one step and stream that an output pump read at once, as one text: the way output
/// travels from the pump to the run log without a string and an event per line. Whoever needs events gets one
/// <see cref="OutputLine"/> per line from <see cref="ToLine(int, string?, string?)"/>; each line takes a sequence number of its own.
/// </summary>
/// <remarks>
/// Immutable once built, except for the stamp the event channel gives it when it is queued
/// (<see cref="Stamp(long, DateTimeOffset)"/>), before any reader sees it.
/// </remarks>
internal sealed class OutputBlock
{
    private readonly int[] _ends;

    /// <summary>Creates a block.</summary>
    /// <param name="step">The step whose process printed the lines.</param>
    /// <param name="source">The stream.</param>
    /// <param name="text">The lines, each followed by a line feed.</param>
    /// <param name="ends">Where each line ends in <paramref name="text"/> (the index of its line feed), in order.</param>
    public OutputBlock(string step, OutputSource source, string text, int[] ends)
    {
        Step = step;
        Source = source;
        Text = text;
        _ends = ends;
    }

    /// <summary>The step whose process printed the lines.</summary>
    public string Step { get; }

    /// <summary>The stream.</summary>
    public OutputSource Source { get; }

    /// <summary>The lines, each followed by a line feed (the form the tail of a process's output keeps).</summary>
    public string Text { get; }

    /// <summary>The number of lines.</summary>
    public int Count => _ends.Length;

    /// <summary>The sequence number of the first line, once stamped.</summary>
    public long FirstSequence { get; private set; }

    /// <summary>When the block was queued, once stamped.</summary>
    public DateTimeOffset Timestamp { get; private set; }

    /// <summary>The text of one line, without its line feed.</summary>
    /// <param name="index">The line, from 0.</param>
    public ReadOnlySpan<char> Line(int index)
    {
        var start = index == 0 ? 0 : _ends[index - 1] + 1;
        return Text.AsSpan(start, _ends[index] - start);
    }

    /// <summary>One line as an event, stamped like the block (sequence <see cref="FirstSequence"/> + index).</summary>
    /// <param name="index">The line, from 0.</param>
    /// <param name="runnerId">The runner the event is stamped with.</param>
    /// <param name="taskId">The task the event is stamped with.</param>
    public OutputLine ToLine(int index, string? runnerId = null, string? taskId = null) =>
        new(Step, Source, Line(index).ToString())
        {
            Sequence = FirstSequence == 0 ? 0 : FirstSequence + index,
            Timestamp = Timestamp,
            RunnerId = runnerId ?? string.Empty,
            TaskId = taskId ?? string.Empty,
        };

    /// <summary>A block whose lines <paramref name="masker"/> masked, line by line (what the event channel does to any event).</summary>
    /// <param name="masker">The masker.</param>
    public OutputBlock Masked(ISecretMasker masker)
    {
        var builder = new OutputBlockBuilder(Text.Length);
        for (var i = 0; i < Count; i++)
        {
            builder.Add(masker.Apply(Line(i).ToString()));
        }

        return builder.Build(Step, Source);
    }

    /// <summary>Gives the block its place in the run (the channel does so once, as it queues it).</summary>
    /// <param name="firstSequence">The sequence number of the first line.</param>
    /// <param name="timestamp">When the block was queued.</param>
    public void Stamp(long firstSequence, DateTimeOffset timestamp)
    {
        FirstSequence = firstSequence;
        Timestamp = timestamp;
    }
}
