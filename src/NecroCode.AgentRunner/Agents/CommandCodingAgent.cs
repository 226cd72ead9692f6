using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.Agents.CommandLine;
using NecroCode.AgentRunner.Processes;

namespace NecroCode.AgentRunner.Agents;

/// <summary>
/// A coding agent that runs a configured command in the workspace (the embedded default): the prompt goes to its
/// standard input, a file or an argument (<see cref="PromptMode"/>). Exit code 0 is success; any other exit, a
/// timeout or a broken resource limit is a failed <see cref="AgentResult"/> with a clear error. Output is streamed as
/// it is.
/// </summary>
/// <remarks>
/// The command gets an explicit environment: <see cref="CommandAgentOptions.Environment"/>, the variables named in
/// <see cref="CommandAgentOptions.PassEnvironment"/>, the run's secrets named in <see cref="CommandAgentOptions.SecretVariables"/>
/// (these win), the basics (<c>PATH</c>, <c>HOME</c>, <c>LANG</c>, <c>TMPDIR</c>) and <c>NECROCODE_TASK_ID</c>,
/// <c>NECROCODE_SPEC</c>, <c>NECROCODE_WORKSPACE</c>, <c>NECROCODE_ATTEMPT</c>.
/// </remarks>
public sealed class CommandCodingAgent : CommandLineCodingAgent
{
    /// <summary>Creates the agent.</summary>
    /// <param name="processes">Runs the command.</param>
    /// <param name="options">The command and how to call it.</param>
    /// <param name="logger">The logger.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public CommandCodingAgent(IProcessRunner processes, IOptions<CommandAgentOptions> options, ILogger<CommandCodingAgent> logger)
        : base(new CommandAgentDescription((options ?? throw new ArgumentNullException(nameof(options))).Value), processes, NullSecretMasker.Instance, logger)
    {
    }
}
