using BenchmarkDotNet.Running;

namespace NecroCode.AgentRunner.Benchmarks;

/// <summary>Runs the benchmarks chosen on the command line, e.g. <c>--filter *Masking* --job short</c>.</summary>
public static class Program
{
    /// <summary>Entry point.</summary>
    /// <param name="args">BenchmarkDotNet command-line arguments.</param>
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
