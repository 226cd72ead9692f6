// Runs one task file as a Kubernetes Job: the registry in PostgreSQL and the artifacts in S3 (both shared with the
// pod), the settings from appsettings.json (and NecroCode__… environment variables).
//
//   dotnet run --project samples/KubernetesRunner -- task.json
//
// The task's slotPath names a clone on this machine: the pod clones its origin URL, and the host asks that origin
// whether the pod's push is there. docs/kubernetes.md describes the settings, the RBAC and what the pod needs.
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NecroCode.AgentRunner;
using NecroCode.AgentRunner.Credentials;
using NecroCode.AgentRunner.Kubernetes;
using NecroCode.AgentRunner.PostgreSql;
using NecroCode.AgentRunner.S3;

if (args.Length != 1)
{
    Console.Error.WriteLine("usage: KubernetesRunner <task.json>");
    return 2;
}

var configuration = new ConfigurationBuilder()
    .SetBasePath(AppContext.BaseDirectory)
    .AddJsonFile("appsettings.json", optional: false)
    .AddEnvironmentVariables()
    .Build();

var services = new ServiceCollection();
services.AddLogging(logging => logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information));
services.Configure<CredentialOptions>(configuration.GetSection(CredentialOptions.SectionName));
services.AddAgentRunner()
    .UseGit()
    .UsePostgreSql(o => configuration.GetSection(PostgreSqlOptions.SectionName).Bind(o))
    .UseS3ArtifactStore(o => configuration.GetSection(S3ArtifactStoreOptions.SectionName).Bind(o))
    .UseKubernetes(o => configuration.GetSection(KubernetesOptions.SectionName).Bind(o));

await using var provider = services.BuildServiceProvider();
var environment = provider.GetRequiredService<IExecutionEnvironment>();
var task = await AgentRunnerJson.ReadTaskAsync(args[0], CancellationToken.None);
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // Cancelling deletes the Job and its pod.
    e.Cancel = true;
    stop.Cancel();
};

var result = await environment.RunAsync(new ExecutionRequest(task), stop.Token);
Console.WriteLine($"{result.Outcome}: {result.Branch} at {result.CommitId}{(result.Error is { } error ? $" ({error.ExceptionType}: {error.Message})" : "")}");
foreach (var artifact in result.Artifacts)
{
    Console.WriteLine($"  {artifact.Name}  {artifact.Uri}");
}

return result.Succeeded ? 0 : 1;
