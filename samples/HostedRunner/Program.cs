// A worker service that runs coding tasks from the runner's queue until it is stopped.
// Settings come from appsettings.json, then environment variables (NecroCode__Git__Origin=…), then the command line
// (--NecroCode:FileSystem:RootPath=/srv/necrocode): the generic host's usual order, later wins.
// Tasks are put into the queue by anyone who shares the root folder: `necrocode-runner enqueue task.json --root …`,
// or ITaskQueue.EnqueueAsync from your own code.
using HostedRunner;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

// appsettings.json is read from the program's folder, wherever the service is started from (systemd, a container).
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });

// One call binds every option of the runner from the "NecroCode" section (NecroCode:Runner, NecroCode:FileSystem,
// NecroCode:Agent, …); UseGit() binds NecroCode:Git the same way. A key the runner does not know (a typo) stops the
// host at start, naming its path and the nearest known key.
builder.Services.AddAgentRunner(builder.Configuration.GetSection("NecroCode"))
    .UseGit();

// Readiness checks: the registry answers, the artifact store is reachable, the pool has (or can add) a slot, and the
// service is not shutting down. An ASP.NET Core host would map them with app.MapHealthChecks("/readyz", …).
builder.Services.AddHealthChecks().AddAgentRunnerHealthChecks();

builder.Services.AddOptions<WorkerOptions>().BindConfiguration("Worker").ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddHostedService<QueueWorker>();

// The host waits this long for StopAsync: the drain time of a task in progress plus a minute for its clean-up.
builder.Services.AddOptions<HostOptions>()
    .Configure<IOptions<WorkerOptions>>((host, worker) => host.ShutdownTimeout = worker.Value.DrainTimeout + TimeSpan.FromMinutes(1));

using var host = builder.Build();
await host.RunAsync();
