using BenchmarkDotNet.Running;

namespace NecroCode.AgentRunner.Benchmarks;

/// <summary>
/// Runs the benchmarks chosen on the command line, e.g. <c>--filter *Masking* --job short</c>; or the
/// multi-process registry throughput driver: <c>registry [--events K] [--processes 1,4,16] [--repeat R]</c>.
/// </summary>
public static class Program
{
    /// <summary>Entry point.</summary>
    /// <param name="args">BenchmarkDotNet command-line arguments, or <c>registry ...</c> (<c>registry-writer</c> is its child).</param>
    /// <returns>The exit code.</returns>
    public static async Task<int> Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        switch (args.FirstOrDefault())
        {
            case "registry":
                return await Registry.RegistryThroughput.RunAsync(args[1..]).ConfigureAwait(false);
            case "registry-writer":
                return await Registry.AppendWriter.RunAsync(args[1..]).ConfigureAwait(false);
            default:
                BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
                return 0;
        }
    }
}
