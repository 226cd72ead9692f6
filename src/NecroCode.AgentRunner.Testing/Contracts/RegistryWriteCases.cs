using System.Globalization;
using static NecroCode.AgentRunner.Testing.Contracts.ContractActors;

namespace NecroCode.AgentRunner.Testing.Contracts;

/// <summary>The registry's writes: fenced while a task is held, accepted while it is not; the event log; artifacts.</summary>
internal static class RegistryWriteCases
{
    /// <summary>How many clients append at once, and how many events each.</summary>
    private const int Writers = 4;
    private const int EventsPerWriter = 25;

    public static IEnumerable<ContractCase<ITaskRegistryContractSubject>> All =>
    [
        new("After a take-over, the old holder's state, event, artifact and renewal are refused", TakenOverWritesAsync),
        new("A holder whose claim lapsed cannot write, even before anyone takes the task over", LapsedWritesAsync),
        new("While a task is held, another runner's writes are refused and change nothing", OtherRunnersWritesAsync),
        new("Writes about a task nobody holds are accepted", UnheldWritesAsync),
        new("Setting a held task's state to anything but Running ends the claim", TerminalStateEndsClaimAsync),
        new("Events appended at once by many clients are all kept, each client's in its order", ConcurrentEventsAsync),
        new("An artifact recorded again under its name replaces the earlier record", ArtifactsAsync),
        new("A registered runner is listed until it unregisters; unknown ids are ignored", RegistrationsAsync),
    ];

    private static async Task TakenOverWritesAsync(ITaskRegistryContractSubject subject, CancellationToken ct)
    {
        var registry = subject.OpenRegistry();
        var task = NewTask();
        var (holder, _) = await ClaimAsync(registry, task, "holder", ct).ConfigureAwait(false);
        await subject.LapseClaimAsync(task, holder, ct).ConfigureAwait(false);
        var (successor, _) = await ClaimAsync(subject.OpenRegistry(), task, "successor", ct).ConfigureAwait(false);

        await ExpectRefusedAsync(registry, task, holder, successor, ct).ConfigureAwait(false);

        var record = await RecordAsync(registry, task, ct).ConfigureAwait(false);
        Expect.Equal((TaskState.Running, (string?)successor), (record.State, record.RunnerId), "The task's state and runner after the old holder's refused writes");
        await registry.AppendEventAsync(Event(task, successor, mark: "successor"), ct).ConfigureAwait(false);
        await registry.SetTaskStateAsync(task, TaskState.Done, successor, ct).ConfigureAwait(false);
        Expect.Equal(TaskState.Done, (await RecordAsync(registry, task, ct).ConfigureAwait(false)).State, "The state the new holder set");
    }

    private static async Task LapsedWritesAsync(ITaskRegistryContractSubject subject, CancellationToken ct)
    {
        var registry = subject.OpenRegistry();
        var task = NewTask();
        var (holder, _) = await ClaimAsync(registry, task, "holder", ct).ConfigureAwait(false);
        await subject.LapseClaimAsync(task, holder, ct).ConfigureAwait(false);

        await ExpectRefusedAsync(registry, task, holder, heldBy: null, ct).ConfigureAwait(false);
    }

    private static async Task OtherRunnersWritesAsync(ITaskRegistryContractSubject subject, CancellationToken ct)
    {
        var registry = subject.OpenRegistry();
        var task = NewTask();
        var (holder, _) = await ClaimAsync(registry, task, "holder", ct).ConfigureAwait(false);
        var other = await RegisterAsync(registry, task, "other", ct).ConfigureAwait(false);

        await ExpectRefusedAsync(subject.OpenRegistry(), task, other, holder, ct).ConfigureAwait(false);

        var record = await RecordAsync(registry, task, ct).ConfigureAwait(false);
        Expect.Equal((TaskState.Running, (string?)holder, 0), (record.State, record.RunnerId, record.Artifacts.Count), "The held task's state, runner and artifact count after refused writes");
        Expect.That((await registry.RenewClaimAsync(task, holder, ct).ConfigureAwait(false)).Claimed, "The holder's claim must survive another runner's refused writes.");
    }

