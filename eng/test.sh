#!/usr/bin/env bash
# Runs every test of NecroCode.AgentRunner on a fresh machine: installs what the tests need,
# builds, tests, and ends with one line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

log() { printf '\n== %s\n' "$*"; }

need_packages=()
command -v git >/dev/null 2>&1 || need_packages+=(git)
command -v setsid >/dev/null 2>&1 || need_packages+=(util-linux)
command -v flock >/dev/null 2>&1 || need_packages+=(util-linux)
command -v python3 >/dev/null 2>&1 || need_packages+=(python3)
# The local-mode sandbox's tests run under both mechanisms: Landlock (the kernel's) and bubblewrap (docs/security.md).
command -v bwrap >/dev/null 2>&1 || need_packages+=(bubblewrap)
# Network Hosts relays its proxy into the network namespace with socat.
command -v socat >/dev/null 2>&1 || need_packages+=(socat)
# The test-result tests run real pytest (docs/tests.md): Debian's python3-pytest.
command -v pytest >/dev/null 2>&1 || command -v pytest-3 >/dev/null 2>&1 || need_packages+=(python3-pytest)
# Docker-mode tests need a real engine (docs/docker.md): Debian's docker.io when dockerd is missing.
command -v dockerd >/dev/null 2>&1 || need_packages+=(docker.io)
if [ ${#need_packages[@]} -gt 0 ]; then
  log "Installing ${need_packages[*]}"
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_packages[@]}" >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_packages[@]}" >/dev/null
  fi
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
results="$(pwd)/TestResults"
rm -rf "$results"

# Start a Docker engine in the background when none answers, and wait until `docker info` works.
if ! docker info >/dev/null 2>&1 && command -v dockerd >/dev/null 2>&1; then
  log "Starting dockerd"
  if [ "$(id -u)" = 0 ]; then
    setsid dockerd >/tmp/necrocode-dockerd.log 2>&1 < /dev/null &
  else
    sudo sh -c 'setsid dockerd >/tmp/necrocode-dockerd.log 2>&1 < /dev/null &'
  fi
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
  docker info >/dev/null 2>&1 || { echo "dockerd did not start:"; tail -n 20 /tmp/necrocode-dockerd.log; }
fi

log "Building"
if ! dotnet build NecroCode.AgentRunner.sln -c Release --nologo -v minimal; then
  echo "0 passed, 1 failed"
  exit 1
fi

# The Docker tests' image, assembled from this machine's files (never pulled), cached by content hash.
if docker info >/dev/null 2>&1; then
  log "Building the Docker test image"
  if image=$(eng/docker/build-test-image.sh | tail -n 1) && [ -n "$image" ]; then
    export NECROCODE_DOCKER_TEST_IMAGE="$image"
    echo "$image"
  else
    echo "The Docker test image could not be built; the Docker tests will try again and report why."
  fi
fi

. eng/services/s3.sh || echo "The S3 test server did not start; the S3 tests will fail and say why."
source eng/services/postgres.sh  # the PostgreSQL provider's tests: a throw-away cluster on 127.0.0.1:55432 (NECROCODE_POSTGRES_TEST)

log "Testing"
dotnet test NecroCode.AgentRunner.sln -c Release --no-build --nologo -v minimal \
  --logger "trx" --logger "console;verbosity=normal" --results-directory "$results" -- NUnit.NumberOfTestWorkers=2
status=$?

# The consumer smoke test (eng/smoke/consumer.sh): the packages from a folder feed in a fresh app outside the solution,
# a real task run through it, the tool installed from the feed. It counts as one test.
log "Consumer smoke test"
if bash eng/smoke/consumer.sh --no-build; then smoke_passed=1; smoke_failed=0; else smoke_passed=0; smoke_failed=1; fi

passed=0; failed=0; total=0
shopt -s nullglob
for trx in "$results"/*.trx; do
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  t=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters")
  e=$(sed -n 's/.* error="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0} + ${e:-0})); total=$((total + ${t:-0}))
done
passed=$((passed + smoke_passed)); failed=$((failed + smoke_failed))
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
if [ "$total" -eq 0 ]; then echo "no tests ran"; failed=1; fi
echo "$passed passed, $failed failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
