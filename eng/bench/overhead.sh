#!/usr/bin/env bash
# What the runner costs over the work it runs, measured from outside through the built `necrocode-runner`.
# Publishes the CLI (Release, ReadyToRun), then, interleaving runner and plain runs (runner, plain, runner, plain …), prints one
# markdown table with the median of each:
#   1. a trivial task (200-file repo, the agent writes one file, `sh test.sh`) against the same git steps as a script;
#   2. a test command printing 256 MiB in 100-byte lines, against the same command into /dev/null;
#   3. the size of the run log stored for that run, against the size of the output;
#   4. Docker mode over local on the same trivial task (skipped, with the reason, when no Docker daemon answers);
#   5. the prepare step on a 5,000-file repo (its duration in the run log) against the same git steps as a script.
# Knobs: RUNS (trivial and prepare rows, default 5), OUTPUT_RUNS (256 MiB row, default 3), OUTPUT_MB (default 256),
# ROWS (a subset of "trivial output docker prepare"; the output row's "over the trivial task" needs the trivial row),
# CLI_DIR (use an already built CLI there instead of building), DOCKER=0 (skip the Docker row), DOCKER_IMAGE (the
# runner image for Docker mode; built with eng/docker/build-test-image.sh when unset).
# Every runner run must succeed; the first run of each kind is a warm-up and not counted.
set -euo pipefail

repo="$(cd "$(dirname "$0")/../.." && pwd)"
runs="${RUNS:-5}"
rows="${ROWS:-trivial output docker prepare}"
row() { [[ " $rows " == *" $1 "* ]]; }
output_runs="${OUTPUT_RUNS:-3}"
output_mb="${OUTPUT_MB:-256}"

if [ -n "${CLI_DIR:-}" ]; then
  # Absolute: the runs change directory.
  out="$(cd "$CLI_DIR" && pwd)"
else
  # Published as the container image has it: for this machine's runtime, ReadyToRun (the project's default for a
  # publish with a runtime identifier), framework-dependent.
  out="$repo/artifacts/bench/overhead-cli"
  dotnet publish -c Release -r "${RID:-linux-x64}" --self-contained false "$repo/src/NecroCode.AgentRunner.Cli" -o "$out" -v quiet -nologo >&2
fi
cli="$out/necrocode-runner.dll"

trivial_wall=0
scratch="$(mktemp -d -t necrocode-bench-overhead-XXXXXX)"
[ -n "${KEEP:-}" ] || trap 'rm -rf "$scratch"' EXIT

git_q() { git -c init.defaultBranch=main -c user.name=Bench -c user.email=bench@example.com "$@" >/dev/null 2>&1; }
median() { sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) { print "nan" } else if (NR % 2) { print a[(NR + 1) / 2] } else { print (a[NR / 2] + a[NR / 2 + 1]) / 2 } }'; }
ratio() { echo "$1 $2" | awk '{ printf "%.2f", ($2 > 0 ? $1 / $2 : 0) }'; }

# A seed project of FILES files plus a passing test; its origin; one slot cloned from it.
seed() { # seed DIR FILES
  local dir="$1" files="$2"
  git_q init "$dir"
  mkdir -p "$dir/src"
  for i in $(seq 1 "$files"); do printf 'line %s\n' "$i" > "$dir/src/file-$i.txt"; done
  printf '#!/bin/sh\necho $(( $1 + $2 ))\n' > "$dir/calc.sh"
  printf '#!/bin/sh\nset -e\n[ "$(sh calc.sh 2 3)" = 5 ]\necho all tests passed\n' > "$dir/test.sh"
  git_q -C "$dir" add --all
  git_q -C "$dir" commit -m "Seed"
}

# The stand-in agent: reads the prompt, writes one file.
agent="$scratch/agent.sh"
printf '#!/bin/sh\ncat > /dev/null\nmkdir -p notes\necho "done at $(date +%%s%%N)" > notes/change.txt\n' > "$agent"

# The test command of the output row: OUTPUT_MB MiB in 100-byte lines (99 characters and a line break).
lines=$((output_mb * 1024 * 1024 / 100))
printf '#!/bin/sh\nyes "build: compiled src/Module/Component.cs (0 warnings) in 12 ms; cache hit ratio 0.97 [worker 3/8]...." | head -n %s\n' "$lines" > "$scratch/print.sh"

setup() { # setup ROOT FILES TEST_COMMAND
  local root="$1" files="$2"
  mkdir -p "$root/work" "$root/slots"
  seed "$root/seed" "$files"
  git_q init --bare "$root/origin.git"
  git_q -C "$root/seed" push "$root/origin.git" main
  git_q clone "$root/origin.git" "$root/slots/slot-1"
  git_q clone "$root/origin.git" "$root/plain"
  printf '%s' "$3" > "$root/test-command"
}

