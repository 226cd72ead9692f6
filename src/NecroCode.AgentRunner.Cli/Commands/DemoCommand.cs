using System.CommandLine;
using NecroCode.AgentRunner.Cli.Demo;
using NecroCode.AgentRunner.Cli.Hosting;

namespace NecroCode.AgentRunner.Cli.Commands;

/// <summary>
/// <c>necrocode-runner demo</c>: builds a throw-away origin repository, a slot, a task and a stand-in
/// agent, then runs the whole pipeline on the embedded defaults. No network, no server, no settings.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var host = new HostOptions();
        var keep = new Option<DirectoryInfo?>("--keep") { Description = "Build the demo in this folder and leave it there (origin, slots, registry, artifacts) for inspection." };
        var command = new Command("demo", "Run a demo task end to end on a throw-away repository.");
        command.Options.Add(keep);
        host.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var keepDirectory = parse.GetValue(keep);
            var root = keepDirectory?.FullName ?? Directory.CreateTempSubdirectory("necrocode-demo-").FullName;
            try
            {
                var demo = await DemoEnvironment.CreateAsync(root, cancellationToken).ConfigureAwait(false);
                System.Console.Out.WriteLine($"Demo repository: {demo.OriginPath}");
                var configuration = RunnerHost.BuildConfiguration(parse.GetValue(host.Config), host.ToSettings(parse), demo.Settings);
                return await RunExecutor.ExecuteAsync(configuration, [new TaskSource("the demo task", _ => Task.FromResult(demo.Task))], host.GetOutputMode(parse), null, 1, resume: false, cancellationToken).ConfigureAwait(false);
            }
            catch (DemoSetupException ex)
            {
                await System.Console.Error.WriteLineAsync(ex.Message).ConfigureAwait(false);
                return ExitCodes.InfrastructureError;
            }
            catch (HostConfigurationException ex)
            {
                await System.Console.Error.WriteLineAsync(ex.Message).ConfigureAwait(false);
                return ExitCodes.InvalidInput;
            }
            finally
            {
                if (keepDirectory is null)
                {
                    TryDelete(root);
                    System.Console.Out.WriteLine("(The demo folder was temporary and is removed; use --keep DIR to inspect it.)");
                }
                else
                {
                    System.Console.Out.WriteLine($"Demo kept in {root}");
                }
            }
        });
        return command;
    }

    private static void TryDelete(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind is harmless.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }
    }
}
