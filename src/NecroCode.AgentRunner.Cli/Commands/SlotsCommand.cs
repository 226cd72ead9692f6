using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using NecroCode.AgentRunner.Cli.Hosting;
using NecroCode.AgentRunner.FileSystem;
using NecroCode.AgentRunner.Posix;

namespace NecroCode.AgentRunner.Cli.Commands;

/// <summary>
/// <c>necrocode-runner slots list|release</c> and <c>runners forget</c>: the operator's view of the file-system
/// slot pool and registry, and the way out when a runner crashed on another machine (whose lease and task claim
/// are otherwise kept for ever: this machine cannot tell whether that runner is still alive).
/// </summary>
internal static class SlotsCommand
{
    public static Command CreateSlots()
    {
        var command = new Command("slots", "Show the slot pool, or break the lease of a slot whose holder crashed on another machine.");
        var list = new Command("list", "List the slots: free, leased (by whom, since when, whether the holder is known to be gone) or quarantined (why).");
        var host = new HostOptions();
        host.AddTo(list);
        list.SetAction((parse, cancellationToken) => WithServicesAsync(host, parse, (services, _) =>
        {
            var pool = PoolOf(services);
            var leases = pool.GetLeases().ToDictionary(l => l.SlotId, StringComparer.Ordinal);
            foreach (var slot in pool.GetSlotIds())
            {
                System.Console.Out.WriteLine(leases.TryGetValue(slot, out var lease)
                    ? string.Create(CultureInfo.InvariantCulture, $"{slot}  leased by {lease.RunnerId} for {lease.Task} (pid {lease.ProcessId} on {lease.Host}, since {lease.AcquiredAt:O}){(lease.HolderKnownDead ? "; holder gone, reclaimed by the next run" : "")}")
                    : $"{slot}  free");
            }

            foreach (var quarantined in pool.GetQuarantinedSlots())
            {
                System.Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{quarantined.SlotId}  QUARANTINED {quarantined.QuarantinedAt:O}: {quarantined.Reason} (folder {quarantined.Path})"));
            }

            return Task.FromResult(ExitCodes.Succeeded);
        }, cancellationToken));
        command.Subcommands.Add(list);

        var release = new Command("release", "Break the lease of a slot whose holder is gone (crashed on another machine); the next run recovers the slot.");
        var slotId = new Argument<string>("slot") { Description = "The slot's id (its folder name)." };
        var releaseHost = new HostOptions();
        release.Arguments.Add(slotId);
        releaseHost.AddTo(release);
        release.SetAction((parse, cancellationToken) => WithServicesAsync(releaseHost, parse, async (services, ct) =>
        {
            var broken = await PoolOf(services).BreakLeaseAsync(parse.GetValue(slotId)!, ct).ConfigureAwait(false);
            System.Console.Out.WriteLine(broken is null
                ? $"Slot {parse.GetValue(slotId)} was not leased."
                : $"Lease of slot {broken.SlotId} by runner {broken.RunnerId} (pid {broken.ProcessId} on {broken.Host}) broken.");
            return ExitCodes.Succeeded;
        }, cancellationToken));
        command.Subcommands.Add(release);
        return command;
    }

    public static Command CreateRunners()
    {
        var command = new Command("runners", "Show the registered runners, or forget one that crashed on another machine so its task can be taken over.");
        var list = new Command("list", "List the registered runners.");
        var host = new HostOptions();
        host.AddTo(list);
        list.SetAction((parse, cancellationToken) => WithServicesAsync(host, parse, async (services, ct) =>
        {
            foreach (var runner in await services.GetRequiredService<ITaskRegistry>().GetRunnersAsync(ct).ConfigureAwait(false))
            {
                System.Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{runner.RunnerId}  {runner.Task}  pid {runner.ProcessId} on {runner.Host}, since {runner.StartedAt:O}"));
            }

            return ExitCodes.Succeeded;
        }, cancellationToken));
        command.Subcommands.Add(list);

        var forget = new Command("forget", "Remove the registration of a runner that is gone; a task it held Running can then be claimed by the next run.");
        var runnerId = new Argument<string>("runner") { Description = "The runner's id." };
        var forgetHost = new HostOptions();
        forget.Arguments.Add(runnerId);
        forgetHost.AddTo(forget);
        forget.SetAction((parse, cancellationToken) => WithServicesAsync(forgetHost, parse, async (services, ct) =>
        {
            var id = parse.GetValue(runnerId)!;
            var registry = services.GetRequiredService<ITaskRegistry>();
            var registration = (await registry.GetRunnersAsync(ct).ConfigureAwait(false)).FirstOrDefault(r => r.RunnerId == id);
            if (registration is null)
            {
                System.Console.Out.WriteLine($"Runner {id} is not registered.");
                return ExitCodes.Succeeded;
            }

            if (registration.Host == Environment.MachineName && ProcessLiveness.MayBeRunning(registration.ProcessId, registration.StartedAt))
            {
                await System.Console.Error.WriteLineAsync($"Runner {id} may still run on this machine (pid {registration.ProcessId}); stop it instead.").ConfigureAwait(false);
                return ExitCodes.Conflict;
            }

            await registry.UnregisterRunnerAsync(id, ct).ConfigureAwait(false);
            System.Console.Out.WriteLine($"Runner {id} (pid {registration.ProcessId} on {registration.Host}) forgotten.");
            return ExitCodes.Succeeded;
        }, cancellationToken));
        command.Subcommands.Add(forget);
        return command;
    }

    private static FileSystemSlotPool PoolOf(IServiceProvider services) =>
        services.GetRequiredService<ISlotPool>() as FileSystemSlotPool
        ?? throw new HostConfigurationException("The slot pool is not the file-system pool; manage it with its own tools.");

    private static Task<int> WithServicesAsync(HostOptions host, ParseResult parse, Func<IServiceProvider, CancellationToken, Task<int>> action, CancellationToken cancellationToken) =>
        CommandHost.RunAsync(host, parse, action, cancellationToken);
}