task_file() { # task_file ROOT ID
  local command
  command="$(cat "$1/test-command")"
  cat > "$1/task-$2.json" <<JSON
{ "taskId": "$2", "specName": "bench", "title": "Bench task $2", "description": "Write notes/change.txt.",
  "acceptanceCriteria": ["notes/change.txt exists"], "testCommands": ["$command"] }
JSON
  echo "$1/task-$2.json"
}

# Runs one task through the runner; appends "wall user sys" to ROOT/runner.times. Extra arguments go to the CLI.
run_runner() { # run_runner ROOT ID [ARGS…]
  local root="$1" id="$2"
  shift 2
  local task
  task="$(task_file "$root" "$id")"
  if ! (cd "$root" && /usr/bin/time -f "%e %U %S" -o "$root/last.time" dotnet "$cli" run --task "$task" --root "$root" --quiet \
      --agent-command /bin/sh --agent-arg "$agent" --result "$root/result-$id.json" \
      --set NecroCode:Agent:PromptMode=Stdin --set "NecroCode:Runner:WorkDirectory=$root/work" "$@") > "$root/out-$id.txt" 2>&1; then
    echo "runner run $id in $root failed:" >&2
    tail -30 "$root/out-$id.txt" >&2
    exit 1
  fi
  cat "$root/last.time" >> "$root/runner.times"
}

# The same git steps as the runner, as a script, in the plain clone; appends "wall user sys" to ROOT/plain.times.
# With "prepare", only the prepare steps (used slot): what the runner's prepare step does without its checks.
run_plain() { # run_plain ROOT ID [prepare]
  local root="$1" id="$2" rest=""
  [ "${3:-}" = prepare ] || rest="echo 'Write notes/change.txt.' | sh '$agent'
$(cat "$root/test-command") > /dev/null
git add --all
git -c user.name=Bench -c user.email=bench@example.com commit -q -m 'Task $id'
git push -q origin 'task/$id'"
  cat > "$root/plain.sh" <<SH
set -e
cd "$root/plain"
git fetch -q origin +main:refs/remotes/origin/main
git checkout -q -f -B "task/$id" origin/main
git branch -q -f main origin/main 2>/dev/null || true
git clean -q -ffdx
$rest
SH
  /usr/bin/time -f "%e %U %S" -o "$root/last.time" sh "$root/plain.sh" > /dev/null 2>&1
  cat "$root/last.time" >> "$root/plain.times"
}

col() { awk -v c="$1" '{ print $c }' "$2"; }
run_log() { find "$1" -name run-log.jsonl -newer "$1/task-$2.json" 2>/dev/null | head -1; }

# Seconds the prepare step took in the newest run log of ROOT (from its step.finished event).
prepare_seconds() { # prepare_seconds ROOT ID
  local log
  log="$(run_log "$1" "$2")"
  jq -r 'select(.type == "step.finished" and .step == "prepare-workspace") | .duration' "$log" \
    | awk -F: '{ printf "%.3f\n", $1 * 3600 + $2 * 60 + $3 }' | head -1
}

echo "Building done; host: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)" >&2

# 1. Trivial task.
if row trivial; then
  t="$scratch/trivial"
  setup "$t" 200 "sh test.sh"
  run_runner "$t" warm; : > "$t/runner.times"
  run_plain "$t" warm; : > "$t/plain.times"
  for i in $(seq 1 "$runs"); do run_runner "$t" "r$i"; run_plain "$t" "p$i"; done
  trivial_wall="$(col 1 "$t/runner.times" | median)"
  trivial_user="$(col 2 "$t/runner.times" | median)"
  trivial_sys="$(col 3 "$t/runner.times" | median)"
  plain_wall="$(col 1 "$t/plain.times" | median)"
  plain_user="$(col 2 "$t/plain.times" | median)"
  echo "trivial: runner $(tr '\n' ' ' < "$t/runner.times"); plain $(tr '\n' ' ' < "$t/plain.times")" >&2
fi

# 2 and 3. Output.
if row output; then
  o="$scratch/output"
  setup "$o" 200 "sh $scratch/print.sh"
  # One warm-up run, not counted (as for the trivial task): it takes the baseline test run of the base commit, which
  # the runs after it reuse.
  run_runner "$o" warm; : > "$o/runner.times"
  for i in $(seq 1 "$output_runs"); do
    run_runner "$o" "r$i"
    log="$(run_log "$o" "r$i")"
    stat -c %s "$log" >> "$o/log.sizes"
    run_plain "$o" "p$i"
  done
  /usr/bin/time -f "%e %U %S" -o "$o/bare.time" sh "$scratch/print.sh" > /dev/null
  for i in $(seq 2 "$output_runs"); do /usr/bin/time -f "%e %U %S" -a -o "$o/bare.time" sh "$scratch/print.sh" > /dev/null; done
  output_wall="$(col 1 "$o/runner.times" | median)"
  output_sys="$(col 3 "$o/runner.times" | median)"
  output_plain="$(col 1 "$o/bare.time" | median)"
  output_only="$(echo "$output_wall $trivial_wall" | awk '{ printf "%.2f", $1 - $2 }')"
  bytes=$((lines * 100))
  mbps="$(echo "$bytes $output_only" | awk '{ printf "%.0f", ($2 > 0 ? $1 / $2 / 1e6 : 0) }')"
  log_size="$(median < "$o/log.sizes")"
  echo "output: runner $(tr '\n' ' ' < "$o/runner.times"); bare $(tr '\n' ' ' < "$o/bare.time"); logs $(tr '\n' ' ' < "$o/log.sizes")" >&2
