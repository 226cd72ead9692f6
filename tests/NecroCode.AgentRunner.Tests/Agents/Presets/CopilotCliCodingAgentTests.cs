using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.Agents.CommandLine;
using NecroCode.AgentRunner.Agents.Presets;

namespace NecroCode.AgentRunner.Tests.Agents.Presets;

[TestFixture]
public sealed class CopilotCliCodingAgentTests : PresetAgentFixture<CopilotCliOptions>
{
    protected override string StandInName => "copilot";

    protected override Task<AgentRunReport> RunAgentAsync(IProcessRunner processes, ISecretMasker masker, CopilotCliOptions options, AgentRequest request, CancellationToken cancellationToken) =>
        new PresetCodingAgent<CopilotCliOptions>(processes, masker, Options.Create(options), NullLogger<PresetCodingAgent<CopilotCliOptions>>.Instance).RunAsync(request, cancellationToken);

    [Test]
    public async Task RunAsync_Defaults_AllowAllTools()
    {
        await RunAsync("noop");

        Assert.That(RecordedArguments(), Is.EqualTo(new[] { "-p", "Implement task 1: add two numbers", "--allow-all-tools" }));
    }

    [Test]
    public async Task RunAsync_NarrowedTools_PassesEachToolAsItsOwnArgument()
    {
        await RunAsync("noop", o =>
        {
            o.AllowAllTools = false;
            o.AllowedTools.Add("write");
            o.AllowedTools.Add("shell(dotnet test)");
            o.DeniedTools.Add("shell(git push)");
            o.Model = "gpt-5";
        });

        Assert.That(RecordedArguments(), Is.EqualTo(new[]
        {
            "-p", "Implement task 1: add two numbers", "--allow-tool", "write", "--allow-tool", "shell(dotnet test)",
            "--deny-tool", "shell(git push)", "--model", "gpt-5",
        }));
    }

    [Test]
    public async Task RunAsync_Success_StreamsPlainTextAndSucceedsWithoutUsage()
    {
        var (report, events) = await RunAsync("success");

        Assert.Multiple(() =>
        {
            Assert.That(report.Result.Succeeded, Is.True, report.Result.Error);
            Assert.That(report.Usage, Is.Null);
            Assert.That(File.ReadAllText(Path.Combine(Workspace, "calc.py")), Does.Contain("return a + b"));
            Assert.That(events.Lines, Is.EqualTo(new[] { "● Create calc.py", "I added add() to calc.py.", "Total usage est: 1 Premium request" }));
            Assert.That(events.Events.OfType<RunWarning>(), Is.Empty);
        });
    }
}
