namespace NecroCode.AgentRunner.IntegrationTests.Infrastructure;

/// <summary>
/// Tiny repositories of the kinds the sample playbooks are written for — a .NET back end, a Go service built
/// with make, an npm front end — each with a passing <c>test.sh</c>-style test and a <c>.gitignore</c> for
/// its build outputs; and stand-in agents that add a farewell to each.
/// </summary>
internal static class SampleProjects
{
    private const string RunTests = "for t in tests/*.sh; do [ -e \"$t\" ] || continue; sh \"$t\"; done\n";

    public static Dictionary<string, string> DotnetService() => new()
    {
        ["README.md"] = "# greeter\n",
        [".gitignore"] = "bin/\nobj/\nTestResults/\n",
        ["global.json"] = "{ \"sdk\": { \"version\": \"10.0.100\", \"rollForward\": \"latestFeature\" } }\n",
        ["app.csproj"] = "<Project Sdk=\"Microsoft.NET.Sdk\">\n  <PropertyGroup>\n    <TargetFramework>net10.0</TargetFramework>\n  </PropertyGroup>\n</Project>\n",
        ["src/Greeter.cs"] = "namespace App;\n\npublic static class Greeter\n{\n    public static string Greet(string name) => $\"Hello, {name}!\";\n}\n",
        ["test.sh"] = "#!/bin/sh\nset -e\ngrep -q 'Hello, {name}!' src/Greeter.cs\n" + RunTests + "echo all tests passed\n",
    };

    public static Dictionary<string, string> GoService() => new()
    {
        ["README.md"] = "# greeter\n",
        [".gitignore"] = "build/\n",
        ["go.mod"] = "module example.com/greeter\n\ngo 1.22\n",
        ["main.go"] = "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"Hello!\") }\n",
        ["Makefile"] = "build:\n\tmkdir -p build\n\tcat *.go > build/greeter.txt\n",
        ["test.sh"] = "#!/bin/sh\nset -e\ngrep -q 'Hello!' main.go\n" + RunTests + "echo all tests passed\n",
    };

    public static Dictionary<string, string> NpmFrontEnd() => new()
    {
        ["README.md"] = "# greeter-web\n",
        [".gitignore"] = "node_modules/\ndist/\ncoverage/\n",
        ["package.json"] = """
            {
              "name": "greeter-web",
              "version": "1.0.0",
              "private": true,
              "scripts": {
                "build": "sh scripts/build.sh",
                "lint": "sh scripts/lint.sh",
                "test": "sh scripts/test.sh"
              }
            }

            """,
        ["package-lock.json"] = """{ "name": "greeter-web", "version": "1.0.0", "lockfileVersion": 3, "requires": true, "packages": { "": { "name": "greeter-web", "version": "1.0.0" } } }""" + "\n",
        ["src/greeter.js"] = "export function greet(name) {\n  return `Hello, ${name}!`;\n}\n",
        ["scripts/build.sh"] = "set -e\nmkdir -p dist\ncat src/*.js > dist/bundle.js\necho built dist/bundle.js\n",
        ["scripts/lint.sh"] = "if grep -n 'console\\.log' src/*.js; then echo 'lint: console.log is not allowed in src' >&2; exit 1; fi\necho lint: clean\n",
        ["scripts/test.sh"] = "set -e\n" + RunTests + "case \" $* \" in *\" --coverage \"*) mkdir -p coverage && echo 'TN:' > coverage/lcov.info && echo wrote coverage/lcov.info;; esac\necho all tests passed\n",
    };

    /// <summary>Adds <c>src/Farewell.cs</c> (with trailing whitespace, which a format check reports) and its test.</summary>
    public const string DotnetAgent = """
        cat > /dev/null
        cat > src/Farewell.cs <<'CODE'
        namespace App;

        public static class Farewell
        {
            public static string Say(string name) => $"Goodbye, {name}!";
        }
        CODE
        printf '// greets on the way out \n' >> src/Farewell.cs
        mkdir -p tests
        printf '#!/bin/sh\ngrep -q "Goodbye, {name}!" src/Farewell.cs\n' > tests/farewell.sh
        echo "agent: farewell added"
        """;

    /// <summary>Adds <c>farewell.go</c> and its test.</summary>
    public const string GoAgent = """
        cat > /dev/null
        printf 'package main\n\nfunc farewell(name string) string { return "Goodbye, " + name + "!" }\n' > farewell.go
        mkdir -p tests
        printf '#!/bin/sh\ngrep -q Goodbye farewell.go\n' > tests/farewell.sh
        echo "agent: farewell added"
        """;

    /// <summary>Adds <c>src/farewell.js</c> (with a <c>console.log</c>, which the project's lint refuses) and its test.</summary>
    public const string NpmAgent = """
        cat > /dev/null
        printf 'export function farewell(name) {\n  console.log(name);\n  return `Goodbye, ${name}!`;\n}\n' > src/farewell.js
        mkdir -p tests
        printf '#!/bin/sh\ngrep -q Goodbye src/farewell.js\n' > tests/farewell.sh
        echo "agent: farewell added"
        """;
}
