// Sample (seed 16.2): runs the demo task — a tiny shell calculator gets subtraction — in a Docker
// container with limits, against a bare origin in a temp folder; with --measure N it also times the
// same task in local mode and a bare `docker run --rm IMAGE true`, N times each.
//
//   dotnet run --project samples/DockerRunner -- --image necrocode-runner-test:<hash> [--measure 5 | --trace]
// --trace prints each event with the times it was stamped inside and received on the host, and the run's start and end.
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NecroCode.AgentRunner;
using NecroCode.AgentRunner.Docker;
using NecroCode.AgentRunner.Samples.DockerRunner;

var image = Arg("--image") ?? Environment.GetEnvironmentVariable("NECROCODE_DOCKER_TEST_IMAGE")
    ?? throw new ArgumentException("Give the runner image: --image NAME:TAG (see docs/docker.md).");
var rounds = int.Parse(Arg("--measure") ?? "0", CultureInfo.InvariantCulture);

// --container-env NAME=VALUE (repeatable): extra variables of the container, e.g. runtime start-up settings to compare.
var containerEnvironment = args.Select((a, i) => (a, i)).Where(p => p.a == "--container-env" && p.i + 1 < args.Length)
    .Select(p => args[p.i + 1].Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "", StringComparer.Ordinal);

if (rounds == 0)
{
    using var demo = await DemoRepository.CreateAsync();
    var trace = args.Contains("--trace");
    if (trace)
    {
        // A local run first, so that the traced Docker run's host code is warm as in a long-lived host.
        using var warm = await DemoRepository.CreateAsync();
        Check(await RunAsync(warm, image, docker: false, new NullSink(), containerEnvironment));
        Console.WriteLine($"{DateTimeOffset.UtcNow:HH:mm:ss.fff} run starts");
    }

    var result = await RunAsync(demo, image, docker: true, trace ? new TraceSink() : new ConsoleSink(), containerEnvironment);
    if (trace)
    {
        Console.WriteLine($"{DateTimeOffset.UtcNow:HH:mm:ss.fff} run returned");
    }

    Console.WriteLine($"{result.Outcome}: branch {result.Branch} at {result.CommitId} pushed; artifacts: {string.Join(", ", result.Artifacts.Select(a => a.Uri))}");
    return result.Succeeded ? 0 : 1;
}

var local = new List<double>();
var docker = new List<double>();
var bare = new List<double>();
for (var i = 0; i <= rounds; i++)
{
    // Round 0 warms up (JIT, page cache) and is not counted.
    using (var demo = await DemoRepository.CreateAsync())
    {
        var watch = Stopwatch.StartNew();
        Check(await RunAsync(demo, image, docker: false, new NullSink(), containerEnvironment));
        Add(local, watch);
    }

    using (var demo = await DemoRepository.CreateAsync())
    {
        var watch = Stopwatch.StartNew();
        Check(await RunAsync(demo, image, docker: true, new NullSink(), containerEnvironment));
        Add(docker, watch);
    }

    var bareWatch = Stopwatch.StartNew();
    await DemoRepository.RunAsync("docker", ".", "run", "--rm", image, "true");
    Add(bare, bareWatch);

    void Add(List<double> list, Stopwatch watch)
    {
        if (i > 0)
        {
            list.Add(watch.Elapsed.TotalMilliseconds);
        }
    }
}

double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
var overhead = Median(docker) - Median(local);
Console.WriteLine($"rounds {rounds}; medians: local {Median(local):F0} ms, docker {Median(docker):F0} ms, docker run --rm true {Median(bare):F0} ms");
Console.WriteLine($"Docker mode overhead over local: {overhead:F0} ms = {overhead / Median(bare):F2} x bare docker run --rm");
return 0;

static void Check(RunnerResult result)
{
    if (!result.Succeeded)
    {
        throw new InvalidOperationException($"The demo run failed: {result.Outcome} {result.Error?.Message}");
    }
}

static async Task<RunnerResult> RunAsync(DemoRepository demo, string image, bool docker, IRunEventSink sink, Dictionary<string, string> containerEnvironment)
{
    var services = new ServiceCollection();
    services.AddLogging(logging =>
    {
        if (sink is TraceSink)
        {
            // The host's log lines (container started, exited) with their times, beside the events'.
            logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
            }).SetMinimumLevel(LogLevel.Information);
        }
    });
    var runner = services.AddAgentRunner().UseGit();
    runner.UseFileSystem(o => o.RootPath = demo.HostState);
    runner.UseCommandAgent(o =>
    {
        o.Command = "sh";
        o.Arguments = ["-c", DemoRepository.Agent];
    });
    if (docker)
    {
        runner.UseDocker(o =>
        {
            o.Image = image;
            o.JobsPath = demo.JobsPath;
            o.MemoryBytes = 1024L * 1024 * 1024;
            o.Cpus = 2;
            o.NetworkMode = "none";
            o.Settings["NecroCode:Agent:Command"] = "sh";
            o.Settings["NecroCode:Agent:Arguments:0"] = "-c";
            o.Settings["NecroCode:Agent:Arguments:1"] = DemoRepository.Agent;
            // Demo only: the bare origin lives in a temp folder, reachable inside by its host path.
            o.ExtraMounts.Add(new DockerMount { Source = demo.Origin, ReadOnly = false });
            foreach (var (name, value) in containerEnvironment)
            {
                o.Environment[name] = value;
            }
        });
    }

    await using var provider = services.BuildServiceProvider();
    var environment = provider.GetRequiredService<IExecutionEnvironment>();
    return await environment.RunAsync(new ExecutionRequest(demo.Task(), sink), CancellationToken.None);
}

string? Arg(string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}
