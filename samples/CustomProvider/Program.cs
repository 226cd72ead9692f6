// Runs one coding task with the artifacts (diff, run log, test results) kept in a store of our own: a
// content-addressed folder (ContentAddressedArtifactStore.cs). Everything else is the library's default.
// Usage: CustomProvider <repository URL or path> <agent command> <root folder>
using Microsoft.Extensions.DependencyInjection;
using NecroCode.AgentRunner;

if (args.Length < 3)
{
    Console.Error.WriteLine("usage: CustomProvider <repository> <agent-command> <root-folder>");
    return 2;
}

var services = new ServiceCollection();
services.AddAgentRunner()
    .UseFileSystem(files =>
    {
        files.RootPath = args[2];
        files.PoolSize = 1;
    })
    .UseGit(git => git.Origin = args[0])
    .UseCommandAgent(agent => agent.Command = args[1])
    .UseContentAddressedArtifacts(store => store.RootPath = Path.Combine(args[2], "cas")); // after UseFileSystem: it replaces the store

await using var provider = services.BuildServiceProvider();
var runner = provider.GetRequiredService<IAgentRunner>();

var result = await runner.RunAsync(
    new TaskContext { TaskId = "1", SpecName = "greeting", Title = "Greet by name", TestCommands = ["sh test.sh"] },
    CancellationToken.None);
Console.WriteLine($"{result.Outcome}: branch {result.Branch}");

// The artifacts the run recorded carry our store's URIs; any process with the same store reads them back.
var store = provider.GetRequiredService<IArtifactStore>();
foreach (var artifact in result.Artifacts)
{
    if (artifact.Uri is null)
    {
        Console.WriteLine($"{artifact.Name}: not stored, kept at {artifact.LocalPath}"); // the store failed; the run says why
        continue;
    }

    await using var content = await store.OpenReadAsync(artifact.Uri, CancellationToken.None);
    using var copy = new MemoryStream();
    await content.CopyToAsync(copy);
    Console.WriteLine($"{artifact.Name}: {artifact.Uri} ({copy.Length} bytes)");
}

return result.Outcome == RunOutcome.Succeeded ? 0 : 1;
