namespace NecroCode.AgentRunner.Cli.Demo;

/// <summary>The scripts of the demo project and its stand-in agent.</summary>
internal static class DemoScripts
{
    /// <summary>Runs every <c>tests/test_*.sh</c>; fails when one fails.</summary>
    public const string TestRunner = """
        #!/bin/sh
        failed=0
        for t in tests/test_*.sh; do
          if sh "$t"; then echo "PASS $t"; else echo "FAIL $t"; failed=1; fi
        done
        exit $failed

        """;

    /// <summary>
    /// A stand-in coding agent: reads the prompt on stdin, reports what it does, and implements the demo
    /// task the way a real agent would — by editing and adding files in the workspace.
    /// </summary>
    public const string Agent = """
        #!/bin/sh
        set -e
        lines=$(wc -l)
        echo "demo-agent: read a prompt of $lines lines"
        echo "demo-agent: updating greet.sh to greet by name"
        cat > greet.sh <<'SCRIPT'
        #!/bin/sh
        echo "Hello, ${1:-NecroCode}!"
        SCRIPT
        echo "demo-agent: adding tests/test_greet_name.sh"
        cat > tests/test_greet_name.sh <<'SCRIPT'
        #!/bin/sh
        [ "$(sh greet.sh Kiro)" = "Hello, Kiro!" ] && [ "$(sh greet.sh)" = "Hello, NecroCode!" ]
        SCRIPT
        echo "demo-agent: done"

        """;
}
