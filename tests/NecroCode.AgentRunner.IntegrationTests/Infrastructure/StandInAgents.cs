namespace NecroCode.AgentRunner.IntegrationTests.Infrastructure;

/// <summary>Stand-in agent scripts: they read the prompt on stdin and edit the workspace as a real agent would.</summary>
internal static class StandInAgents
{
    public const string ImplementsSubtraction = """
        cat > /dev/null
        echo "agent: implementing subtraction"
        cat > calc.sh <<'SCRIPT'
        #!/bin/sh
        case "${3:-+}" in
          -) echo $(( $1 - $2 ));;
          *) echo $(( $1 + $2 ));;
        esac
        SCRIPT
        mkdir -p tests
        printf '#!/bin/sh\n[ "$(sh calc.sh 5 3 -)" = 2 ]\n' > tests/sub.sh
        echo "agent: done"
        """;

    public const string BreaksTheTests = """
        cat > /dev/null
        mkdir -p tests
        printf '#!/bin/sh\necho "expected 2, got 8"\nexit 1\n' > tests/sub.sh
        """;

    public const string ChangesNothing = "cat > /dev/null\necho 'agent: nothing to do'";

    public const string Fails = "cat > /dev/null\necho 'agent: model unavailable' >&2\nexit 7";
}
