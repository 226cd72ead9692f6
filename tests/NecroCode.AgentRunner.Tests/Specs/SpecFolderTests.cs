using NecroCode.AgentRunner.Specs;

namespace NecroCode.AgentRunner.Tests.Specs;

[TestFixture]
public sealed class SpecFolderTests
{
    private const string Requirements = """
        # Requirements Document

        ## Introduction

        A calculator that grows one operation at a time.

        ## Glossary

        - **Calculator**: the calc.sh script

        ## Requirements

        ### Requirement 1: Subtraction

        **User Story:** As a user, I want to subtract, so that I can take numbers apart.

        #### Acceptance Criteria

        1. WHEN the operator is `-` THEN the Calculator SHALL print the difference
        2. IF an operand is missing THEN the Calculator SHALL exit with code 2
           and print the usage

        ### Requirement 2: Multiplication

        **User Story:** As a user, I want to multiply.

        #### Acceptance Criteria

        1. WHEN the operator is `x`, THE Calculator SHALL print the product
        """;

    private const string Design = """
        # Design Document

        ## Overview

        calc.sh reads two operands and an operator.

        ## Components

        ### Operator table

        A case statement maps each operator to its arithmetic.

        ### Usage errors

        Missing operands print the usage on stderr.

        ## Correctness Properties

        ### Property 1: Subtraction inverts addition

        For all a and b, (a + b) - b = a.

        **Validates: Requirements 1.1**
        """;

    private TempFolder _folder = null!;

    [SetUp]
    public void SetUp() => _folder = new TempFolder("necrocode-spec-");

    [TearDown]
    public void TearDown() => _folder.Dispose();

    [Test]
    public async Task ReadAsync_NestedPlan_BuildsTaskContextsWithResolvedCriteria()
    {
        var spec = await ReadAsync("""
            # Implementation Plan

            - [ ] 1. Arithmetic
              - [x] 1.1 Add the operator table
                - Replace the sum with a case statement
                - _Requirements: 1.1_
              - [ ] 1.2 Report usage errors
                - Check the operand count first
                - _Requirements: 1.2_
            - [ ] 2. Multiply
              - _Requirements: 2_
            """);

        var task = spec.Find("1.2")!;
        Assert.Multiple(() =>
        {
            Assert.That(spec.Name, Is.EqualTo("calc"));
            Assert.That(spec.Tasks.Select(t => t.Id), Is.EqualTo(new[] { "1", "1.1", "1.2", "2" }));
            Assert.That(spec.WorkItems.Select(t => t.Id), Is.EqualTo(new[] { "1.1", "1.2", "2" }));
            Assert.That(spec.Find("1")!.SubTasks, Is.EqualTo(new[] { "1.1", "1.2" }));
            Assert.That(spec.Find("1.1")!.Status, Is.EqualTo(SpecTaskStatus.Done));
            Assert.That(task.Line, Is.EqualTo(7));
            Assert.That(task.Context.Title, Is.EqualTo("Report usage errors"));
            Assert.That(task.Context.SpecName, Is.EqualTo("calc"));
            Assert.That(task.Context.Description, Does.StartWith("- Check the operand count first"));
            Assert.That(task.Context.AcceptanceCriteria, Is.EqualTo(new[] { "1.2 IF an operand is missing THEN the Calculator SHALL exit with code 2 and print the usage" }));
            Assert.That(spec.Find("2")!.Context.AcceptanceCriteria, Is.EqualTo(new[] { "2.1 WHEN the operator is `x`, THE Calculator SHALL print the product" }));
        });
    }

    [Test]
    public async Task ReadAsync_NoDependsLine_DependsOnTheTaskBefore()
    {
        var spec = await ReadAsync("""
            - [ ] 1. First
            - [ ] 2. Second
              - [ ] 2.1 Second, part one
              - [ ] 2.2 Second, part two
            - [ ] 3. Third
            """);

        Assert.Multiple(() =>
        {
            Assert.That(spec.Find("1")!.DependsOn, Is.Empty);
            Assert.That(spec.Find("2.1")!.DependsOn, Is.EqualTo(new[] { "1" }));
            Assert.That(spec.Find("2.2")!.DependsOn, Is.EqualTo(new[] { "2.1" }));
            Assert.That(spec.Find("3")!.DependsOn, Is.EqualTo(new[] { "2.2" }));
            Assert.That(spec.Find("3")!.DependsExplicitly, Is.False);
            Assert.That(spec.Find("3")!.Context.Dependencies.Single(), Is.EqualTo(new TaskDependency("2.2", "Second, part two")));
        });
    }

