using Microsoft.Extensions.Options;
using NecroCode.AgentRunner.Prompts;

namespace NecroCode.AgentRunner.Tests.Prompts;

public sealed partial class DefaultPromptBuilderTests
{
    private TempFolder _workspace = null!;

    [SetUp]
    public void CreateWorkspace() => _workspace = new TempFolder("necrocode-prompt-");

    [TearDown]
    public void DeleteWorkspace() => _workspace.Dispose();

    private void Write(string relativePath, string content)
    {
        var path = _workspace.Combine(relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    private string Build(Action<PromptOptions>? configure = null, int attempt = 1, string? failure = null)
    {
        var options = new PromptOptions();
        configure?.Invoke(options);
        return new DefaultPromptBuilder(Options.Create(options)).Build(new PromptRequest(Task, _workspace.Path, Task.TestCommands, attempt, failure));
    }

    [Test]
    public void Build_GuidanceFiles_IncludedInPatternOrderThenPathOrder()
    {
        Write("CLAUDE.md", "Claude notes.");
        Write("AGENTS.md", "Run dotnet format.");
        Write(".kiro/steering/tech.md", "Use .NET 10.");
        Write(".kiro/steering/product.md", "An auth service.");
        Write(".kiro/steering/notes.txt", "not guidance");

        var prompt = Build();

        Assert.Multiple(() =>
        {
            Assert.That(prompt, Does.Contain("## Repository guidance"));
            Assert.That(prompt, Does.Contain("### .kiro/steering/product.md\n\nAn auth service.\n\n### .kiro/steering/tech.md\n\nUse .NET 10.\n\n### AGENTS.md\n\nRun dotnet format.\n\n### CLAUDE.md\n\nClaude notes.\n"));
            Assert.That(prompt, Does.Not.Contain("not guidance"));
            Assert.That(prompt.IndexOf("## Repository guidance", StringComparison.Ordinal), Is.LessThan(prompt.IndexOf("## How the work is checked", StringComparison.Ordinal)));
        });
    }

    [Test]
    public void Build_ConfiguredGuidanceList_OnlyThoseFiles()
    {
        Write("AGENTS.md", "agents");
        Write("docs/CONTRIBUTING.md", "contributing");

        var prompt = Build(o => o.GuidanceFiles = ["docs/CONTRIBUTING.md"]);

        Assert.Multiple(() =>
        {
            Assert.That(prompt, Does.Contain("### docs/CONTRIBUTING.md\n\ncontributing"));
            Assert.That(prompt, Does.Not.Contain("agents"));
        });
    }

    [Test]
    public void Build_GuidanceOverTheLimit_CutWithANoteAndLaterFilesNamed()
    {
        Write("AGENTS.md", new string('a', 50));
        Write("CLAUDE.md", "claude");

        var prompt = Build(o => o.MaxGuidanceCharacters = 20);

        Assert.Multiple(() =>
        {
            Assert.That(prompt, Does.Contain("### AGENTS.md\n\n" + new string('a', 20) + "\n(Cut here: the guidance limit of 20 characters was reached.)"));
            Assert.That(prompt, Does.Contain("(Left out, over the guidance limit of 20 characters: CLAUDE.md.)"));
            Assert.That(prompt, Does.Not.Contain("claude\n"));
        });
    }

    [Test]
    public void Build_GuidanceSymlinkLeadingOutOfTheWorkspace_LeftOut()
    {
        var outside = Path.Combine(Path.GetTempPath(), "necrocode-outside-" + Guid.NewGuid().ToString("N") + ".md");
        File.WriteAllText(outside, "secret host notes");
        try
        {
            File.CreateSymbolicLink(_workspace.Combine("AGENTS.md"), outside);

            var prompt = Build();

            Assert.Multiple(() =>
            {
                Assert.That(prompt, Does.Not.Contain("secret host notes"));
                Assert.That(prompt, Does.Not.Contain("## Repository guidance"));
            });
        }
        finally
        {
            File.Delete(outside);
        }
    }

    [Test]
    public void Build_SameWorkspaceTwice_SameText()
    {
        Write(".kiro/steering/b.md", "b");
        Write(".kiro/steering/a.md", "a");

        var first = Build();
        var second = Build();

        Assert.That(second, Is.EqualTo(first).And.Contain("### .kiro/steering/a.md\n\na\n\n### .kiro/steering/b.md"));
    }

    [Test]
    public void Build_Template_FillsNamedPlaceholders()
    {
        Write("AGENTS.md", "Be brief.");
        const string Template = """
            Implement {{ task-id }} of {{spec}}: {{title}}
            {{acceptance-criteria}}
            Depends on:
            {{dependencies}}
            Guidance:
            {{guidance}}
            Attempt {{attempt}}. {{previous-failure}}
            {{rules}}
            """;

        var prompt = Build(o => o.Template = Template);

        Assert.That(prompt, Is.EqualTo(
            "Implement 2.1 of user-auth: Add password hashing\n1. No plain-text passwords\n2. Old users can log in\nDepends on:\n" +
            "- Task 1.1: User model (branch feature/task-user-auth-1.1, commit abc123)\n  Added the User entity.\nGuidance:\n### AGENTS.md\n\nBe brief.\n" +
            "Attempt 1. \n- Work only inside the current directory (the repository); do not touch files outside it.\n" +
            "- Do not commit, push, or create or switch branches: the runner does that.\n- Keep the change focused on this task.\n"));
    }

    [Test]
    public void Build_TemplateOnFixAttempt_FixRequestAndFailureFilled()
    {
        var prompt = Build(o => o.Template = "{{title}}\n\n{{fix-request}}\n\nraw: {{previous-failure}}", attempt: 3, failure: "boom");

        Assert.That(prompt, Is.EqualTo("Add password hashing\n\n## Attempt 3: the tests failed\nFix the implementation so that the checks pass. Their output was:\n```\nboom\n```\n\nraw: boom\n"));
    }

    [Test]
    public void Build_TemplateFile_ReadOnce()
    {
        var file = _workspace.Combine("template.md");
        File.WriteAllText(file, "Task {{task-id}}");
        var builder = new DefaultPromptBuilder(Options.Create(new PromptOptions { TemplateFile = file }));
        File.Delete(file);

        var prompt = builder.Build(new PromptRequest(Task, _workspace.Path, Task.TestCommands));

        Assert.That(prompt, Is.EqualTo("Task 2.1\n"));
    }

    [Test]
    public void Constructor_TemplateWithUnknownPlaceholder_ThrowsNamingItAndItsLine()
    {
        var options = Options.Create(new PromptOptions { Template = "Task {{task-id}}\n{{titel}}" });

        var error = Assert.Throws<FormatException>(() => _ = new DefaultPromptBuilder(options));

        Assert.That(error!.Message, Does.Contain("'{{titel}}' on line 2").And.Contain("{{title}}"));
    }
}
