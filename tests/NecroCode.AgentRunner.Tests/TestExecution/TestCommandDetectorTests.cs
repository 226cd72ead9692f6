using NecroCode.AgentRunner.TestExecution;
using NecroCode.AgentRunner.Tests.Processes;

namespace NecroCode.AgentRunner.Tests.TestExecution;

[TestFixture]
public sealed class TestCommandDetectorTests
{
    private TempFolder _dir = null!;

    [SetUp]
    public void SetUp() => _dir = new TempFolder();

    [TearDown]
    public void TearDown() => _dir.Dispose();

    private void Write(string name, string content = "")
    {
        var path = _dir.Combine(name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    [TestCase("App.sln", "dotnet test")]
    [TestCase("App.slnx", "dotnet test")]
    [TestCase("App.csproj", "dotnet test")]
    [TestCase("go.mod", "go test ./...")]
    [TestCase("Cargo.toml", "cargo test")]
    [TestCase("pom.xml", "mvn -q test")]
    [TestCase("build.gradle", "gradle test")]
    [TestCase("build.gradle.kts", "gradle test")]
    [TestCase("pytest.ini", "python -m pytest")]
    [TestCase("conftest.py", "python -m pytest")]
    [TestCase("tests/test_app.py", "python -m pytest")]
    public void Detect_MarkerFile_ReturnsCommand(string marker, string expected)
    {
        Write(marker);

        Assert.That(TestCommandDetector.Detect(_dir.Path), Is.EqualTo(expected));
    }

    [Test]
    public void Detect_TwoSolutions_NamesTheFirst()
    {
        Write("B.sln");
        Write("A.sln");

        Assert.That(TestCommandDetector.Detect(_dir.Path), Is.EqualTo("dotnet test 'A.sln'"));
    }

    [Test]
    public void Detect_PackageJsonWithTestScript_ReturnsNpmTest()
    {
        Write("package.json", """{ "scripts": { "test": "jest" } }""");

        Assert.That(TestCommandDetector.Detect(_dir.Path), Is.EqualTo("npm test"));
    }

    [Test]
    public void Detect_PackageJsonWithDefaultOrNoTestScript_ReturnsNull()
    {
        Write("package.json", """{ "scripts": { "test": "echo \"Error: no test specified\" && exit 1" } }""");

        Assert.That(TestCommandDetector.Detect(_dir.Path), Is.Null);
    }

    [Test]
    public void Detect_PyprojectWithPytestSection_ReturnsPytest()
    {
        Write("pyproject.toml", "[tool.pytest.ini_options]\naddopts = \"-q\"\n");

        Assert.That(TestCommandDetector.Detect(_dir.Path), Is.EqualTo("python -m pytest"));
    }

    [Test]
    public void Detect_GradleWithWrapper_UsesWrapper()
    {
        Write("build.gradle.kts");
        Write("gradlew", "#!/bin/sh\n");

        Assert.That(TestCommandDetector.Detect(_dir.Path), Is.EqualTo("./gradlew test"));
    }

    [TestCase("test:\n\tgo test\n")]
    [TestCase(".PHONY: test\nlint test: build\n\t./run\n")]
    public void Detect_MakefileWithTestTarget_ReturnsMakeTest(string makefile)
    {
        Write("Makefile", makefile);

        Assert.That(TestCommandDetector.Detect(_dir.Path), Is.EqualTo("make test"));
    }

    [Test]
    public void Detect_MakefileWithoutTestTarget_ReturnsNull()
    {
        Write("Makefile", "build:\n\tcc main.c\ntest_flags := -v\n");

        Assert.That(TestCommandDetector.Detect(_dir.Path), Is.Null);
    }

    [Test]
    public void Detect_SeveralEcosystems_FirstInOrderWins()
    {
        Write("Makefile", "test:\n\ttrue\n");
        Write("go.mod");
        Write("package.json", """{ "scripts": { "test": "vitest" } }""");

        Assert.That(TestCommandDetector.Detect(_dir.Path), Is.EqualTo("npm test"));
    }

    [Test]
    public void Detect_EmptyRepository_ReturnsNull()
    {
        Write("README.md", "# nothing to test");

        Assert.That(TestCommandDetector.Detect(_dir.Path), Is.Null);
    }
}
