#!/usr/bin/env bash
# End-to-end parallel runs: 32 trivial tasks through `necrocode-runner run --task <folder> --parallel N`
# for N = 1 2 4 8 (override: PARALLEL="1 2 4 8" TASKS=32 REPEAT=1). Builds the CLI in Release, sets up a
# bare origin, N slots, a stand-in agent and a passing test command in a temp folder per N, and prints a
# markdown table of wall time, runs per minute and speed-up over N = 1. Every run must succeed.
set -euo pipefail

repo="$(cd "$(dirname "$0")/../.." && pwd)"
tasks="${TASKS:-32}"
parallel="${PARALLEL:-1 2 4 8}"
repeat="${REPEAT:-1}"
out="$repo/artifacts/bench/cli"

dotnet build -c Release "$repo/src/NecroCode.AgentRunner.Cli" -o "$out" -v quiet -nologo >&2
cli="$out/necrocode-runner.dll"

scratch="$(mktemp -d -t necrocode-bench-parallel-XXXXXX)"
trap 'rm -rf "$scratch"' EXIT

git_q() { git -c init.defaultBranch=main -c user.name=Bench -c user.email=bench@example.com "$@" >/dev/null 2>&1; }

# The seed project: a shell "calc" whose test passes.
seed="$scratch/seed"
git_q init "$seed"
printf '# calc\n' > "$seed/README.md"
printf '#!/bin/sh\necho $(( $1 + $2 ))\n' > "$seed/calc.sh"
printf '#!/bin/sh\nset -e\n[ "$(sh calc.sh 2 3)" = 5 ]\necho all tests passed\n' > "$seed/test.sh"
git_q -C "$seed" add --all
git_q -C "$seed" commit -m "Initial calc"

# The stand-in agent: reads the prompt, makes a small change.
agent="$scratch/agent.sh"
printf '#!/bin/sh\ncat > /dev/null\nmkdir -p notes\necho "done at $(date +%%s%%N)" > notes/change.txt\n' > "$agent"

setup() { # setup ROOT SLOTS
  local root="$1" slots="$2"
  mkdir -p "$root/tasks" "$root/slots" "$root/work"
  git_q init --bare "$root/origin.git"
  git_q -C "$seed" push "$root/origin.git" main
  for i in $(seq 1 "$slots"); do git_q clone "$root/origin.git" "$root/slots/slot-$i"; done
  for i in $(seq -w 1 "$tasks"); do
    cat > "$root/tasks/task-$i.json" <<JSON
{ "taskId": "t$i", "specName": "bench", "title": "Trivial task $i", "description": "Write notes/change.txt.",
  "acceptanceCriteria": ["notes/change.txt exists"], "testCommands": ["sh test.sh"] }
JSON
  done
}

echo "| --parallel | wall time (s) | runs / min | speed-up |"
echo "|---:|---:|---:|---:|"
base=""
for n in $parallel; do
  best=""
  for r in $(seq 1 "$repeat"); do
    root="$scratch/p$n-r$r"
    setup "$root" "$n"
    start=$(date +%s.%N)
    set +e
    (cd "$root" && dotnet "$cli" run --task "$root/tasks" --parallel "$n" --root "$root" --quiet \
      --agent-command /bin/sh --agent-arg "$agent" --result "$root/result.json" \
      --set NecroCode:Agent:PromptMode=Stdin --set "NecroCode:Runner:WorkDirectory=$root/work" \
      --set NecroCode:FileSystem:SlotAcquireTimeout=00:05:00) > "$root/out.txt" 2>&1
    code=$?
    set -e
    end=$(date +%s.%N)
    succeeded=$(jq '[.[] | select((.outcome | ascii_downcase) == "succeeded")] | length' "$root/result.json" 2>/dev/null || echo 0)
    if [ "$code" -ne 0 ] || [ "$succeeded" -ne "$tasks" ]; then
      echo "--parallel $n: exit $code, $succeeded of $tasks succeeded" >&2
      tail -30 "$root/out.txt" >&2
      exit 1
    fi
    branches=$(git -C "$root/origin.git" for-each-ref --format=x refs/heads | wc -l)
    [ "$branches" -eq $((tasks + 1)) ] || { echo "--parallel $n: $branches branches in origin" >&2; exit 1; }
    wall=$(echo "$end - $start" | bc -l)
    echo "  --parallel $n run $r: $wall s" >&2
    if [ -z "$best" ] || [ "$(echo "$wall < $best" | bc -l)" = 1 ]; then best="$wall"; fi
    rm -rf "$root"
  done
  [ -n "$base" ] || base="$best"
  printf '| %s | %.1f | %.1f | %.2fx |\n' "$n" "$best" "$(echo "$tasks * 60 / $best" | bc -l)" "$(echo "$base / $best" | bc -l)"
done
