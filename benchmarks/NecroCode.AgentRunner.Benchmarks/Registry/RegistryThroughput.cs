using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace NecroCode.AgentRunner.Benchmarks.Registry;

/// <summary>
/// Multi-process registry throughput (not BenchmarkDotNet: the unit is a fleet of processes). For each
/// process count and mode, starts that many writers on one fresh registry, releases them together, times
/// until the last is done, and checks that the log holds every event exactly once, each line parsing.
/// </summary>
/// <remarks>
/// <c>registry [--events K] [--processes 1,4,16] [--repeat R] [--modes registry,appendfsync,append]</c>.
/// Each configuration runs R times (interleaved, so noise hits all alike); the median is reported.
/// </remarks>
internal static class RegistryThroughput
{
    public static async Task<int> RunAsync(string[] args)
    {
        var events = IntOption(args, "--events", 250);
        var repeat = IntOption(args, "--repeat", 3);
        var processes = Option(args, "--processes", "1,4,16").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var modes = Option(args, "--modes", "registry,appendfsync,append").Split(',').Select(s => Enum.Parse<AppendMode>(s, ignoreCase: true)).ToArray();
        var rates = new Dictionary<(int, AppendMode), List<double>>();

        for (var r = 0; r < repeat; r++)
        {
            foreach (var n in processes)
            {
                foreach (var mode in modes)
                {
                    var rate = await RunOnceAsync(mode, n, events);
                    Console.Error.WriteLine(FormattableString.Invariant($"  run {r + 1}/{repeat}: {mode,-12} {n,3} processes x {events} events: {rate,9:0} events/s"));
                    (rates.TryGetValue((n, mode), out var list) ? list : rates[(n, mode)] = []).Add(rate);
                }
            }
        }

        Console.WriteLine(FormattableString.Invariant($"Events appended per second to one task's log (median of {repeat}; {events} events per process; {Environment.ProcessorCount} cores)"));
        Console.WriteLine();
        Console.WriteLine("| processes | " + string.Join(" | ", modes.Select(m => m.ToString())) + " | registry / append+fsync | registry / append |");
        Console.WriteLine("|---:|" + string.Concat(modes.Select(_ => "---:|")) + "---:|---:|");
        foreach (var n in processes)
        {
            double Median(AppendMode m) => rates.TryGetValue((n, m), out var l) ? l.Order().ElementAt(l.Count / 2) : double.NaN;
            var cells = modes.Select(m => Median(m).ToString("0", CultureInfo.InvariantCulture));
            Console.WriteLine(FormattableString.Invariant(
                $"| {n} | {string.Join(" | ", cells)} | {Median(AppendMode.Registry) / Median(AppendMode.AppendFsync):0.00}x | {Median(AppendMode.Registry) / Median(AppendMode.Append):0.00}x |"));
        }

        return 0;
    }

    private static async Task<double> RunOnceAsync(AppendMode mode, int processCount, int events)
    {
        var root = Directory.CreateTempSubdirectory("necrocode-bench-registry-").FullName;
        var children = new List<Process>();
        try
        {
            for (var i = 0; i < processCount; i++)
            {
                children.Add(StartWriter(mode, root, "w" + i.ToString(CultureInfo.InvariantCulture), events));
            }

            foreach (var child in children)
            {
                await ExpectAsync(child, "ready");
            }

            var stopwatch = Stopwatch.StartNew();
            foreach (var child in children)
            {
                await child.StandardInput.WriteLineAsync("go");
                await child.StandardInput.FlushAsync();
            }

            foreach (var child in children)
            {
                await ExpectAsync(child, "done");
            }

            var elapsed = stopwatch.Elapsed;
            foreach (var child in children)
            {
                await child.WaitForExitAsync();
            }

            Verify(Path.Combine(root, "registry", "tasks", AppendWriter.SpecName, AppendWriter.TaskId + ".events.jsonl"), processCount, events);
            return processCount * events / elapsed.TotalSeconds;
        }
        finally
        {
            foreach (var child in children)
            {
                if (!child.HasExited)
                {
                    child.Kill(entireProcessTree: true);
                }

                child.Dispose();
            }

            Directory.Delete(root, recursive: true);
        }
    }

    private static void Verify(string path, int processCount, int events)
    {
        var seen = new HashSet<(string, int)>();
        var lines = File.ReadAllText(path).Split('\n');
        if (lines[^1].Length != 0)
        {
            throw new InvalidDataException($"'{path}' ends in a torn line.");
        }

        foreach (var line in lines[..^1])
        {
            var e = JsonSerializer.Deserialize(line, AppendWriter.LineInfo) ?? throw new InvalidDataException("null event");
            var key = (e.Data!["writer"], int.Parse(e.Data["seq"], CultureInfo.InvariantCulture));
            if (!seen.Add(key))
            {
                throw new InvalidDataException($"'{path}': event {key} appears twice.");
            }
        }

        if (seen.Count != processCount * events)
        {
            throw new InvalidDataException($"'{path}' holds {seen.Count} events; expected {processCount * events}.");
        }
    }

    private static Process StartWriter(AppendMode mode, string root, string writer, int events)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            start.ArgumentList.Add(typeof(RegistryThroughput).Assembly.Location);
        }

        foreach (var arg in new[] { "registry-writer", mode.ToString(), root, writer, events.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start)!;
    }

    private static async Task ExpectAsync(Process child, string prefix)
    {
        var line = await child.StandardOutput.ReadLineAsync();
        if (line is null || !line.StartsWith(prefix, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"writer {child.Id} said '{line}' instead of '{prefix}'.");
        }
    }

    private static string Option(string[] args, string name, string fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
    }

    private static int IntOption(string[] args, string name, int fallback) =>
        int.Parse(Option(args, name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
}
