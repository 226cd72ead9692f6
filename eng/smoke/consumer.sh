#!/usr/bin/env bash
# The consumer smoke test: what a .NET team does with the packages, outside this solution.
#   1. packs every package into a folder feed;
#   2. creates a fresh console app in a temp folder that references NecroCode.AgentRunner and .Git from that feed only
#      (never the solution's projects), with samples/BasicRunnerUsage/Program.cs (the README's "Embedding it") as its
#      program, builds it and runs a real task end to end: a throw-away origin, a stand-in agent, the tests, the push;
#   3. installs the tool from the feed with `dotnet tool install` (a ReadyToRun package on x64 Linux, glibc or musl,
#      the portable one elsewhere) and runs `necrocode-runner demo`.
# Prints what it ran and ends with "consumer smoke test: passed" (exit 0) or "...: failed" (exit 1).
# Usage: eng/smoke/consumer.sh [--no-build]   (--no-build packs the Release build already in the tree)
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)
work=$(mktemp -d /tmp/necrocode-consumer-XXXXXX)
trap 'rm -rf "$work"' EXIT
feed="$work/feed"
step() { printf '\n-- %s\n' "$*"; }
fail() { echo "consumer smoke test: failed ($*)"; exit 1; }

build_flag=()
[ "${1:-}" = "--no-build" ] && build_flag=(--no-build)
version=$(sed -n 's:.*<VersionPrefix>\(.*\)</VersionPrefix>.*:\1:p' Directory.Build.props | head -n 1)
di_version=$(sed -n 's:.*"Microsoft.Extensions.DependencyInjection" Version="\([^"]*\)".*:\1:p' Directory.Packages.props | head -n 1)

step "Packing every package into $feed"
dotnet pack NecroCode.AgentRunner.sln -c Release -o "$feed" --nologo -v quiet "${build_flag[@]}" >/dev/null || fail "dotnet pack"
ls "$feed" | sed 's/^/   /'
for id in NecroCode.AgentRunner.Abstractions NecroCode.AgentRunner NecroCode.AgentRunner.Git; do
  [ -f "$feed/$id.$version.nupkg" ] || fail "no package $id.$version.nupkg"
  [ -f "$feed/$id.$version.snupkg" ] || fail "no symbol package $id.$version.snupkg"
done
# The tool: a package that points to one per runtime (linux-x64 and linux-musl-x64 ReadyToRun, "any" the portable
# fallback), each with symbols.
[ -f "$feed/NecroCode.AgentRunner.Cli.$version.nupkg" ] || fail "no tool package NecroCode.AgentRunner.Cli.$version.nupkg"
for rid in linux-x64 linux-musl-x64 any; do
  id="NecroCode.AgentRunner.Cli.$rid"
  [ -f "$feed/$id.$version.nupkg" ] || fail "no tool runtime package $id.$version.nupkg"
  [ -f "$feed/$id.$version.snupkg" ] || fail "no symbol package $id.$version.snupkg"
done

step "A fresh console app that uses the packages from the feed"
app="$work/app"
mkdir -p "$app"
cat > "$app/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="local" value="$feed" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
  </packageSources>
  <packageSourceMapping>
    <packageSource key="local"><package pattern="NecroCode.*" /></packageSource>
    <packageSource key="nuget.org"><package pattern="*" /></packageSource>
  </packageSourceMapping>
</configuration>
XML
cat > "$app/Consumer.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
  </PropertyGroup>
</Project>
XML
cp samples/BasicRunnerUsage/Program.cs "$app/Program.cs"
# A directory outside the solution: no Directory.Build.props or Directory.Packages.props of this repository applies.
( cd "$app" \
  && dotnet add package NecroCode.AgentRunner --version "$version" >/dev/null \
  && dotnet add package NecroCode.AgentRunner.Git --version "$version" >/dev/null \
  && dotnet add package Microsoft.Extensions.DependencyInjection --version "$di_version" >/dev/null ) || fail "dotnet add package"
grep -o '<PackageReference Include="[^"]*" Version="[^"]*"' "$app/Consumer.csproj" | sed 's/^/   /'
dotnet build "$app" -c Release --nologo -v quiet >/dev/null || { dotnet build "$app" -c Release --nologo -v minimal | tail -n 20; fail "the consumer app does not build"; }

step "Running a real task through it"
origin="$work/origin.git"
seed="$work/seed"
git init --quiet --bare --initial-branch=main "$origin"
git init --quiet --initial-branch=main "$seed"
printf '#!/bin/sh\necho "Hello!"\n' > "$seed/greet.sh"
printf '#!/bin/sh\nset -e\n[ "$(sh greet.sh Ada)" = "Hello, Ada!" ]\necho "greet: ok"\n' > "$seed/test.sh"
git -C "$seed" add --all
git -C "$seed" -c user.name=Seed -c user.email=seed@example.com commit --quiet -m "Initial greeting"
git -C "$seed" push --quiet "$origin" main
agent="$work/agent.sh"
# The stand-in agent reads the prompt on stdin, rewrites greet.sh to greet by name, and says so.
cat > "$agent" <<'SH'
#!/bin/sh
cat >/dev/null
cat > greet.sh <<'SCRIPT'
#!/bin/sh
echo "Hello, $1!"
SCRIPT
echo "agent: greet.sh greets by name"
SH
chmod +x "$agent"
mkdir -p "$work/root"
output=$(cd "$work" && dotnet "$app/bin/Release/net10.0/Consumer.dll" "$origin" "$agent" "$work/root" 2>&1) || { echo "$output" | tail -n 30; fail "the task did not succeed"; }
echo "   $output" | tail -n 3
[[ "$output" == *"Succeeded: branch feature/task-greeting-1 at "* ]] || fail "unexpected result: $output"
git -C "$origin" rev-parse --verify --quiet refs/heads/feature/task-greeting-1 >/dev/null || fail "the task branch is not on origin"
[ "$(git -C "$origin" show feature/task-greeting-1:greet.sh | tail -n 1)" = 'echo "Hello, $1!"' ] || fail "the pushed branch lacks the agent's change"
echo "   origin has feature/task-greeting-1 with the agent's change"

step "Installing the tool from the feed and running its demo"
dotnet tool install NecroCode.AgentRunner.Cli --version "$version" --tool-path "$work/tools" --add-source "$feed" >/dev/null || fail "dotnet tool install"
# The runtime package this machine gets: linux-x64 (or linux-musl-x64) on x64 Linux, the portable one elsewhere.
installed=$(ls "$work/tools/.store/necrocode.agentrunner.cli/$version" | grep -E '^necrocode\.agentrunner\.cli\.' || true)
echo "   installed: ${installed:-?}"
if [ "$(uname -s)-$(uname -m)" = Linux-x86_64 ]; then
  expected=necrocode.agentrunner.cli.linux-x64
  ldd --version 2>&1 | grep -qi musl && expected=necrocode.agentrunner.cli.linux-musl-x64
  [ "$installed" = "$expected" ] || fail "the tool installed ${installed:-nothing}, not its ReadyToRun package $expected"
else
  [ "$installed" = necrocode.agentrunner.cli.any ] || fail "the tool did not install its portable package"
fi
demo=$(cd "$work" && "$work/tools/necrocode-runner" demo 2>&1) || { status=$?; echo "$demo" | tail -n 30; fail "necrocode-runner demo exited with $status"; }
echo "$demo" | tail -n 4 | sed 's/^/   /'
[[ "$demo" == *"Succeeded"* ]] || fail "the demo did not succeed"

echo
echo "consumer smoke test: passed"
