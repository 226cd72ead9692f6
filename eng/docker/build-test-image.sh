#!/usr/bin/env bash
# Builds the runner's test image WITHOUT pulling anything: a root file system assembled from this
# machine's own files (sh, coreutils, git and the shared libraries they load, resolved with ldd) plus
# the self-contained published host, imported with `docker import`. The tag is a content hash, so a
# repeated run reuses the image. Prints the image reference (e.g. necrocode-runner-test:3f2a…) last.
#
# Usage: eng/docker/build-test-image.sh [PUBLISH_DIR]
#   PUBLISH_DIR  the output of `dotnet publish src/NecroCode.AgentRunner.Cli -c Release -r linux-x64
#                --self-contained -o PUBLISH_DIR`; published into artifacts/docker/publish when absent.
# Env: NECROCODE_TEST_IMAGE_REPO (default necrocode-runner-test).
set -euo pipefail
cd "$(dirname "$0")/../.."

repo_name="${NECROCODE_TEST_IMAGE_REPO:-necrocode-runner-test}"
publish="${1:-}"
if [ -z "$publish" ]; then
  publish="$(pwd)/artifacts/docker/publish"
  dotnet publish src/NecroCode.AgentRunner.Cli -c Release -r linux-x64 --self-contained \
    -p:PublishReadyToRun=true --nologo -v quiet -o "$publish" >&2
  # The self-contained, composite ReadyToRun build leaves its state in the CLI's linux-x64 folders; a later build of the
  # tool's framework-dependent linux-x64 package would reuse its compiled assemblies (which need the composite framework
  # image: the installed tool then aborts at start). Nothing else needs those folders.
  rm -rf src/NecroCode.AgentRunner.Cli/obj/Release/net10.0/linux-x64 src/NecroCode.AgentRunner.Cli/bin/Release/net10.0/linux-x64
fi
[ -x "$publish/necrocode-runner" ] || { echo "No self-contained necrocode-runner in '$publish'." >&2; exit 2; }

# The programs the runner and the tests' stand-in agents use inside the container.
programs=(sh bash cat ls ln base64 mkdir rm cp mv printf echo head tail env id sleep true false test \
  dd wc grep sed tr sort uniq cut touch chmod dirname basename readlink stat find xargs tee setsid git)
binaries=()
for p in "${programs[@]}"; do
  path="$(type -P "$p" || true)"
  [ -n "$path" ] && [ -f "$path" ] && binaries+=("$(readlink -f "$path")")
done
git_core="$(git --exec-path)"
shopt -s nullglob
native=("$publish"/*.so "$publish"/necrocode-runner "$git_core"/git-remote-http "$git_core"/git)

# Shared libraries of every binary, by ldd (plus the dynamic loader itself).
libs=$( { for f in "${binaries[@]}" "${native[@]}"; do ldd "$f" 2>/dev/null || true; done; } \
  | awk '/=> \//{print $3} /^[ \t]*\/[^ ]+ \(/{print $1}' | sort -u \
  | grep -v -F "$(readlink -f "$publish")/" || true)
# (Libraries of the published host itself, found next to it through $ORIGIN, stay under /opt/necrocode only.)
extra_libs=$(ls /usr/lib/x86_64-linux-gnu/libssl.so.3 /usr/lib/x86_64-linux-gnu/libcrypto.so.3 /usr/lib/x86_64-linux-gnu/libz.so.1 /usr/lib/x86_64-linux-gnu/libstdc++.so.6* /usr/lib/x86_64-linux-gnu/libgcc_s.so.1 /lib/x86_64-linux-gnu/libgcc_s.so.1 2>/dev/null || true)

# Content hash: the published host, the program and library files, and this script.
hash=$( { find "$publish" -type f -printf '%P %s %T@\n' | sort; \
  for f in "${binaries[@]}" $libs $extra_libs; do stat -L -c '%n %s %Y' "$f"; done; \
  find "$git_core" -printf '%P %s\n' | sort; cat "$0"; } | sha256sum | cut -c1-16)
image="$repo_name:$hash"
if docker image inspect "$image" >/dev/null 2>&1; then
  echo "$image"
  exit 0
fi

rootfs="$(mktemp -d)"
trap 'rm -rf "$rootfs"' EXIT
copy() { # copy a file to the same path under the root file system, following symlinks
  local src="$1" dst="$rootfs$1"
  mkdir -p "$(dirname "$dst")"
  cp -L --preserve=mode "$src" "$dst"
}
for f in "${binaries[@]}" $libs $extra_libs; do copy "$f"; done
# The program names as on the host: /bin and /usr/bin links to the copied files.
mkdir -p "$rootfs/bin" "$rootfs/usr/bin"
for p in "${programs[@]}"; do
  path="$(type -P "$p" || true)"
  [ -n "$path" ] || continue
  real="$(readlink -f "$path")"
  [ -e "$rootfs/usr/bin/$p" ] || ln -sf "$real" "$rootfs/usr/bin/$p"
  [ -e "$rootfs/bin/$p" ] || ln -sf "$real" "$rootfs/bin/$p"
done
[ -e "$rootfs/bin/sh" ] || ln -sf "$(readlink -f /bin/sh)" "$rootfs/bin/sh"
# git's helpers (upload-pack, receive-pack, …), hard links kept.
mkdir -p "$rootfs$git_core"
tar -C "$git_core" -cf - . | tar -C "$rootfs$git_core" -xf -
[ -d /usr/share/git-core ] && mkdir -p "$rootfs/usr/share" && cp -a /usr/share/git-core "$rootfs/usr/share/"
# Loader cache so libraries outside the default paths are found.
mkdir -p "$rootfs/etc"
printf '/lib/x86_64-linux-gnu\n/usr/lib/x86_64-linux-gnu\n/lib64\n' > "$rootfs/etc/ld.so.conf"
ldconfig -r "$rootfs" 2>/dev/null || true
# The host, users and the folders the runner uses.
mkdir -p "$rootfs/opt/necrocode" "$rootfs/necrocode/job" "$rootfs/necrocode/secrets" "$rootfs/tmp" "$rootfs/proc" "$rootfs/dev" "$rootfs/sys"
chmod 1777 "$rootfs/tmp"
cp -a "$publish/." "$rootfs/opt/necrocode/"
ln -sf /opt/necrocode/necrocode-runner "$rootfs/usr/bin/necrocode-runner"
printf 'root:x:0:0:root:/root:/bin/sh\nrunner:x:1000:1000:runner:/tmp:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/sh\n' > "$rootfs/etc/passwd"
printf 'root:x:0:\nrunner:x:1000:\nnogroup:x:65534:\n' > "$rootfs/etc/group"

tar -C "$rootfs" -cf - . | docker import \
  -c 'ENV PATH=/usr/local/bin:/usr/bin:/bin DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 HOME=/tmp' \
  -c 'WORKDIR /necrocode/job' \
  -m "necrocode-runner test image from local files" - "$image" >/dev/null
echo "$image"
