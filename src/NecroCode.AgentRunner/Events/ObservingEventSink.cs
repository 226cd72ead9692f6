namespace NecroCode.AgentRunner.Events;

/// <summary>
/// Forwards events to another sink after letting a subclass look at each one, keeping what the inner sink offers:
/// back-pressure and already masked lines are passed on when it takes them (<see cref="IAsyncRunEventSink"/>), so an
/// observer on the output path costs no second masking pass and no unbounded buffering.
/// </summary>
/// <param name="inner">Where the events go; none when null.</param>
internal abstract class ObservingEventSink(IRunEventSink? inner) : IAsyncRunEventSink
{
    /// <inheritdoc />
    public void Publish(RunEvent runEvent)
    {
        Observe(runEvent);
        inner?.Publish(runEvent);
    }

    /// <inheritdoc />
    public ValueTask PublishAsync(RunEvent runEvent)
    {
        Observe(runEvent);
        if (inner is IAsyncRunEventSink async)
        {
            return async.PublishAsync(runEvent);
        }

        inner?.Publish(runEvent);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask PublishMaskedAsync(OutputLine line, ISecretMasker maskedBy)
    {
        Observe(line);
        if (inner is IAsyncRunEventSink async)
        {
            return async.PublishMaskedAsync(line, maskedBy);
        }

        inner?.Publish(line);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public async ValueTask PublishOutputAsync(OutputBlock block, ISecretMasker maskedBy)
    {
        ObserveOutput(block);
        if (inner is IAsyncRunEventSink async)
        {
            await async.PublishOutputAsync(block, maskedBy).ConfigureAwait(false);
            return;
        }

        for (var i = 0; inner is not null && i < block.Count; i++)
        {
            inner.Publish(block.ToLine(i));
        }
    }

    /// <summary>Looks at a block of output lines before it is forwarded; by default at each of its lines, as an event.</summary>
    /// <param name="block">The lines.</param>
    protected virtual void ObserveOutput(OutputBlock block)
    {
        for (var i = 0; i < block.Count; i++)
        {
            Observe(block.ToLine(i));
        }
    }

    /// <summary>Looks at one event before it is forwarded.</summary>
    /// <param name="runEvent">The event.</param>
    protected abstract void Observe(RunEvent runEvent);
}
