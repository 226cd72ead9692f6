namespace NecroCode.AgentRunner.Events;

/// <summary>
/// A sink that can make a producer of output lines wait (asynchronously) while its consumers are behind,
/// instead of buffering without bound. The output pumps of <see cref="Processes.ProcessRunner"/> use it, so a
/// child that prints faster than the run log is written is slowed down through its pipe.
/// </summary>
internal interface IAsyncRunEventSink : IRunEventSink
{
    /// <summary>Publishes one event, first waiting for room when it is an output line and the sink is full.</summary>
    /// <param name="runEvent">The event.</param>
    /// <returns>A task that completes once the event is accepted.</returns>
    ValueTask PublishAsync(RunEvent runEvent);

    /// <summary>
    /// Publishes an output line that <paramref name="maskedBy"/> already masked, first waiting for room like
    /// <see cref="PublishAsync(RunEvent)"/>; a sink that masks with the same masker does not mask it again.
    /// </summary>
    /// <param name="line">The masked line.</param>
    /// <param name="maskedBy">The masker that masked it.</param>
    /// <returns>A task that completes once the line is accepted.</returns>
    ValueTask PublishMaskedAsync(OutputLine line, ISecretMasker maskedBy);

    /// <summary>
    /// Publishes a block of output lines that <paramref name="maskedBy"/> already masked, first waiting for room like
    /// <see cref="PublishAsync(RunEvent)"/>; the same as publishing each line with
    /// <see cref="PublishMaskedAsync(OutputLine, ISecretMasker)"/>, in order. The sink may keep the block.
    /// </summary>
    /// <param name="block">The masked lines.</param>
    /// <param name="maskedBy">The masker that masked them.</param>
    /// <returns>A task that completes once the lines are accepted.</returns>
    ValueTask PublishOutputAsync(OutputBlock block, ISecretMasker maskedBy);
}
