using System.Reflection;

namespace NecroCode.AgentRunner.IntegrationTests.Infrastructure;

/// <summary>
/// What the sample programs are run against: a bare origin whose <c>main</c> has a <c>greet.sh</c> that does not greet
/// by name yet and a <c>test.sh</c> that asks for it, and a stand-in agent that fixes <c>greet.sh</c>.
/// </summary>
/// <param name="Origin">The bare repository's path.</param>
/// <param name="Agent">The stand-in agent script's path (reads the prompt from stdin, ignores its arguments).</param>
internal sealed record GreetingRepository(string Origin, string Agent)
{
    /// <summary>The greeting the fixed <c>greet.sh</c> prints, as the branch holds it.</summary>
    public const string FixedGreeting = "Hello, $1!";

    public static async Task<GreetingRepository> CreateAsync(TempFolder folder)
    {
        var origin = folder.Combine("origin.git");
        var seed = folder.CreateFolder("seed");
        await Shell.GitAsync(folder.Path, "init", "--quiet", "--bare", "--initial-branch=main", origin);
        await Shell.GitAsync(folder.Path, "init", "--quiet", "--initial-branch=main", seed);
        await File.WriteAllTextAsync(Path.Combine(seed, "greet.sh"), "#!/bin/sh\necho \"Hello!\"\n");
        await File.WriteAllTextAsync(Path.Combine(seed, "test.sh"), "#!/bin/sh\nset -e\n[ \"$(sh greet.sh Ada)\" = \"Hello, Ada!\" ]\n");
        await Shell.GitAsync(seed, "add", "--all");
        await Shell.GitAsync(seed, "-c", "user.name=Seed", "-c", "user.email=seed@example.com", "commit", "--quiet", "-m", "Initial greeting");
        await Shell.GitAsync(seed, "push", "--quiet", origin, "main");
        var agent = folder.WriteFile("agent.sh", "#!/bin/sh\ncat >/dev/null\nprintf '#!/bin/sh\\necho \"Hello, $1!\"\\n' > greet.sh\n");
        File.SetUnixFileMode(agent, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return new GreetingRepository(origin, agent);
    }

    /// <summary>The built dll of a sample program, recorded by the project file as <c>&lt;name&gt;Path</c>.</summary>
    public static string ProgramPath(string sample) =>
        typeof(GreetingRepository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == sample + "Path").Value!;
}
