using System.CommandLine;
using NecroCode.AgentRunner.Cli;
using NecroCode.AgentRunner.Cli.Commands;

var parse = CliApplication.CreateRootCommand().Parse(args);
var unknownOptions = UnknownOptions.Describe(parse);
if ((parse.Errors.Count > 0 || unknownOptions.Count > 0) && parse.Action is not System.CommandLine.Help.HelpAction)
{
    // An unknown option is named once, with the nearest known one, instead of the parser's "Unrecognized
    // command or argument" for it and for its value.
    var errors = unknownOptions.Count > 0 ? unknownOptions : parse.Errors.Select(e => e.Message);
    foreach (var error in errors)
    {
        await Console.Error.WriteLineAsync(error).ConfigureAwait(false);
    }

    await Console.Error.WriteLineAsync("Run 'necrocode-runner --help' for usage.").ConfigureAwait(false);
    return ExitCodes.InvalidInput;
}

// Signals are the host's own (HostShutdown), not System.CommandLine's: its default ends the process 2 s after
// Ctrl+C, before the runs have recorded their tasks and returned their slots, and it leaves SIGTERM alone.
using var shutdown = new HostShutdown(Console.Error);
return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }, shutdown.Token).ConfigureAwait(false);
