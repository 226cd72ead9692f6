using NecroCode.AgentRunner.TestExecution;
using NecroCode.AgentRunner.Tests.Processes;

namespace NecroCode.AgentRunner.Tests.TestExecution.Results;

[TestFixture]
public sealed class TestResultFileTests
{
    private TempFolder _dir = null!;

    [SetUp]
    public void SetUp() => _dir = new TempFolder();

    [TearDown]
    public void TearDown() => _dir.Dispose();

    private (IReadOnlyList<TestCaseResult> Cases, string? Error) Read(string name, string content, int limit = 1024 * 1024)
    {
        var path = Path.Combine(_dir.Path, name);
        File.WriteAllText(path, content);
        return TestResultFile.Read(new FileInfo(path), name, limit);
    }

    [Test]
    public void Read_PytestJUnit_ReadsEveryOutcome()
    {
        var (cases, error) = Read("junit.xml", """
            <?xml version="1.0" encoding="utf-8"?>
            <testsuites><testsuite name="pytest" errors="1" failures="1" skipped="1" tests="4" time="0.05">
              <testcase classname="test_math" name="test_add" time="0.001" />
              <testcase classname="test_math" name="test_sub" time="0.002"><failure message="assert 1 == 2">def test_sub():
            &gt;   assert 1 == 2</failure></testcase>
              <testcase classname="test_math" name="test_div" time="0.001"><error message="fixture 'db' not found">E  fixture 'db' not found</error></testcase>
              <testcase classname="test_math" name="test_mul" time="0.000"><skipped type="pytest.skip" message="later">skip</skipped></testcase>
            </testsuite></testsuites>
            """);

        Assert.Multiple(() =>
        {
            Assert.That(error, Is.Null);
            Assert.That(cases.Select(c => (c.Id, c.Outcome)), Is.EqualTo(new[]
            {
                ("test_math::test_add", TestCaseOutcome.Passed), ("test_math::test_sub", TestCaseOutcome.Failed),
                ("test_math::test_div", TestCaseOutcome.Failed), ("test_math::test_mul", TestCaseOutcome.Skipped),
            }));
            Assert.That(cases[1].Message, Is.EqualTo("assert 1 == 2"));
            Assert.That(cases[1].Details, Does.Contain(">   assert 1 == 2"));
            Assert.That(cases[1].Duration, Is.EqualTo(TimeSpan.FromMilliseconds(2)));
            Assert.That(cases[1].Source, Is.EqualTo("junit.xml"));
        });
    }

    [Test]
    public void Read_SurefireSingleSuiteWithFlakyRerun_FlakyFailurePassed()
    {
        var (cases, _) = Read("TEST-com.example.AppTest.xml", """
            <testsuite name="com.example.AppTest" tests="2" failures="0">
              <testcase name="works" classname="com.example.AppTest" time="0.01"><flakyFailure message="boom" type="java.lang.AssertionError"/></testcase>
              <testcase name="breaks" classname="com.example.AppTest" time="0.01"><failure message="expected 1" type="java.lang.AssertionError"/><rerunFailure message="expected 1"/></testcase>
            </testsuite>
            """);

        Assert.That(cases.Select(c => (c.Id, c.Outcome)), Is.EqualTo(new[] { ("com.example.AppTest::works", TestCaseOutcome.Passed), ("com.example.AppTest::breaks", TestCaseOutcome.Failed) }));
    }

    [Test]
    public void Read_JestNestedSuitesWithoutClassname_SuiteFromEnclosingTestsuite()
    {
        var (cases, _) = Read("junit.xml", """
            <testsuites name="jest tests"><testsuite name="math.test.js" tests="1"><testcase name="adds" time="0.002"><failure>Error: expect(received).toBe(expected)</failure></testcase></testsuite></testsuites>
            """);

        Assert.Multiple(() =>
        {
            Assert.That(cases.Single().Id, Is.EqualTo("math.test.js::adds"));
            Assert.That(cases.Single().Outcome, Is.EqualTo(TestCaseOutcome.Failed));
            Assert.That(cases.Single().Message, Is.Null);
            Assert.That(cases.Single().Details, Does.Contain("toBe"));
        });
    }

    [Test]
    public void Read_GoJUnitReport_ReadsPackageAsSuite()
    {
        var (cases, _) = Read("report.junit.xml", """
            <testsuites tests="2" failures="1"><testsuite tests="2" failures="1" time="0.003" name="example.com/calc" timestamp="2024-01-01T00:00:00Z">
              <properties><property name="go.version" value="go1.22"></property></properties>
              <testcase classname="calc" name="TestAdd" time="0.000"></testcase>
              <testcase classname="calc" name="TestSub" time="0.000"><failure message="Failed" type="">calc_test.go:12: got 3</failure></testcase>
            </testsuite></testsuites>
            """);

        Assert.That(cases.Select(c => (c.Id, c.Outcome)), Is.EqualTo(new[] { ("calc::TestAdd", TestCaseOutcome.Passed), ("calc::TestSub", TestCaseOutcome.Failed) }));
    }

