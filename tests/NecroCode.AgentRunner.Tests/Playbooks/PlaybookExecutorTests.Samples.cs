using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using NecroCode.AgentRunner.Playbooks;
using NecroCode.AgentRunner.Testing;

namespace NecroCode.AgentRunner.Tests.Playbooks;

/// <summary>
/// The sample playbooks, run against a real git repository with real shell processes. The build tools
/// (dotnet, npm, make) are stub scripts on PATH that record how they were called; git is the real one.
/// </summary>
public sealed partial class PlaybookExecutorTests
{
    [TestCase("backend-task.yaml")]
    [TestCase("frontend-task.yaml")]
    [TestCase("test-task.yaml")]
    public async Task LoadAsync_Sample_LoadsAndValidates(string name)
    {
        var playbook = await PlaybookLoader.LoadAsync(SamplePath(name), CancellationToken.None);

        Assert.That(playbook.Name, Is.EqualTo(Path.GetFileNameWithoutExtension(name)));
    }

    [Test]
    [Category("Integration")]
    public async Task RunAsync_BackendSampleOnCSharp_RestoresBuildsAndChecksFormat()
    {
        using var sample = await SampleRun.CreateAsync("backend-task.yaml", ["app.csproj"]);

        var (ran, tools) = await sample.RunAsync(new Dictionary<string, string> { ["language"] = "csharp" });

        Assert.Multiple(() =>
        {
            Assert.That(ran, Is.EqualTo(new[] { "register", "acquire-slot", "prepare-workspace", "restore", "implement", "build", "format", "test", "commit", "push", "upload-artifacts", "report", "release-slot" }));
            Assert.That(tools, Is.EqualTo(new[] { "dotnet restore", "dotnet build --no-restore --configuration Release", "dotnet format --verify-no-changes" }));
        });
    }

    [Test]
    [Category("Integration")]
    public async Task RunAsync_BackendSampleDryRunWithMakefile_BuildsWithMakeAndDoesNotPush()
    {
        using var sample = await SampleRun.CreateAsync("backend-task.yaml", ["Makefile"]);

        var (ran, tools) = await sample.RunAsync(new Dictionary<string, string> { ["language"] = "go", ["dry-run"] = "true" });

        Assert.Multiple(() =>
        {
            Assert.That(ran, Is.EqualTo(new[] { "register", "acquire-slot", "prepare-workspace", "implement", "build-make", "test", "commit", "upload-artifacts", "report", "release-slot" }));
            Assert.That(tools, Is.EqualTo(new[] { "make build" }));
        });
    }

    [Test]
    [Category("Integration")]
    public async Task RunAsync_FrontendSampleWithPackageJson_InstallsBuildsAndLints()
    {
        using var sample = await SampleRun.CreateAsync("frontend-task.yaml", ["package.json"]);

        var (ran, tools) = await sample.RunAsync(new Dictionary<string, string>());

        Assert.Multiple(() =>
        {
            Assert.That(ran, Is.EqualTo(new[] { "register", "acquire-slot", "prepare-workspace", "implement", "install", "build", "lint", "test", "commit", "push", "upload-artifacts", "report", "release-slot" }));
            Assert.That(tools, Is.EqualTo(new[] { "npm ci --no-audit --no-fund", "npm run build --if-present", "npm run lint --if-present" }));
        });
    }

    [Test]
    [Category("Integration")]
    public async Task RunAsync_FrontendSampleWithoutPackageJson_IsTheDefaultPipeline()
    {
        using var sample = await SampleRun.CreateAsync("frontend-task.yaml", ["README.md"]);

        var (ran, tools) = await sample.RunAsync(new Dictionary<string, string>());

        Assert.Multiple(() =>
        {
            Assert.That(ran, Is.EqualTo(PlaybookBuiltInSteps.All));
            Assert.That(tools, Is.Empty);
        });
    }

    [Test]
    [Category("Integration")]
    public async Task RunAsync_TestSampleWritingTests_MeasuresCoverageAndPushes()
    {
        using var sample = await SampleRun.CreateAsync("test-task.yaml", ["app.csproj"]);

        var (ran, tools) = await sample.RunAsync(new Dictionary<string, string> { ["language"] = "csharp" });

        Assert.Multiple(() =>
        {
            Assert.That(ran, Is.EqualTo(new[] { "register", "acquire-slot", "prepare-workspace", "implement", "test", "coverage", "commit", "push", "upload-artifacts", "report", "release-slot" }));
            Assert.That(tools, Is.EqualTo(new[] { "dotnet test --no-build --collect:XPlat Code Coverage" }));
        });
    }

