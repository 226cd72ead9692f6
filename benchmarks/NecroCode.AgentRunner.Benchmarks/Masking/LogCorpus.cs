using System.Text;

namespace NecroCode.AgentRunner.Benchmarks.Masking;

/// <summary>Deterministic, realistic log text: request lines, build output, stack traces, JSON events and URLs.</summary>
internal static class LogCorpus
{
    /// <summary>The corpus size in MiB: the <c>MASKING_BENCH_MB</c> environment variable, default 64.</summary>
    public static int SizeMiB => int.TryParse(Environment.GetEnvironmentVariable("MASKING_BENCH_MB"), out var mb) && mb > 0 ? mb : 64;

    private static readonly string[] Words =
    [
        "restored", "compiling", "workspace", "branch", "commit", "fetch", "origin", "retry", "timeout", "artifact",
        "registry", "task-1842", "feature/task-auth-17", "processing", "request", "response", "handler", "deploy", "cache",
        "desk-top", "risk-score", "connection", "pool", "latency", "upload", "checksum", "manifest", "config",
    ];

    /// <summary>Generates about <paramref name="chars"/> characters of log text with a few occurrences of the secrets.</summary>
    /// <param name="chars">The length wanted.</param>
    /// <param name="secrets">Secret values; some appear in the text, plain and encoded.</param>
    /// <param name="seed">The random seed.</param>
    /// <returns>The text.</returns>
    public static string Generate(int chars, IReadOnlyList<string> secrets, int seed = 1234)
    {
        var random = new Random(seed);
        var builder = new StringBuilder(chars + 4096);
        var line = 0;
        while (builder.Length < chars)
        {
            line++;
            var time = new DateTime(2026, 11, 25, 8, 0, 0, DateTimeKind.Utc).AddMilliseconds(line * 37L);
            switch (random.Next(10))
            {
                case 0:
                case 1:
                case 2:
                    builder.Append(time.ToString("O")).Append(" info  [Worker-").Append(random.Next(8)).Append("] GET https://api.example.com/v1/")
                        .Append(Pick(random)).Append("?page=").Append(random.Next(100)).Append("&limit=50&sort=created_at ")
                        .Append(random.Next(2) == 0 ? "200" : "404").Append(' ').Append(random.Next(900)).Append("ms\n");
                    break;
                case 3:
                case 4:
                    builder.Append("{\"timestamp\":\"").Append(time.ToString("O")).Append("\",\"level\":\"debug\",\"taskId\":\"task-")
                        .Append(random.Next(5000)).Append("\",\"message\":\"").Append(Pick(random)).Append(' ').Append(Pick(random))
                        .Append(" finished\",\"elapsedMs\":").Append(random.Next(10_000)).Append(",\"attempt\":").Append(random.Next(3)).Append("}\n");
                    break;
                case 5:
                    builder.Append("System.InvalidOperationException: The ").Append(Pick(random)).Append(" failed.\n")
                        .Append("   at NecroCode.Sample.Pipeline.StepRunner.RunAsync(StepContext context, CancellationToken cancellationToken) in /src/Pipeline/StepRunner.cs:line ").Append(random.Next(400)).Append('\n')
                        .Append("   at NecroCode.Sample.Pipeline.Orchestrator.ExecuteAsync(TaskContext task) in /src/Pipeline/Orchestrator.cs:line ").Append(random.Next(400)).Append('\n');
                    break;
                case 6:
                case 7:
                    builder.Append("  ").Append(Pick(random)).Append(" /home/runner/work/repo/src/Project").Append(random.Next(40)).Append("/Project.csproj (in ")
                        .Append(random.Next(2000)).Append(" ms). Warning CS").Append(random.Next(9999)).Append(": ").Append(Pick(random)).Append(' ').Append(Pick(random)).Append('\n');
                    break;
                case 8:
                    builder.Append("git push origin HEAD:refs/heads/feature/task-").Append(random.Next(900)).Append(" -> ").Append(Convert.ToHexStringLower(BitConverter.GetBytes(random.NextInt64())))
                        .Append(" (sha256 ").Append(Convert.ToBase64String(BitConverter.GetBytes(random.NextInt64()))).Append(")\n");
                    break;
                default:
                    for (var w = 0; w < 12; w++)
                    {
                        builder.Append(Pick(random)).Append(' ');
                    }

                    builder.Append('\n');
                    break;
            }

            if (secrets.Count > 0 && line % 20_000 == 0)
            {
                var secret = secrets[random.Next(secrets.Count)];
                builder.Append("export TOKEN=").Append(secret).Append(" auth=Basic ")
                    .Append(Convert.ToBase64String(Encoding.UTF8.GetBytes("user:" + secret))).Append(" url=")
                    .Append(Uri.EscapeDataString(secret)).Append(" gh=ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8\n");
            }
        }

        return builder.ToString(0, Math.Min(builder.Length, chars));
    }

    /// <summary>Deterministic random secrets of 20 to 40 characters.</summary>
    /// <param name="count">How many.</param>
    /// <returns>The secrets.</returns>
    public static string[] Secrets(int count)
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/_-";
        var random = new Random(99);
        return Enumerable.Range(0, count)
            .Select(_ => new string(Enumerable.Range(0, random.Next(20, 41)).Select(_ => Alphabet[random.Next(Alphabet.Length)]).ToArray()))
            .ToArray();
    }

    private static string Pick(Random random) => Words[random.Next(Words.Length)];
}
