using NUnit.Framework;

namespace NecroCode.AgentRunner.TestUtilities;

/// <summary>
/// The real test tools the result-parsing tests run (pytest from Debian's python3-pytest, the .NET SDK). A missing
/// tool fails the test in CI (<c>CI=true</c>; eng/test.sh installs it) and ignores it elsewhere, saying why.
/// </summary>
public static class TestTools
{
    /// <summary>The command line that runs pytest.</summary>
    /// <returns><c>pytest</c> or <c>pytest-3</c>, whichever is on the path.</returns>
    public static string Pytest() => Require("pytest", "pytest-3") ?? "";

    private static string? Require(params string[] names)
    {
        var found = names.FirstOrDefault(n => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, n))));
        if (found is null)
        {
            var message = $"None of {string.Join(", ", names)} is on the PATH; install Debian's python3-pytest (eng/test.sh does).";
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail(message);
            }

            Assert.Ignore(message);
        }

        return found;
    }
}