    [Test]
    [Category("Integration")]
    public async Task RunAsync_TestSampleVerifyOnlyWithFailingTests_SkipsTheAgentAndLeavesNotes()
    {
        using var sample = await SampleRun.CreateAsync("test-task.yaml", ["package.json"]);

        var (ran, tools) = await sample.RunAsync(new Dictionary<string, string> { ["kind"] = "verify-only" }, failing: "test");

        Assert.Multiple(() =>
        {
            Assert.That(ran, Is.EqualTo(new[] { "register", "acquire-slot", "prepare-workspace", "test", "failure-notes", "upload-artifacts", "report", "release-slot" }));
            Assert.That(tools, Is.Empty);
            Assert.That(sample.Events.Lines, Has.Some.EndsWith("initial commit"), "git log of the real repository is in the output");
        });
    }

    private static string SamplePath(string name) => Path.Combine(SourceTree.Root, "samples", "playbooks", name);

    private sealed class SampleRun : IDisposable
    {
        private readonly TempFolder _files = new();
        private Playbook _playbook = null!;

        public RecordingEventSink Events { get; } = new();

        private string Workspace => Path.Combine(_files.Path, "ws");

        private string ToolLog => Path.Combine(_files.Path, "tools.log");

        public static async Task<SampleRun> CreateAsync(string sample, string[] repositoryFiles)
        {
            var run = new SampleRun();
            run._playbook = await PlaybookLoader.LoadAsync(SamplePath(sample), CancellationToken.None);
            var bin = run._files.CreateFolder("bin");
            foreach (var tool in new[] { "dotnet", "npm", "make" })
            {
                var path = run._files.WriteFile("bin/" + tool, "#!/bin/sh\necho \"$(basename \"$0\") $*\" >> \"$TOOL_LOG\"\n");
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                }
            }

            run._files.CreateFolder("ws");
            foreach (var file in repositoryFiles)
            {
                run._files.WriteFile("ws/" + file, "content\n");
            }

            await run.GitAsync("init", "-q", "-b", "main");
            await run.GitAsync("add", "-A");
            await run.GitAsync("-c", "user.name=Test", "-c", "user.email=test@example.invalid", "commit", "-q", "-m", "initial commit");
            return run;
        }

        public async Task<(List<string> Ran, List<string> Tools)> RunAsync(IReadOnlyDictionary<string, string> metadata, params string[] failing)
        {
            var runner = new CommandStepRunner(new ShellProcessRunner(), TimeProvider.System, NullLogger<CommandStepRunner>.Instance);
            var request = new CommandStepRequest
            {
                WorkspacePath = Workspace,
                Events = Events,
                Environment = new Dictionary<string, string?>
                {
                    ["PATH"] = Path.Combine(_files.Path, "bin") + ":/usr/local/bin:/usr/bin:/bin",
                    ["TOOL_LOG"] = ToolLog,
                    ["HOME"] = _files.Path,
                },
            };
            var context = new ConditionContext(new TaskContext { TaskId = "1", SpecName = "s", Title = "t", Metadata = metadata }, _playbook.Variables);
            var ran = new List<string>();
            await PlaybookExecutor.RunAsync(
                _playbook,
                context,
                async (step, token) =>
                {
                    ran.Add(step.Name);
                    if (step.Uses == PlaybookBuiltInSteps.PrepareWorkspace)
                    {
                        context.WorkspacePath = Workspace;
                    }

                    if (step.Run is null)
                    {
                        return failing.Contains(step.Name) ? StepOutcome.Failed : StepOutcome.Succeeded;
                    }

                    var result = await runner.RunAsync(step, request, token);
                    return result.Outcome;
                },
                null,
                CancellationToken.None);
            var tools = File.Exists(ToolLog) ? File.ReadAllLines(ToolLog).ToList() : [];
            return (ran, tools);
        }

        public void Dispose() => _files.Dispose();

        private async Task GitAsync(params string[] arguments)
        {
            var info = new ProcessStartInfo("git") { WorkingDirectory = Workspace, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in arguments)
            {
                info.ArgumentList.Add(argument);
            }

            info.Environment["HOME"] = _files.Path;
            using var process = Process.Start(info)!;
            var error = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"git {string.Join(' ', arguments)} failed: {error}");
            }
        }
    }
}