    private static async Task UnheldWritesAsync(ITaskRegistryContractSubject subject, CancellationToken ct)
    {
        var registry = subject.OpenRegistry();
        var unknown = NewTask();
        var anyone = NewRunner("anyone");
        await registry.AppendEventAsync(Event(unknown, anyone, mark: "unknown"), ct).ConfigureAwait(false);
        await registry.SetTaskStateAsync(unknown, TaskState.Failed, anyone, ct).ConfigureAwait(false);
        await registry.AddArtifactAsync(unknown, Artifact("log.txt", 1), anyone, ct).ConfigureAwait(false);
        var record = await RecordAsync(registry, unknown, ct).ConfigureAwait(false);
        Expect.Equal((TaskState.Failed, (string?)anyone, 1), (record.State, record.RunnerId, record.Artifacts.Count), "A task first written without a claim");

        var finished = NewTask();
        var (holder, _) = await ClaimAsync(registry, finished, "holder", ct).ConfigureAwait(false);
        await registry.SetTaskStateAsync(finished, TaskState.Done, holder, ct).ConfigureAwait(false);
        var later = NewRunner("later");
        await registry.AppendEventAsync(Event(finished, later, mark: "later"), ct).ConfigureAwait(false);
        await registry.AddArtifactAsync(finished, Artifact("notes.txt", 1), later, ct).ConfigureAwait(false);
        await registry.SetTaskStateAsync(finished, TaskState.Pending, later, ct).ConfigureAwait(false);
        record = await RecordAsync(registry, finished, ct).ConfigureAwait(false);
        Expect.Equal((TaskState.Pending, (string?)later), (record.State, record.RunnerId), "A finished task written by another runner");
        var events = await registry.GetEventsAsync(finished, ct).ConfigureAwait(false);
        Expect.That(events.Any(e => e.RunnerId == later), "The event another runner appended to a finished task is missing.");
    }

    private static async Task TerminalStateEndsClaimAsync(ITaskRegistryContractSubject subject, CancellationToken ct)
    {
        var registry = subject.OpenRegistry();
        var task = NewTask();
        var (holder, first) = await ClaimAsync(registry, task, "holder", ct).ConfigureAwait(false);

        await registry.SetTaskStateAsync(task, TaskState.Done, holder, ct).ConfigureAwait(false);

        Expect.That(!(await registry.RenewClaimAsync(task, holder, ct).ConfigureAwait(false)).Claimed, "A claim must end when its holder sets the task Done.");
        var other = NewRunner("other");
        await registry.AppendEventAsync(Event(task, other, mark: "after"), ct).ConfigureAwait(false);
        var (_, next) = await ClaimAsync(subject.OpenRegistry(), task, "next", ct).ConfigureAwait(false);
        Expect.That(next.Fence > first.Fence, $"A claim after the claim ended must have a larger fencing number: {first.Fence}, then {next.Fence}.");
    }

    private static async Task ConcurrentEventsAsync(ITaskRegistryContractSubject subject, CancellationToken ct)
    {
        var task = NewTask();
        var (holder, _) = await ClaimAsync(subject.OpenRegistry(), task, "holder", ct).ConfigureAwait(false);
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(
            async () =>
            {
                var registry = subject.OpenRegistry();
                for (var i = 0; i < EventsPerWriter; i++)
                {
                    await registry.AppendEventAsync(Event(task, holder, mark: Mark(w, i)), ct).ConfigureAwait(false);
                }
            },
            ct));
        await Task.WhenAll(writers).ConfigureAwait(false);

