using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.FileSystem;

namespace NecroCode.AgentRunner.Benchmarks.Registry;

/// <summary>
/// The child side of the registry throughput benchmark: warms up, prints <c>ready</c>, waits for a line on
/// standard input, appends its events, prints <c>done &lt;ms&gt;</c>.
/// </summary>
internal static class AppendWriter
{
    internal const string SpecName = "bench";
    internal const string TaskId = "log";

    internal static readonly JsonTypeInfo<TaskEvent> LineInfo = (JsonTypeInfo<TaskEvent>)AgentRunnerJson.LineOptions.GetTypeInfo(typeof(TaskEvent));

    /// <summary>Runs one writer: <c>registry-writer MODE ROOT WRITER COUNT</c>.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var mode = Enum.Parse<AppendMode>(args[0], ignoreCase: true);
        var root = args[1];
        var writer = args[2];
        var count = int.Parse(args[3], CultureInfo.InvariantCulture);
        var task = new TaskKey(SpecName, TaskId);
        var warmup = new TaskKey(SpecName, "warmup-" + writer);

        var registry = new FileSystemTaskRegistry(
            Options.Create(new FileSystemOptions { RootPath = root, LockTimeout = TimeSpan.FromMinutes(5) }),
            TimeProvider.System,
            NullLogger<FileSystemTaskRegistry>.Instance);
        var logPath = Path.Combine(registry.RootPath, "tasks", SpecName, TaskId + ".events.jsonl");
        Directory.CreateDirectory(Path.GetDirectoryName(logPath)!);
        var warmupPath = Path.Combine(registry.RootPath, "tasks", SpecName, warmup.TaskId + ".events.jsonl");

        // Warm-up: JIT and first-touch costs stay out of the measurement.
        for (var i = 0; i < 3; i++)
        {
            if (mode == AppendMode.Registry)
            {
                await registry.AppendEventAsync(Event(warmup, writer, i), CancellationToken.None);
            }
            else
            {
                using var raw = new RawAppender(warmupPath, mode == AppendMode.AppendFsync);
                raw.AppendLine(Line(Event(warmup, writer, i)));
            }
        }

        Console.Out.WriteLine("ready");
        Console.Out.Flush();
        _ = Console.In.ReadLine();

        var stopwatch = Stopwatch.StartNew();
        if (mode == AppendMode.Registry)
        {
            for (var seq = 0; seq < count; seq++)
            {
                await registry.AppendEventAsync(Event(task, writer, seq), CancellationToken.None);
            }
        }
        else
        {
            using var raw = new RawAppender(logPath, mode == AppendMode.AppendFsync);
            for (var seq = 0; seq < count; seq++)
            {
                // Serialized per event, as the registry does.
                raw.AppendLine(Line(Event(task, writer, seq)));
            }
        }

        Console.Out.WriteLine("done " + stopwatch.Elapsed.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture));
        Console.Out.Flush();
        return 0;
    }

    internal static TaskEvent Event(TaskKey task, string writer, int seq) => new(
        task,
        "bench.step-finished",
        DateTimeOffset.UtcNow,
        "runner-" + writer,
        "step finished: tests passed",
        new Dictionary<string, string>
        {
            ["writer"] = writer,
            ["seq"] = seq.ToString(CultureInfo.InvariantCulture),
        });

    private static byte[] Line(TaskEvent taskEvent)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(taskEvent, LineInfo);
        var bytes = new byte[json.Length + 1];
        json.CopyTo(bytes, 0);
        bytes[^1] = (byte)'\n';
        return bytes;
    }
}