fi

# 4. Docker mode: samples/DockerRunner --measure times the demo task in Docker mode, in local mode and a bare
# `docker run --rm IMAGE true`, interleaved, and prints the medians.
docker_row=""
if ! row docker || [ "${DOCKER:-1}" = 0 ]; then
  docker_row="| Docker mode over local, demo task | skipped: DOCKER=0 or not in ROWS | | | ≤ 1.5× |"
elif ! command -v docker > /dev/null 2>&1; then
  docker_row="| Docker mode over local, demo task | skipped: no docker command | | | ≤ 1.5× |"
elif ! docker info > /dev/null 2>&1; then
  docker_row="| Docker mode over local, demo task | skipped: no Docker daemon answers (\`docker info\` failed) | | | ≤ 1.5× |"
else
  image="${DOCKER_IMAGE:-}"
  [ -n "$image" ] || image="$("$repo/eng/docker/build-test-image.sh" | tail -1)"
  measured="$(dotnet run -c Release --project "$repo/samples/DockerRunner" -- --image "$image" --measure "$runs" 2>&1 | grep -E '^rounds|^Docker mode overhead' || true)"
  echo "docker ($image): $measured" >&2
  local_ms="$(echo "$measured" | sed -n 's/.*local \([0-9]*\) ms.*/\1/p')"
  docker_ms="$(echo "$measured" | sed -n 's/.*docker \([0-9]*\) ms, docker run.*/\1/p')"
  bare_ms="$(echo "$measured" | sed -n 's/.*docker run --rm true \([0-9]*\) ms.*/\1/p')"
  if [ -z "$local_ms" ] || [ -z "$docker_ms" ] || [ -z "$bare_ms" ]; then
    docker_row="| Docker mode over local, demo task | failed: samples/DockerRunner printed no medians | | | ≤ 1.5× |"
  else
    docker_row="| Docker mode over local, demo task ($image) | $((docker_ms - local_ms)) ms over local ($docker_ms ms against $local_ms ms) | bare \`docker run --rm IMAGE true\`: $bare_ms ms | $(ratio $((docker_ms - local_ms)) "$bare_ms")× | ≤ 1.5× |"
  fi
fi

# 5. Prepare on a 5,000-file repo.
if row prepare; then
  p="$scratch/prepare"
  setup "$p" 5000 "sh test.sh"
  run_runner "$p" warm; : > "$p/runner.times"
  run_plain "$p" warm; : > "$p/plain.times"
  for i in $(seq 1 "$runs"); do
    run_runner "$p" "r$i"
    prepare_seconds "$p" "r$i" >> "$p/prepare.times"
    run_plain "$p" "p$i" prepare
  done
  prepare_runner="$(median < "$p/prepare.times")"
  prepare_plain="$(col 1 "$p/plain.times" | median)"
  echo "prepare: runner $(tr '\n' ' ' < "$p/prepare.times"); plain $(col 1 "$p/plain.times" | tr '\n' ' ')" >&2
fi


echo
echo "Medians of $runs interleaved runs ($output_runs for the output rows); load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
echo
echo "| what | runner | plain work | ratio | goal |"
echo "| --- | --- | --- | --- | --- |"
row trivial && echo "| trivial task (200 files, one file written, \`sh test.sh\`) | ${trivial_wall} s wall, ${trivial_user} s user, ${trivial_sys} s sys | ${plain_wall} s wall, ${plain_user} s user | $(ratio "$trivial_wall" "$plain_wall")× | ≤ 3× |"
row output && echo "| test command printing ${output_mb} MiB in 100-byte lines | ${output_wall} s wall (${output_sys} s sys), ${output_only} s over the trivial task: ${mbps} MB/s | into /dev/null: ${output_plain} s | $(ratio "$output_only" "$output_plain")× ($(ratio "$output_plain" "$output_only")× the speed) | ≥ 0.5× the speed |"
row output && echo "| run log stored for that run | $(echo "$log_size" | awk '{ printf "%.0f", $1 / 1e6 }') MB | output: $(echo "$bytes" | awk '{ printf "%.0f", $1 / 1e6 }') MB | $(ratio "$log_size" "$bytes")× | ≤ 1.3× |"
echo "$docker_row"
row prepare && echo "| prepare step, 5,000-file repo (used slot) | ${prepare_runner} s | git script: ${prepare_plain} s | $(ratio "$prepare_runner" "$prepare_plain")× | ≤ 1.2× |"
true
