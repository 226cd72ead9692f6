namespace NecroCode.AgentRunner.IntegrationTests.Infrastructure;

/// <summary>
/// Stand-ins for the build tools the sample playbooks call (<c>dotnet</c>, <c>npm</c>, <c>make</c>), which a test
/// machine need not have (and whose real use would need the network). Each records its call, checks what the real
/// command needs (a project file, a restore before a build, a lock file, a Makefile target) and leaves similar
/// outputs (<c>obj/</c>, <c>bin/</c>, <c>node_modules/</c>, coverage reports). <c>npm run</c> runs the project's
/// own script from <c>package.json</c> and <c>make</c> the target's recipe from the <c>Makefile</c>.
/// While installed, their folder is first on this process's <c>PATH</c>, which the runner's commands inherit.
/// </summary>
internal sealed class StandInTools : IDisposable
{
    private const string Dotnet = """
        all="$*"
        command=$1; shift
        configuration=Debug
        while [ $# -gt 0 ]; do
          case "$1" in --configuration|-c) configuration=$2; shift;; esac
          shift
        done
        project=$(ls *.csproj 2>/dev/null | head -n 1)
        [ -n "$project" ] || { echo "MSB1003: The current working directory does not contain a project or solution file." >&2; exit 1; }
        case "$command" in
          restore)
            mkdir -p obj && echo '{ "version": 3 }' > obj/project.assets.json
            echo "  Restored $project";;
          build)
            [ -f obj/project.assets.json ] || { echo "error NETSDK1004: Assets file 'obj/project.assets.json' not found. Run a NuGet package restore." >&2; exit 1; }
            mkdir -p "bin/$configuration" && : > "bin/$configuration/app.dll"
            echo "  app -> bin/$configuration/app.dll";;
          format)
            set -- $(find . -name '*.cs' -not -path './obj/*' -not -path './bin/*')
            [ $# -eq 0 ] && exit 0
            bad=$(grep -l '[[:space:]]$' "$@")
            [ -z "$bad" ] && exit 0
            for f in $bad; do echo "$f: error WHITESPACE: Fix whitespace formatting." >&2; done
            exit 2;;
          test)
            case " $all " in
              *" --no-build "*) [ -d bin ] || { echo "error: the project is not built and --no-build was given" >&2; exit 1; };;
              *) mkdir -p bin/Debug && : > bin/Debug/app.dll;;
            esac
            sh test.sh || exit 1
            case "$all" in *"XPlat Code Coverage"*)
              mkdir -p TestResults/run && echo '<coverage line-rate="1" />' > TestResults/run/coverage.cobertura.xml
              echo "Attachments: TestResults/run/coverage.cobertura.xml";;
            esac;;
          *) echo "dotnet stand-in: '$command' is not supported" >&2; exit 1;;
        esac
        """;

    private const string Npm = """
        [ -f package.json ] || { echo "npm ERR! enoent Could not read package.json" >&2; exit 254; }
        case "$1" in
          ci)
            [ -f package-lock.json ] || { echo "npm ERR! npm ci can only install with an existing package-lock.json" >&2; exit 1; }
            rm -rf node_modules && mkdir node_modules && cp package-lock.json node_modules/.package-lock.json
            echo "added 0 packages";;
          run|test)
            if [ "$1" = test ]; then name=test; shift; else name=$2; shift 2; fi
            if_present=false; extra=
            while [ $# -gt 0 ]; do
              case "$1" in --if-present) if_present=true;; --) shift; extra="$*"; break;; esac
              shift
            done
            script=$(sed -n "s/^ *\"$name\": *\"\(.*\)\",\{0,1\} *$/\1/p" package.json | head -n 1)
            if [ -z "$script" ]; then
              $if_present && exit 0
              echo "npm ERR! Missing script: \"$name\"" >&2; exit 1
            fi
            echo "> $script $extra"
            exec sh -c "$script $extra";;
          *) echo "npm stand-in: '$1' is not supported" >&2; exit 1;;
        esac
        """;

    private const string Make = """
        [ -f Makefile ] || { echo "make: *** No targets specified and no makefile found.  Stop." >&2; exit 2; }
        target=${1:-all}
        recipe=$(sed -n "/^$target:/,/^[^	]/{/^	/s/^	//p}" Makefile)
        [ -n "$recipe" ] || { echo "make: *** No rule to make target '$target'.  Stop." >&2; exit 2; }
        echo "$recipe"
        sh -ec "$recipe"
        """;

    private readonly string? _previousPath;

    private StandInTools(string folder)
    {
        Folder = folder;
        _previousPath = Environment.GetEnvironmentVariable("PATH");
    }

    /// <summary>The folder of the stand-ins.</summary>
    public string Folder { get; }

    private string CallLog => Path.Combine(Folder, "calls.log");

    /// <summary>Every call so far, in order, as <c>tool arguments</c>.</summary>
    public IReadOnlyList<string> Calls => File.Exists(CallLog) ? File.ReadAllLines(CallLog) : [];

    /// <summary>Writes the stand-ins under <paramref name="root"/> and puts them first on this process's PATH until disposed.</summary>
    public static StandInTools Install(string root)
    {
        var tools = new StandInTools(Path.Combine(root, "tools"));
        foreach (var (name, body) in new[] { ("dotnet", Dotnet), ("npm", Npm), ("make", Make) })
        {
            var path = Path.Combine(tools.Folder, name);
            Sandbox.Write(tools.Folder, name, $"#!/bin/sh\necho \"{name} $*\" >> '{tools.CallLog}'\n{body}\n");
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        Environment.SetEnvironmentVariable("PATH", tools.Folder + Path.PathSeparator + tools._previousPath);
        return tools;
    }

    public void Dispose() => Environment.SetEnvironmentVariable("PATH", _previousPath);
}
