#!/usr/bin/env bash
# Builds the contiv Docker managed (v2) plugin and installs it into a dockerd.
#
# The plugin's program is contiv-docker-plugin (Contiv.DockerPlugin, published with NativeAOT): it
# forwards every connection from the plugin's socket to the host agent's Docker driver socket,
# which the plugin sees through its `agent` bind mount. The plugin directory is config.json (this
# folder's) and a rootfs holding only the binary, the dynamic loader and the libraries ldd lists.
#
#   build.sh [--name NAME] [--host unix:///path/docker.sock] [--agent-dir DIR] [--agent-socket PATH]
#            [--out DIR] [--no-install] [--no-enable]
#
#   --name NAME          plugin name (default contiv; docker shows it as NAME:latest)
#   --host URL           the dockerd to install into, passed as -H (default: docker's default)
#   --agent-dir DIR      host directory holding the agent's Docker socket (default /run/contiv),
#                        set as the plugin's agent.source
#   --agent-socket PATH  that socket as seen inside the plugin (default /run/contiv/docker.sock),
#                        set as the plugin's CONTIV_AGENT_SOCKET
#   --out DIR            where the plugin directory is assembled (default: a new temporary directory,
#                        removed once the plugin is created)
#   --no-install         only publish and assemble the plugin directory
#   --no-enable          install but leave the plugin disabled
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)

name=contiv
host=
agent_dir=/run/contiv
agent_socket=/run/contiv/docker.sock
out=
install=1
enable=1

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//' >&2; exit 2; }
value() { [ $# -ge 2 ] && [ -n "$2" ] || { echo "build.sh: $1 needs a value" >&2; exit 2; }; }

while [ $# -gt 0 ]; do
  case "$1" in
    --name) value "$@"; name=$2; shift 2 ;;
    --host) value "$@"; host=$2; shift 2 ;;
    --agent-dir) value "$@"; agent_dir=$2; shift 2 ;;
    --agent-socket) value "$@"; agent_socket=$2; shift 2 ;;
    --out) value "$@"; out=$2; shift 2 ;;
    --no-install) install=0; shift ;;
    --no-enable) enable=0; shift ;;
    -h|--help) usage ;;
    *) echo "build.sh: unknown option $1" >&2; usage ;;
  esac
done

# Not `docker` from PATH: that may be a newer client than the daemon speaks.
docker=(/usr/bin/docker)
[ -n "$host" ] && docker+=(-H "$host")

# 1. Publish. Its own artifacts path (under the project's ignored obj/) keeps the Release/linux-x64
#    restore and build apart from the solution's; MSBuild skips the native compile and link when
#    nothing changed, so an up-to-date publish is reused. One publish at a time on this tree.
artifacts="$repo/Contiv.DockerPlugin/obj/aot"
publish="$artifacts/publish"
mkdir -p "$artifacts"
exec 9>"$artifacts/.lock"
flock 9
started=$(date +%s)
dotnet publish "$repo/Contiv.DockerPlugin/Contiv.DockerPlugin.csproj" -c Release -r linux-x64 -p:PublishAot=true \
  --artifacts-path "$artifacts" -o "$publish" -nologo -v quiet >"$artifacts/publish.log" 2>&1 \
  || { echo "build.sh: dotnet publish failed:" >&2; tail -30 "$artifacts/publish.log" >&2; exit 1; }
binary="$publish/contiv-docker-plugin"
[ -x "$binary" ] || { echo "build.sh: $binary was not produced" >&2; exit 1; }
echo "published $binary in $(( $(date +%s) - started )) s"

# 2. Assemble DIR/config.json and DIR/rootfs: the binary, and what it is linked against (NativeAOT
#    links glibc dynamically: the loader, libc, libm), each at its own path.
made_out=0
if [ -z "$out" ]; then
  out=$(mktemp -d "${TMPDIR:-/tmp}/contiv-plugin.XXXXXX")
  made_out=1
else
  mkdir -p "$out"
  out=$(cd "$out" && pwd)
fi
rootfs="$out/rootfs"
rm -rf "$rootfs"
mkdir -p "$rootfs"
cp "$binary" "$rootfs/contiv-docker-plugin"
libs=$(ldd "$binary" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' | sort -u)
[ -n "$libs" ] || { echo "build.sh: ldd listed no library for $binary" >&2; exit 1; }
for lib in $libs; do
  cp -L --parents "$lib" "$rootfs/"   # -L: the file itself where the path is a symlink
done
# Mount points: the plugin's socket directory and the agent mount (runc would make them; a rootfs with them is plainer).
mkdir -p "$rootfs/run/docker/plugins" "$rootfs${agent_socket%/*}" "$rootfs/run/contiv" "$rootfs/proc" "$rootfs/sys" "$rootfs/dev" "$rootfs/tmp"
cp "$here/config.json" "$out/config.json"
echo "plugin directory $out: binary $(stat -c %s "$binary") bytes, rootfs $(du -sb "$rootfs" | cut -f1) bytes ($(echo $libs | tr ' ' ','))"

[ "$install" -eq 1 ] || exit 0

# 3. Install: replace an earlier plugin of that name, point it at the agent, enable it.
if "${docker[@]}" plugin inspect "$name" >/dev/null 2>&1; then
  "${docker[@]}" plugin rm -f "$name" >/dev/null
fi
"${docker[@]}" plugin create "$name" "$out" >/dev/null
# dockerd keeps its own copy: a directory of ours it no longer needs.
[ "$made_out" -eq 0 ] || rm -rf "$out"
# The bind mount's source must exist when the plugin starts; the agent puts its socket there later.
mkdir -p "$agent_dir"
"${docker[@]}" plugin set "$name" "agent.source=$agent_dir" "CONTIV_AGENT_SOCKET=$agent_socket"
if [ "$enable" -eq 1 ]; then
  "${docker[@]}" plugin enable "$name" >/dev/null
  echo "plugin $name installed and enabled (agent socket $agent_dir on the host, $agent_socket in the plugin)"
else
  echo "plugin $name installed, not enabled (agent socket $agent_dir on the host, $agent_socket in the plugin)"
fi
