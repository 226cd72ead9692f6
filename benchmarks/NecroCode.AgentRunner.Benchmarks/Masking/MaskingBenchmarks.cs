using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using NecroCode.AgentRunner.Security;

namespace NecroCode.AgentRunner.Benchmarks.Masking;

/// <summary>
/// Masking throughput on realistic log text (<c>MASKING_BENCH_MB</c> MiB, default 64) streamed in chunks,
/// with N secrets and their encoded variants plus the token-shape rules.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class MaskingBenchmarks
{
    private string _text = string.Empty;
    private SecretMasker _masker = null!;
    private IndexOfPerVariantMasker _indexOf = null!;
    private RegexAlternationMasker _regex = null!;

    /// <summary>The number of secrets masked by value.</summary>
    [ParamsSource(nameof(SecretCounts))]
    public int Secrets { get; set; }

    /// <summary>1, 10, 100 and 1,000, or the comma-separated list in <c>MASKING_BENCH_SECRETS</c>.</summary>
    public static IEnumerable<int> SecretCounts() =>
        (Environment.GetEnvironmentVariable("MASKING_BENCH_SECRETS") ?? "1,10,100,1000")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(v => int.Parse(v, System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Characters per write.</summary>
    [Params(4096, 65536)]
    public int ChunkChars { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var secrets = LogCorpus.Secrets(Secrets);
        _text = LogCorpus.Generate(LogCorpus.SizeMiB * 1024 * 1024, secrets);
        _masker = new SecretMasker();
        foreach (var secret in secrets)
        {
            _masker.AddSecret(secret);
        }

        var variants = StreamingBaseline.Variants(secrets);
        _indexOf = new IndexOfPerVariantMasker(variants);
        _regex = new RegexAlternationMasker(variants);
        _ = _masker.Apply("warm the table");
    }

    [Benchmark(Baseline = true, Description = "(a) IndexOf per variant")]
    public long IndexOfPerVariant()
    {
        long written = 0;
        for (var i = 0; i < _text.Length; i += ChunkChars)
        {
            written += _indexOf.Write(_text.AsSpan(i, Math.Min(ChunkChars, _text.Length - i)));
        }

        return written + _indexOf.Flush();
    }

    [Benchmark(Description = "(b) Regex alternation")]
    public long RegexAlternation()
    {
        long written = 0;
        for (var i = 0; i < _text.Length; i += ChunkChars)
        {
            written += _regex.Write(_text.AsSpan(i, Math.Min(ChunkChars, _text.Length - i)));
        }

        return written + _regex.Flush();
    }

    [Benchmark(Description = "SecretMasker (SearchValues)")]
    public long SearchValuesMasker()
    {
        long written = 0;
        using var chunks = new ChunkMasker(_masker);
        for (var i = 0; i < _text.Length; i += ChunkChars)
        {
            if (chunks.Write(_text.AsSpan(i, Math.Min(ChunkChars, _text.Length - i))))
            {
                written += chunks.Output.Count;
            }
        }

        return chunks.Flush() ? written + chunks.Output.Count : written;
    }

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(3).WithInvocationCount(1).WithUnrollFactor(1).WithId("Short"));
            AddColumn(new Shared.ThroughputColumn(LogCorpus.SizeMiB, "characters"));
        }
    }
}
