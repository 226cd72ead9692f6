using System.CommandLine;
using NecroCode.AgentRunner.Cli;
using NecroCode.AgentRunner.Cli.Commands;

var parse = CliApplication.CreateRootCommand().Parse(args);
if (parse.Errors.Count > 0 && parse.Action is not System.CommandLine.Help.HelpAction)
{
    foreach (var error in parse.Errors)
    {
        await Console.Error.WriteLineAsync(error.Message).ConfigureAwait(false);
    }

    await Console.Error.WriteLineAsync("Run 'necrocode-runner --help' for usage.").ConfigureAwait(false);
    return ExitCodes.InvalidInput;
}

// Signals are the host's own (HostShutdown), not System.CommandLine's: its default ends the process 2 s after
// Ctrl+C, before the runs have recorded their tasks and returned their slots, and it leaves SIGTERM alone.
using var shutdown = new HostShutdown(Console.Error);
return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }, shutdown.Token).ConfigureAwait(false);
