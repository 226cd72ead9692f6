using NecroCode.AgentRunner.Cli.Commands;

return await CliApplication.CreateRootCommand().Parse(args).InvokeAsync().ConfigureAwait(false);
