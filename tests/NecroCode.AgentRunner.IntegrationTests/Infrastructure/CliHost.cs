using System.Reflection;

namespace NecroCode.AgentRunner.IntegrationTests.Infrastructure;

/// <summary>Runs the built <c>necrocode-runner</c> host as a real process.</summary>
internal static class CliHost
{
    /// <summary>The host in the CLI project's own build output, with its own dependencies and runtime configuration.</summary>
    public static string HostPath
    {
        get
        {
            var path = typeof(CliHost).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "CliHostPath").Value!;
            return File.Exists(path) ? path : throw new FileNotFoundException("The CLI host was not built.", path);
        }
    }

    public static Task<Shell.Output> RunAsync(string workingDirectory, IDictionary<string, string?>? environment, params string[] arguments)
    {
        var variables = new Dictionary<string, string?>(environment ?? new Dictionary<string, string?>(), StringComparer.Ordinal);
        Sandbox.AllowProbe(variables, workingDirectory);
        return Shell.RunAsync("dotnet", workingDirectory, [HostPath, .. arguments], variables, TimeSpan.FromMinutes(5));
    }
}
