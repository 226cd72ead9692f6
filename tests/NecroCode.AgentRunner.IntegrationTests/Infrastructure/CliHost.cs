namespace NecroCode.AgentRunner.IntegrationTests.Infrastructure;

/// <summary>Runs the built <c>necrocode-runner</c> host as a real process.</summary>
internal static class CliHost
{
    public static string HostPath
    {
        get
        {
            var path = Path.Combine(TestContext.CurrentContext.TestDirectory, "necrocode-runner.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException("The CLI host was not built next to the tests.", path);
        }
    }

    public static Task<Shell.Output> RunAsync(string workingDirectory, IDictionary<string, string?>? environment, params string[] arguments) =>
        Shell.RunAsync("dotnet", workingDirectory, [HostPath, .. arguments], environment, TimeSpan.FromMinutes(5));
}
