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

return await parse.InvokeAsync().ConfigureAwait(false);
