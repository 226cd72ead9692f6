using Microsoft.Extensions.Logging.Abstractions;
using NecroCode.AgentRunner.TestExecution;
using NecroCode.AgentRunner.Testing;
using NecroCode.AgentRunner.Tests.Processes;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace NecroCode.AgentRunner.Tests.TestExecution.Results;

/// <summary>The collector over real test tools: pytest's JUnit XML, <c>dotnet test</c>'s TRX, a JUnit XML writer script, TAP from a shell script.</summary>
[TestFixture]
[Category("Integration")]
public sealed class TestResultCollectorTests
{
    private TempFolder _dir = null!;

    [SetUp]
    public void SetUp() => _dir = new TempFolder();

    [TearDown]
    public void TearDown() => _dir.Dispose();

    private static TestResultCollector Collector(TestRunnerOptions? options = null)
    {
        var settings = MsOptions.Create(options ?? new TestRunnerOptions());
        return new TestResultCollector(new ProcessTestRunner(ProcessRunnerTests.CreateRunner(), settings, TimeProvider.System, NullLogger<ProcessTestRunner>.Instance), settings);
    }

    private Task<TestRunResult> RunAsync(string command, TestRunnerOptions? options = null) =>
        Collector(options).RunAsync(new TestRequest(_dir.Path, [command], false, new RecordingEventSink()), CancellationToken.None);

    private void Write(string path, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(_dir.Path, path))!);
        File.WriteAllText(Path.Combine(_dir.Path, path), content);
    }

    [Test]
    public async Task RunAsync_Pytest_CasesReadFromItsJUnitXmlAndTheFileRemoved()
    {
        var pytest = TestTools.Pytest();
        Write("test_calc.py", """
            import pytest

            def test_add():
                assert 1 + 1 == 2

            def test_sub():
                assert 3 - 1 == 1, "subtraction is off"

            @pytest.mark.skip(reason="later")
            def test_mul():
                pass
            """);

        var result = await RunAsync($"PYTHONDONTWRITEBYTECODE=1 {pytest} -q -p no:cacheprovider --junitxml=junit.xml");

        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(TestOutcome.Failed));
            Assert.That(result.Cases.Select(c => (c.Id, c.Outcome)), Is.EquivalentTo(new[]
            {
                ("test_calc::test_add", TestCaseOutcome.Passed), ("test_calc::test_sub", TestCaseOutcome.Failed), ("test_calc::test_mul", TestCaseOutcome.Skipped),
            }));
            Assert.That(result.Cases.Single(c => c.Name == "test_sub").Message, Does.Contain("subtraction is off"));
            Assert.That(File.Exists(Path.Combine(_dir.Path, "junit.xml")), Is.False, "a result file the run created never reaches the commit");
        });
    }

    [Test]
    public async Task RunAsync_DotnetTestWithTrxLogger_CasesReadFromTheTrx()
    {
        Write("Calc.Tests/Calc.Tests.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><TargetFramework>net10.0</TargetFramework><IsPackable>false</IsPackable><Nullable>enable</Nullable></PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Microsoft.NET.Test.Sdk" Version="18.11.0" />
                <PackageReference Include="NUnit" Version="4.4.0" />
                <PackageReference Include="NUnit3TestAdapter" Version="5.2.0" />
              </ItemGroup>
            </Project>
            """);
        Write("Calc.Tests/CalcTests.cs", """
            using NUnit.Framework;
            namespace Calc.Tests;
            public class CalcTests
            {
                [Test] public void Adds() => Assert.That(1 + 1, Is.EqualTo(2));
                [Test] public void Subtracts() => Assert.That(3 - 1, Is.EqualTo(1));
            }
            """);

        var result = await RunAsync("cd Calc.Tests && dotnet test --nologo -v q --logger trx -p:TreatWarningsAsErrors=false");

        Assert.Multiple(() =>
        {
            Assert.That(result.Outcome, Is.EqualTo(TestOutcome.Failed), result.Commands[0].StandardOutput + result.Commands[0].StandardError);
            Assert.That(result.Cases.Select(c => (c.Id, c.Outcome)), Is.EquivalentTo(new[]
            {
                ("Calc.Tests.CalcTests::Adds", TestCaseOutcome.Passed), ("Calc.Tests.CalcTests::Subtracts", TestCaseOutcome.Failed),
            }));
            Assert.That(result.Cases.Single(c => c.Name == "Subtracts").Message, Does.Contain("Expected: 1"));
            Assert.That(Directory.EnumerateFiles(_dir.Path, "*.trx", SearchOption.AllDirectories), Is.Empty);
        });
    }

    [Test]
    public async Task RunAsync_JUnitWriterScript_CasesRead()
    {
        Write("write-junit.sh", """
            mkdir -p build/reports
            cat > build/reports/TEST-calc.xml <<'XML'
            <testsuite name="calc" tests="2"><testcase classname="calc" name="adds"/><testcase classname="calc" name="divides"><error message="division by zero"/></testcase></testsuite>
            XML
            exit 1
            """);

        var result = await RunAsync("sh write-junit.sh");

        Assert.That(result.Cases.Select(c => (c.Id, c.Outcome, c.Message)), Is.EquivalentTo(new (string, TestCaseOutcome, string?)[]
        {
            ("calc::adds", TestCaseOutcome.Passed, null), ("calc::divides", TestCaseOutcome.Failed, "division by zero"),
        }));
    }

    [Test]
    public async Task RunAsync_TapFromShellScript_CasesRead()
    {
        Write("run-tests.sh", """
            echo "TAP version 13"
            echo "1..2"
            if [ "$(( 2 + 2 ))" = 4 ]; then echo "ok 1 - adds"; else echo "not ok 1 - adds"; fi
            if [ "$(( 5 - 3 ))" = 1 ]; then echo "ok 2 - subtracts"; else echo "not ok 2 - subtracts"; fi
            """);

        var result = await RunAsync("sh run-tests.sh > results.tap");

        Assert.That(result.Cases.Select(c => (c.Id, c.Outcome)), Is.EqualTo(new[] { ("results::adds", TestCaseOutcome.Passed), ("results::subtracts", TestCaseOutcome.Failed) }));
    }

    [Test]
    public async Task RunAsync_ResultFileLeftByAnEarlierRun_NotRead()
    {
        Write("junit.xml", "<testsuite name=\"old\"><testcase name=\"stale\"/></testsuite>");

        var result = await RunAsync("true");

        Assert.Multiple(() =>
        {
            Assert.That(result.Cases, Is.Empty);
            Assert.That(File.Exists(Path.Combine(_dir.Path, "junit.xml")), Is.True, "a file the run did not write is left alone");
        });
    }

    [Test]
    public async Task RunAsync_MalformedResultFile_WarningAndNoCases()
    {
        var result = await RunAsync("printf '<testsuite><testcase name=\"x\">' > junit.xml; exit 1");

        Assert.Multiple(() =>
        {
            Assert.That(result.Cases, Is.Empty);
            Assert.That(result.Warnings.Single(), Does.StartWith("The test result file 'junit.xml' could not be read").And.Contain("judged by their exit codes"));
        });
    }

    [Test]
    public async Task RunAsync_CustomGlob_OnlyMatchingFilesRead()
    {
        var options = new TestRunnerOptions { Results = "out/*.xml" };

        var result = await RunAsync("mkdir -p out && echo '<testsuite name=\"s\"><testcase name=\"a\"/></testsuite>' | tee out/r.xml > junit.xml", options);

        Assert.That(result.Cases.Select(c => c.Source), Is.EqualTo(new[] { "out/r.xml" }));
    }
}
