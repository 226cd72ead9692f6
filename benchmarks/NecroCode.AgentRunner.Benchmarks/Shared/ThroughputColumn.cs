using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace NecroCode.AgentRunner.Benchmarks.Shared;

/// <summary>Megabytes per second, from the mean time of one pass over a corpus of a known size.</summary>
/// <param name="sizeMiB">The corpus size of one pass, in MiB.</param>
/// <param name="unit">What a megabyte counts (e.g. "characters", "bytes"), for the legend.</param>
internal sealed class ThroughputColumn(double sizeMiB, string unit) : IColumn
{
    public string Id => nameof(ThroughputColumn);

    public string ColumnName => "MB/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => $"Throughput in MB (10^6 {unit}) per second";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
    {
        var statistics = summary[benchmarkCase]?.ResultStatistics;
        if (statistics is null)
        {
            return "NA";
        }

        var megabytes = sizeMiB * 1024.0 * 1024.0 / 1e6;
        return (megabytes / (statistics.Mean / 1e9)).ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
    }

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;
}