    [Test]
    public async Task ReadAsync_DependsLines_NameTasksOrNone_AParentStandsForItsSubTasks()
    {
        var spec = await ReadAsync("""
            - [ ] 1. Storage
              - [ ] 1.1 Schema
              - [ ] 1.2 Queries
            - [ ] 2. Web page
              - _Depends: none_
            - [ ] 3. Wire them
              - _Depends: 1, 2_
            """);

        Assert.Multiple(() =>
        {
            Assert.That(spec.Find("2")!.DependsOn, Is.Empty);
            Assert.That(spec.Find("2")!.DependsExplicitly, Is.True);
            Assert.That(spec.Find("3")!.DependsOn, Is.EqualTo(new[] { "1.1", "1.2", "2" }));
        });
    }

    [Test]
    public async Task ReadAsync_SubTasksWithoutNumberedParent_ReadAsWorkItems()
    {
        var spec = await ReadAsync("""
            # Implementation Plan

            ## Storage

            - [ ] 1.1 Schema
            - [ ]* 1.2 Property test for the schema
              - _Requirements: 1.1_

            - [ ] Web
              - [ ] 2.1 Page
            """);

        Assert.Multiple(() =>
        {
            Assert.That(spec.WorkItems.Select(t => t.Id), Is.EqualTo(new[] { "1.1", "1.2", "2.1" }));
            Assert.That(spec.Find("1.2")!.IsOptional, Is.True);
            Assert.That(spec.Find("2.1")!.ParentId, Is.Null);
            Assert.That(spec.Find("2.1")!.DependsOn, Is.EqualTo(new[] { "1.2" }));
        });
    }

    [Test]
    public async Task ReadAsync_TaskNamesADesignSectionOrItsCriteria_GetsThoseSectionsAsContext()
    {
        var spec = await ReadAsync("""
            - [ ] 1. Build the operator table
              - _Requirements: 1.1_
            """);

        var description = spec.Find("1")!.Context.Description;
        Assert.Multiple(() =>
        {
            Assert.That(description, Does.Contain("Design (from design.md):"));
            Assert.That(description, Does.Contain("A case statement maps each operator"));
            Assert.That(description, Does.Contain("Property 1: Subtraction inverts addition"));
            Assert.That(description, Does.Not.Contain("Missing operands print the usage"));
        });
    }

    [Test]
    public async Task ReadAsync_DesignContext_IsBounded()
    {
        var spec = await ReadAsync("- [ ] 1. Build the operator table\n  - _Requirements: 1.1_\n", new SpecReadOptions { MaxDesignContextLength = 60 });

        var design = spec.Find("1")!.Context.Description.Split("Design (from design.md):\n\n")[1];
        Assert.That(design, Has.Length.LessThan(200).And.Contain("design.md continues"));
    }

    [Test]
    public async Task ReadAsync_SeedPlanInJapanese_ReadsEveryTask()
    {
        var folder = Path.Combine(TestContext.CurrentContext.TestDirectory, "Specs", "Seed", "agent-runner");

        var spec = await SpecFolder.ReadAsync(folder);

        var leaf = spec.Find("2.2")!;
        Assert.Multiple(() =>
        {
            Assert.That(spec.Tasks.Count(t => t.ParentId is null), Is.EqualTo(16));
            Assert.That(spec.WorkItems.Count(), Is.EqualTo(54));
            Assert.That(spec.Find("11")!.Status, Is.EqualTo(SpecTaskStatus.InProgress));
            Assert.That(spec.WorkItems.All(t => t.Status == SpecTaskStatus.Done), Is.True);
            Assert.That(leaf.Title, Is.EqualTo("プッシュとリトライ"));
            Assert.That(leaf.Context.Description, Is.EqualTo("- push_branch()メソッド: ブランチをプッシュ（リトライ機能付き）\n- 指数バックオフによるリトライ"));
            Assert.That(leaf.Context.AcceptanceCriteria.Select(c => c.Split(' ')[0]), Is.EqualTo(new[] { "5.4", "5.5", "8.2" }));
            Assert.That(spec.Find("14.7")!.Context.AcceptanceCriteria, Has.Count.EqualTo(70), "_Requirements: すべて_ names every criterion");
        });
    }

    [Test]
    public async Task ReadAsync_CrLfAndByteOrderMark_ReadLikePlainText()
    {
        Directory.CreateDirectory(_folder.Combine("calc"));
        await File.WriteAllBytesAsync(_folder.Combine("calc", "tasks.md"), [0xEF, 0xBB, 0xBF, .. "- [ ] 1. First\r\n  - detail\r\n- [x] 2. Second\r\n"u8]);

        var spec = await SpecFolder.ReadAsync(_folder.Combine("calc"));

        Assert.Multiple(() =>
        {
            Assert.That(spec.Find("1")!.Context.Description, Is.EqualTo("- detail"));
            Assert.That(spec.Find("2")!.Line, Is.EqualTo(3));
        });
    }

