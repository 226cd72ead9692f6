using System.Diagnostics;
using Docker.DotNet;

namespace NecroCode.AgentRunner.Docker.Tests;

/// <summary>
/// The real engine and the test image. In CI (<c>CI=true</c>) a missing engine fails the tests; on a
/// developer machine without one they are ignored with the reason. The image is
/// <c>NECROCODE_DOCKER_TEST_IMAGE</c> when set, else built by <c>eng/docker/build-test-image.sh</c> (cached by content hash).
/// </summary>
internal static class DockerTestEngine
{
    public const string Endpoint = "unix:///var/run/docker.sock";
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? _image;
    private static string? _problem;

    public static DockerClient CreateClient()
    {
        using var configuration = new DockerClientConfiguration(new Uri(Endpoint));
        return configuration.CreateClient();
    }

    /// <summary>Returns the test image, or fails/ignores the test when there is no engine.</summary>
    public static async Task<string> RequireImageAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_image is null && _problem is null)
            {
                _problem = await ProbeAsync();
                if (_problem is null)
                {
                    _image = Environment.GetEnvironmentVariable("NECROCODE_DOCKER_TEST_IMAGE") is { Length: > 0 } given ? given : await BuildImageAsync();
                }
            }
        }
        finally
        {
            Gate.Release();
        }

        if (_problem is not null)
        {
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail($"CI=true and no Docker engine: {_problem}");
            }

            Assert.Ignore($"No Docker engine on this machine ({_problem}); eng/test.sh starts one.");
        }

        return _image!;
    }

    private static async Task<string?> ProbeAsync()
    {
        if (!File.Exists("/var/run/docker.sock"))
        {
            return "/var/run/docker.sock does not exist";
        }

        try
        {
            using var client = CreateClient();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await client.System.PingAsync(timeout.Token);
            return null;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or TimeoutException or OperationCanceledException or DockerApiException)
        {
            return ex.Message;
        }
    }

    private static async Task<string> BuildImageAsync()
    {
        var root = TestContext.CurrentContext.TestDirectory;
        while (!File.Exists(Path.Combine(root, "NecroCode.AgentRunner.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("The repository root (NecroCode.AgentRunner.sln) was not found above the tests.");
        }

        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = root };
        start.ArgumentList.Add(Path.Combine(root, "eng", "docker", "build-test-image.sh"));
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(15));
        await process.WaitForExitAsync(timeout.Token);
        var lines = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (process.ExitCode != 0 || lines.Length == 0)
        {
            throw new InvalidOperationException($"Building the test image failed ({process.ExitCode}): {await stderr}");
        }

        return lines[^1].Trim();
    }
}