    [Test]
    public void Read_Trx_ReadsClassAndOutcome()
    {
        var (cases, error) = Read("run.trx", """
            <?xml version="1.0" encoding="utf-8"?>
            <TestRun id="1" name="run" xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">
              <Results>
                <UnitTestResult testId="a" testName="Calc.Tests.CalcTests.Adds" outcome="Passed" duration="00:00:00.0100000" />
                <UnitTestResult testId="b" testName="Calc.Tests.CalcTests.Subtracts" outcome="Failed" duration="00:00:00.0200000">
                  <Output><ErrorInfo><Message>Expected: 1 But was: 2</Message><StackTrace>at Calc.Tests.CalcTests.Subtracts() in CalcTests.cs:line 12</StackTrace></ErrorInfo></Output>
                </UnitTestResult>
                <UnitTestResult testId="c" testName="Later" outcome="NotExecuted" />
              </Results>
              <TestDefinitions>
                <UnitTest id="a" name="Adds"><TestMethod className="Calc.Tests.CalcTests" name="Adds" /></UnitTest>
                <UnitTest id="b" name="Subtracts"><TestMethod className="Calc.Tests.CalcTests, Calc.Tests" name="Subtracts" /></UnitTest>
                <UnitTest id="c" name="Later"><TestMethod className="Calc.Tests.CalcTests" name="Later" /></UnitTest>
              </TestDefinitions>
            </TestRun>
            """);

        Assert.Multiple(() =>
        {
            Assert.That(error, Is.Null);
            Assert.That(cases.Select(c => (c.Id, c.Outcome)), Is.EqualTo(new[]
            {
                ("Calc.Tests.CalcTests::Adds", TestCaseOutcome.Passed), ("Calc.Tests.CalcTests::Subtracts", TestCaseOutcome.Failed),
                ("Calc.Tests.CalcTests::Later", TestCaseOutcome.Skipped),
            }));
            Assert.That(cases[1].Message, Is.EqualTo("Expected: 1 But was: 2"));
            Assert.That(cases[1].Details, Does.Contain("line 12"));
            Assert.That(cases[1].Duration, Is.EqualTo(TimeSpan.FromMilliseconds(20)));
        });
    }

    [Test]
    public void Read_Tap13_ReadsDirectivesAndYaml()
    {
        var (cases, error) = Read("suite.tap", """
            TAP version 13
            1..5
            ok 1 - adds
            not ok 2 - subtracts
              ---
              message: 'expected 1, got 2'
              ...
            ok 3 - multiplies # SKIP no hardware
            not ok 4 - divides # TODO not written yet
            not ok 5
            """);

        Assert.Multiple(() =>
        {
            Assert.That(error, Is.Null);
            Assert.That(cases.Select(c => (c.Id, c.Outcome)), Is.EqualTo(new[]
            {
                ("suite::adds", TestCaseOutcome.Passed), ("suite::subtracts", TestCaseOutcome.Failed), ("suite::multiplies", TestCaseOutcome.Skipped),
                ("suite::divides", TestCaseOutcome.Skipped), ("suite::test 5", TestCaseOutcome.Failed),
            }));
            Assert.That(cases[1].Details, Does.Contain("expected 1, got 2"));
        });
    }

    [Test]
    public void Read_PlainTapWithBailOut_BailOutFails()
    {
        var (cases, _) = Read("plain.tap", "1..2\nok 1 first\nBail out! database gone\n");

        Assert.That(cases.Select(c => (c.Name, c.Outcome)), Is.EqualTo(new[] { ("first", TestCaseOutcome.Passed), ("bail out", TestCaseOutcome.Failed) }));
    }

    [Test]
    public void Read_MalformedXml_ErrorNamesTheFile()
    {
        var (cases, error) = Read("junit.xml", "<testsuites><testsuite><testcase name=\"x\">");

        Assert.Multiple(() =>
        {
            Assert.That(cases, Is.Empty);
            Assert.That(error, Does.StartWith("The test result file 'junit.xml' could not be read"));
        });
    }

    [Test]
    public void Read_DocumentTypeDeclaration_RefusedWithoutResolvingEntities()
    {
        var secret = Path.Combine(_dir.Path, "secret.txt");
        File.WriteAllText(secret, "top-secret");

        var (cases, error) = Read("junit.xml", $"""
            <?xml version="1.0"?>
            <!DOCTYPE testsuites [ <!ENTITY leak SYSTEM "file://{secret}"> ]>
            <testsuites><testsuite name="s"><testcase name="&leak;" /></testsuite></testsuites>
            """);

        Assert.Multiple(() =>
        {
            Assert.That(cases, Is.Empty);
            Assert.That(error, Does.Contain("could not be read").And.Not.Contain("top-secret"));
        });
    }

    [Test]
    public void Read_FileOverLimit_IgnoredWithWarning()
    {
        var (cases, error) = Read("junit.xml", "<testsuite name=\"s\">" + new string(' ', 4096) + "<testcase name=\"x\"/></testsuite>", limit: 1024);

        Assert.Multiple(() =>
        {
            Assert.That(cases, Is.Empty);
            Assert.That(error, Does.Contain("over the limit of 1024").And.Contain("NecroCode:Tests:ResultFileLimit"));
        });
    }

    [Test]
    public void Read_OtherXml_ErrorNamesTheRoot()
    {
        var (_, error) = Read("junit.xml", "<project><name>x</name></project>");

        Assert.That(error, Does.Contain("its root is 'project'"));
    }

    [Test]
    public void Read_NotTap_ErrorSaysWhatWasExpected()
    {
        var (cases, error) = Read("out.tap", "hello world\n");

        Assert.Multiple(() =>
        {
            Assert.That(cases, Is.Empty);
            Assert.That(error, Does.Contain("neither JUnit XML, TRX nor TAP"));
        });
    }

    [Test]
    public void Cut_LongDetails_CutToLimit()
    {
        var cut = TestResultFile.Cut(new string('x', TestResultFile.DetailsLimit * 2));

        Assert.That(cut, Has.Length.EqualTo(TestResultFile.DetailsLimit + " […]".Length));
    }
}
