using System.Globalization;

namespace NecroCode.AgentRunner.Agents.CommandLine;

/// <summary>
/// What a command-line coding agent is: its program and arguments, its environment, how its output reads and what
/// its exit codes mean. <see cref="CommandLineCodingAgent"/> runs it; everything else — the process tree, the
/// environment, secrets and masking, streaming, telemetry, logging and the result — is the same for every agent.
/// </summary>
/// <remarks>
/// Only <see cref="Name"/>, <see cref="DisplayName"/>, <see cref="Command"/> and <see cref="BuildArguments"/> must be
/// given; every other member has a default. A description is read for each attempt and may be used by several at once.
/// </remarks>
public abstract class CommandLineAgentDescription
{
    /// <summary>The agent's short name (<see cref="ICodingAgent.Name"/>, the <c>agent</c> tag of its metrics), e.g. <c>claude-code</c>.</summary>
    public abstract string Name { get; }

    /// <summary>The agent's name in messages and logs, e.g. <c>Claude Code</c>.</summary>
    public abstract string DisplayName { get; }

    /// <summary>The program: a path (relative to the workspace), or a name looked up on <c>PATH</c>.</summary>
    public abstract string Command { get; }

    /// <summary>Longest one attempt may run; its process tree is stopped after that. Default null: bounded only by the task.</summary>
    public virtual TimeSpan? Timeout => null;

    /// <summary>
    /// The POSIX signal number that asks the agent to wrap up when it crosses a budget; it goes to the agent's process
    /// group, and after the budget's grace period the tree is stopped. Default 2 (SIGINT, the interrupt key, which
    /// every built-in agent handles as "stop now").
    /// </summary>
    public virtual int WrapUpSignal => 2;

    /// <summary>Characters of the end of the agent's stdout and stderr kept for its result. Default 64 KiB.</summary>
    public virtual int OutputCaptureLimit => 64 * 1024;

    /// <summary>The agent's environment. Default <see cref="AgentEnvironment.None"/> (the basics and the task variables only).</summary>
    public virtual AgentEnvironment Environment => AgentEnvironment.None;

    /// <summary>
    /// Whether the agent reads the prompt from a file: it is written to a private temp folder outside the workspace,
    /// its path given to <see cref="BuildArguments"/>, and deleted after the attempt. Default false.
    /// </summary>
    public virtual bool UsesPromptFile => false;

    /// <summary>Why the agent cannot run at all, e.g. no command configured; null when it can. Checked before each attempt.</summary>
    public virtual string? ConfigurationError =>
        string.IsNullOrWhiteSpace(Command) ? $"{DisplayName} has no command configured." : null;

    /// <summary>The arguments of one attempt, each passed as one argument (never through a shell).</summary>
    /// <param name="request">The attempt: task, workspace, prompt and attempt number.</param>
    /// <param name="promptFile">The prompt file's path when <see cref="UsesPromptFile"/> is true; otherwise null.</param>
    /// <returns>The argument list.</returns>
    public abstract IReadOnlyList<string> BuildArguments(AgentRequest request, string? promptFile);

    /// <summary>What the agent reads on standard input, which is then closed. Default null: stdin is closed at once.</summary>
    /// <param name="request">The attempt.</param>
    /// <returns>The text, or null.</returns>
    public virtual string? StandardInput(AgentRequest request) => null;

    /// <summary>
    /// A fresh parser for one attempt's standard output. Default null: both streams are published as the process
    /// runner reads them. With a parser, standard output is published as the lines it renders (masked again) and its
    /// verdict, usage and summary join the result; standard error loses its terminal escapes.
    /// </summary>
    /// <returns>The parser, or null.</returns>
    public virtual AgentOutputParser? CreateParser() => null;

    /// <summary>
    /// What an exit code means: null when the attempt succeeded (a parser's failed verdict still fails it), otherwise
    /// the sentence that says why it failed. Default: 0 succeeds; any other code fails with
    /// <c>"{DisplayName} exited with code N."</c>.
    /// </summary>
    /// <param name="exitCode">The code the agent exited with.</param>
    /// <returns>Null for success, or the failure.</returns>
    public virtual string? DescribeExitCode(int exitCode) =>
        exitCode == 0 ? null : string.Create(CultureInfo.InvariantCulture, $"{DisplayName} exited with code {exitCode}.");

    /// <summary>The error of an attempt stopped at <see cref="Timeout"/>.</summary>
    /// <returns>The sentence.</returns>
    public virtual string DescribeTimeout() =>
        string.Create(CultureInfo.InvariantCulture, $"{DisplayName} ran past its timeout of {(Timeout ?? TimeSpan.Zero).TotalSeconds:0.###} s; its process tree was stopped.");

    /// <summary>The error of an attempt whose program could not be started (e.g. not installed).</summary>
    /// <param name="exception">Why it could not start.</param>
    /// <returns>The sentence; by default it names the agent, the command and the reason.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="exception"/> is null.</exception>
    public virtual string DescribeStartFailure(ProcessStartException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return $"{DisplayName} could not be started ('{Command}'): {exception.Message}";
    }

    /// <summary>
    /// The end of the output a failed attempt's error quotes (see <see cref="OutputTail"/>). Default: the last five
    /// non-blank lines of standard error after <c>Last error output: </c>.
    /// </summary>
    /// <param name="result">How the process ended.</param>
    /// <returns>The quote; empty for none.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="result"/> is null.</exception>
    public virtual string QuoteOutput(ProcessResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return OutputTail.Quote("Last error output: ", result.StandardError, 5, " | ", 1000);
    }

    /// <summary>
    /// The prompt as one argument: a prompt that begins with <c>-</c> gets a leading line break, so that no option
    /// parser reads it as an option.
    /// </summary>
    /// <param name="prompt">The prompt.</param>
    /// <returns>The argument.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="prompt"/> is null.</exception>
    protected static string PromptArgument(string prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        return prompt.StartsWith('-') ? "\n" + prompt : prompt;
    }
}
