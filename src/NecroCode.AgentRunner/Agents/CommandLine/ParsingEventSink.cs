namespace NecroCode.AgentRunner.Agents.CommandLine;

/// <summary>
/// Sits between the process runner and the run's events: standard-output lines go through the agent's
/// <see cref="AgentOutputParser"/> and are published as the human-readable lines it renders (masked again, since
/// decoding JSON can reveal a secret the raw line hid); standard-error lines lose their terminal escapes.
/// </summary>
/// <remarks>After each standard-output line, <paramref name="parsed"/> is called (e.g. to check the usage so far against a budget).</remarks>
internal sealed class ParsingEventSink(IRunEventSink inner, AgentOutputParser parser, ISecretMasker masker, string step, Action? parsed = null) : IRunEventSink
{
    /// <inheritdoc />
    public void Publish(RunEvent runEvent)
    {
        ArgumentNullException.ThrowIfNull(runEvent);
        if (runEvent is not OutputLine line)
        {
            inner.Publish(runEvent);
            return;
        }

        if (line.Stream == OutputSource.StandardError)
        {
            inner.Publish(line with { Text = TerminalText.StripEscapes(line.Text) });
            return;
        }

        parser.Accept(line.Text, text => inner.Publish(line with { Text = masker.Apply(text) }));
        parsed?.Invoke();
    }

    /// <summary>Publishes what the parser still holds and the closing line; call once, after the process ended.</summary>
    /// <param name="closing">A last line to publish (e.g. a usage summary), or null.</param>
    public void Complete(string? closing)
    {
        parser.Complete(text => inner.Publish(new OutputLine(step, OutputSource.StandardOutput, masker.Apply(text))));
        if (closing is not null)
        {
            inner.Publish(new OutputLine(step, OutputSource.StandardOutput, masker.Apply(closing)));
        }
    }
}