        var marks = (await subject.OpenRegistry().GetEventsAsync(task, ct).ConfigureAwait(false))
            .Select(e => e.Data is { } data && data.TryGetValue("mark", out var mark) ? mark : "(none)")
            .ToList();
        Expect.Equal(Writers * EventsPerWriter, marks.Count, "Events in the log after concurrent appends");
        Expect.Equal(marks.Count, marks.Distinct(StringComparer.Ordinal).Count(), "Distinct events in the log (none may be duplicated)");
        for (var w = 0; w < Writers; w++)
        {
            var own = marks.Where(m => m.StartsWith($"{w}:", StringComparison.Ordinal)).ToList();
            var expected = Enumerable.Range(0, EventsPerWriter).Select(i => Mark(w, i)).ToList();
            Expect.That(own.SequenceEqual(expected, StringComparer.Ordinal), $"Writer {w}'s events must come back in the order it appended them; got {string.Join(", ", own)}.");
        }
    }

    private static async Task ArtifactsAsync(ITaskRegistryContractSubject subject, CancellationToken ct)
    {
        var registry = subject.OpenRegistry();
        var task = NewTask();
        var (holder, _) = await ClaimAsync(registry, task, "holder", ct).ConfigureAwait(false);

        await registry.AddArtifactAsync(task, Artifact("diff.patch", 1), holder, ct).ConfigureAwait(false);
        await registry.AddArtifactAsync(task, Artifact("run.log", 1), holder, ct).ConfigureAwait(false);
        await subject.OpenRegistry().AddArtifactAsync(task, Artifact("diff.patch", 2), holder, ct).ConfigureAwait(false);

        var artifacts = (await RecordAsync(registry, task, ct).ConfigureAwait(false)).Artifacts;
        Expect.Equal("diff.patch, run.log", string.Join(", ", artifacts.Select(a => a.Name).Order(StringComparer.Ordinal)), "The task's artifact names");
        Expect.Equal(Artifact("diff.patch", 2), artifacts.Single(a => a.Name == "diff.patch"), "The artifact recorded twice");
        Expect.Equal(Artifact("run.log", 1), artifacts.Single(a => a.Name == "run.log"), "The artifact recorded once");
    }

    private static async Task RegistrationsAsync(ITaskRegistryContractSubject subject, CancellationToken ct)
    {
        var registry = subject.OpenRegistry();
        var task = NewTask();
        var runner = await RegisterAsync(registry, task, "registered", ct).ConfigureAwait(false);
        var listed = (await subject.OpenRegistry().GetRunnersAsync(ct).ConfigureAwait(false)).SingleOrDefault(r => r.RunnerId == runner);
        Expect.Equal((task, Environment.MachineName, Environment.ProcessId), (listed?.Task ?? default, listed?.Host, listed?.ProcessId ?? 0), "The registration as listed");

        await registry.UnregisterRunnerAsync(runner, ct).ConfigureAwait(false);
        await registry.UnregisterRunnerAsync(NewRunner("unknown"), ct).ConfigureAwait(false);

        Expect.That((await registry.GetRunnersAsync(ct).ConfigureAwait(false)).All(r => r.RunnerId != runner), $"Runner {runner} is still listed after it unregistered.");
    }

    /// <summary>Expects each write of <paramref name="runnerId"/> about <paramref name="task"/> to be refused with <see cref="ClaimLostException"/>.</summary>
    private static async Task ExpectRefusedAsync(ITaskRegistry registry, TaskKey task, string runnerId, string? heldBy, CancellationToken ct)
    {
        var before = (await registry.GetEventsAsync(task, ct).ConfigureAwait(false)).Count;
        var writes = new (string What, Func<Task> Write)[]
        {
            ("SetTaskStateAsync(Done)", () => registry.SetTaskStateAsync(task, TaskState.Done, runnerId, ct)),
            ("SetTaskStateAsync(Failed)", () => registry.SetTaskStateAsync(task, TaskState.Failed, runnerId, ct)),
            ("AppendEventAsync", () => registry.AppendEventAsync(Event(task, runnerId, TaskEventTypes.TaskCompleted, "refused"), ct)),
            ("AddArtifactAsync", () => registry.AddArtifactAsync(task, Artifact("refused.log", 1), runnerId, ct)),
        };
        foreach (var (what, write) in writes)
        {
            var refused = await Expect.ThrowsAsync<ClaimLostException>(write, $"{what} by runner {runnerId}, which does not hold task {task}").ConfigureAwait(false);
            Expect.Equal((task, runnerId), (refused.Task, refused.RunnerId), $"The task and runner {what}'s ClaimLostException names");
            if (heldBy is not null && refused.HeldBy is not null)
            {
                Expect.Equal(heldBy, refused.HeldBy, $"The holder {what}'s ClaimLostException names");
            }
        }

        var renewal = await registry.RenewClaimAsync(task, runnerId, ct).ConfigureAwait(false);
        Expect.That(!renewal.Claimed, $"Runner {runnerId}'s renewal must fail: it does not hold task {task}.");
        Expect.Equal(before, (await registry.GetEventsAsync(task, ct).ConfigureAwait(false)).Count, "Events in the log after refused appends");
        var record = await RecordAsync(registry, task, ct).ConfigureAwait(false);
        Expect.That(record.Artifacts.All(a => a.Name != "refused.log"), "A refused artifact was recorded.");
    }

    private static string Mark(int writer, int index) => string.Create(CultureInfo.InvariantCulture, $"{writer}:{index:D3}");
}
