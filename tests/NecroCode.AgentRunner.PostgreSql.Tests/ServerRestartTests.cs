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
        var restarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // One runner appends to a task of its own without pause until the restart is over: its appends are in flight
        // while the server goes down.
        var appenderTask = new TaskKey("spec", "appender");
        Assert.That((await fleets[1].Registry.TryClaimTaskAsync(appenderTask, "runner-appender", CancellationToken.None)).Claimed, Is.True);
        var appender = Task.Run(async () =>
        {
            var appended = 0;
            while (!restarted.Task.IsCompleted)
            {
                await fleets[1].Registry.AppendEventAsync(Tasks.Event(appenderTask, "runner-appender", message: $"append {appended}"), CancellationToken.None);
                appended++;
            }

            return appended;
        });
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
                    // The rest waits for the restart: it runs on connections the restart broke.
                    halfway.TrySetResult();
                    await restarted.Task;
                }
            }
        })).ToList();

        await halfway.Task;
        await TestServer.RestartAsync();
        restarted.SetResult();
        await Task.WhenAll(workers);
        var appendedDuringRestart = await appender;

        Assert.That(logs.Collector.GetSnapshot().Select(r => r.Id.Id), Does.Contain(12003), "some operation was retried across the restart and then succeeded");
        Assert.That(done.Distinct().Count(), Is.EqualTo(taskCount));
        Assert.That(done, Has.Count.EqualTo(taskCount));
        Assert.That(await database.ScalarAsync<long>("SELECT count(*) FROM events"), Is.EqualTo(taskCount * eventsPerTask + appendedDuringRestart));
        Assert.That(await database.ScalarAsync<long>("SELECT count(DISTINCT (spec_name, task_id, message)) FROM events"), Is.EqualTo(taskCount * eventsPerTask + appendedDuringRestart));
        Assert.That(await database.ScalarAsync<long>("SELECT count(*) FROM tasks WHERE task_id <> 'appender' AND (state <> 'Done' OR holder IS NOT NULL)"), Is.Zero);
    }
}
