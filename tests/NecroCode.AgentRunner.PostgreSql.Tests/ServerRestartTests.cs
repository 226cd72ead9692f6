using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace NecroCode.AgentRunner.PostgreSql.Tests;

/// <summary>The server restarts while workers claim tasks and append events: they reconnect and nothing is lost or doubled.</summary>
[TestFixture]
[NonParallelizable] // restarts the server every test of this assembly uses
public sealed class ServerRestartTests
{
    [Test]
    public async Task ServerRestartMidRun_WorkersReconnect_EveryTaskDoneOnceWithAllItsEvents()
    {
        await using var database = await TestDatabase.CreateAsync();
        const int taskCount = 60;
        const int eventsPerTask = 5;
        using var logs = new FakeLoggerProvider();
        using var loggers = new LoggerFactory([logs]);
        var fleets = Enumerable.Range(0, 2).Select(i => database.Open($"machine-{i}", loggers: loggers)).ToList();
        for (var i = 0; i < taskCount; i++)
        {
            await fleets[0].Queue.EnqueueAsync(Tasks.Definition(i.ToString("D3", System.Globalization.CultureInfo.InvariantCulture)), CancellationToken.None);
        }

        var done = new ConcurrentBag<TaskKey>();
        var halfway = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var workers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            var fleet = fleets[w % fleets.Count];
            var runner = $"runner-{w}";
            while (await fleet.Queue.ClaimNextAsync(runner, CancellationToken.None) is { } claimed)
            {
                var task = claimed.Entry.Task;
                for (var e = 0; e < eventsPerTask; e++)
                {
                    await fleet.Registry.AppendEventAsync(Tasks.Event(task, runner, message: $"event {e}"), CancellationToken.None);
                }

                await fleet.Registry.SetTaskStateAsync(task, TaskState.Done, runner, CancellationToken.None);
                done.Add(task);
                if (done.Count >= taskCount / 3)
                {
                    halfway.TrySetResult();
                }
            }
        })).ToList();

        await halfway.Task;
        await TestServer.RestartAsync();
        await Task.WhenAll(workers);

        Assert.That(logs.Collector.GetSnapshot().Select(r => r.Id.Id), Does.Contain(12003), "some operation was retried across the restart and then succeeded");
        Assert.That(done.Distinct().Count(), Is.EqualTo(taskCount));
        Assert.That(done, Has.Count.EqualTo(taskCount));
        Assert.That(await database.ScalarAsync<long>("SELECT count(*) FROM events"), Is.EqualTo(taskCount * eventsPerTask));
        Assert.That(await database.ScalarAsync<long>("SELECT count(DISTINCT (spec_name, task_id, message)) FROM events"), Is.EqualTo(taskCount * eventsPerTask));
        Assert.That(await database.ScalarAsync<long>("SELECT count(*) FROM tasks WHERE state <> 'Done' OR holder IS NOT NULL"), Is.Zero);
    }
}