    [TestCase("- [ ] 1. First\n- [ ] 1. Again\n", 2, "task 1 is numbered twice (first at line 1)")]
    [TestCase("- [ ] 1. First\n  - [ ] 2.1 Misplaced\n", 2, "task 2.1 is a sub-task of task 1; number it 1.N")]
    [TestCase("- [ ] 2. Second\n- [ ] 1. First\n", 2, "task 1 comes after task 2 (line 1)")]
    [TestCase("- [ ] First\n", 1, "has no number")]
    [TestCase("- [?] 1. First\n", 1, "'[?]' is not a task checkbox")]
    [TestCase("- [ ] 1. First\n  - _Requirements: 9.9_\n", 2, "task 1 refers to requirement 9.9, which requirements.md does not define")]
    [TestCase("- [ ] 1. First\n  - _Requirements: 3_\n", 2, "refers to requirement 3")]
    [TestCase("- [ ] 1. First\n  - _Requirements: soon_\n", 2, "'soon' in _Requirements_ is not a requirement number")]
    [TestCase("- [ ] 1. First\n  - _Depends: 7_\n", 2, "task 1 depends on task 7, which tasks.md does not have")]
    [TestCase("- [ ] 1. First\n  - _Depends: 1_\n", 2, "task 1 depends on itself")]
    [TestCase("- [ ] 1. First\n  - _Depends: 2_\n- [ ] 2. Second\n", 2, "the dependencies form a cycle: 1 → 2 → 1")]
    public async Task ReadAsync_MalformedPlan_FailsWithFileAndLine(string tasks, int line, string message)
    {
        var exception = Assert.ThrowsAsync<SpecFormatException>(() => ReadAsync(tasks));

        var tasksFile = _folder.Combine("calc", "tasks.md");
        Assert.That(exception!.Problems, Has.Some.Matches<SpecProblem>(p => p.File == tasksFile && p.Line == line && p.Message.Contains(message, StringComparison.Ordinal)), exception.Message);
        Assert.That(exception.Message, Does.Contain($"{tasksFile}:{line}: "));
    }

    [Test]
    public void ReadAsync_DesignValidatesUnknownCriterion_FailsAtTheDesignLine()
    {
        var exception = Assert.ThrowsAsync<SpecFormatException>(() => ReadAsync("- [ ] 1. First\n", design: "## Property 1: x\n\n**Validates: Requirements 4.1**\n"));

        Assert.That(exception!.Problems.Single(), Is.EqualTo(new SpecProblem(_folder.Combine("calc", "design.md"), 3, "refers to requirement 4.1, which requirements.md does not define.")));
    }

    [Test]
    public void ReadAsync_DuplicateRequirement_FailsAtItsHeading()
    {
        var exception = Assert.ThrowsAsync<SpecFormatException>(() => ReadAsync("- [ ] 1. First\n", requirements: "### Requirement 1: A\n\n1. THE x SHALL y\n\n### Requirement 1: B\n"));

        Assert.That(exception!.Problems.Single().Line, Is.EqualTo(5));
    }

    [Test]
    public void ReadAsync_ReferenceWithoutRequirementsFile_FailsNamingTheMissingFile()
    {
        var exception = Assert.ThrowsAsync<SpecFormatException>(() => ReadAsync("- [ ] 1. First\n  - _Requirements: 1.1_\n", requirements: null, design: null));

        Assert.That(exception!.Problems.Single().Message, Does.Contain("the folder has no requirements.md"));
    }

    [Test]
    public void ReadAsync_NoTasksFile_FailsNamingTheFolder()
    {
        Directory.CreateDirectory(_folder.Combine("calc"));

        var exception = Assert.ThrowsAsync<SpecFormatException>(() => SpecFolder.ReadAsync(_folder.Combine("calc")));

        Assert.That(exception!.Message, Does.Contain("has no tasks.md"));
    }

    [Test]
    public async Task ReadAsync_BugfixSpec_ReadsCriteriaFromBugfixFile()
    {
        var folder = _folder.CreateFolder("fix-overflow");
        await File.WriteAllTextAsync(Path.Combine(folder, "bugfix.md"), "# Bugfix\n\n## Requirement 1: Overflow\n\n1.1 WHEN the sum overflows THEN the Calculator SHALL report it\n");
        await File.WriteAllTextAsync(Path.Combine(folder, "tasks.md"), "- [ ] 1. Detect overflow\n  - _Requirements: 1.1_\n");

        var spec = await SpecFolder.ReadAsync(folder);

        Assert.That(spec.Find("1")!.Context.AcceptanceCriteria, Is.EqualTo(new[] { "1.1 WHEN the sum overflows THEN the Calculator SHALL report it" }));
    }

    private async Task<SpecFolder> ReadAsync(string tasks, SpecReadOptions? options = null, string? requirements = Requirements, string? design = Design)
    {
        var folder = _folder.Combine("calc");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "tasks.md"), tasks);
        if (requirements is not null)
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "requirements.md"), requirements);
        }

        if (design is not null)
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "design.md"), design);
        }

        return await SpecFolder.ReadAsync(folder, options);
    }
}
