#!/usr/bin/env bash
# Installs the contiv CNI plugin where a container runtime looks for it: publishes contiv-cni
# (Contiv.Cni, NativeAOT: it runs once per pod and operation, so its cold start counts) into the
# runtime's CNI bin directory and writes a conflist into its conf directory.
#
#   install.sh [--bin-dir /opt/cni/bin] [--conf-dir /etc/cni/net.d] [--name contiv]
#              [--tenant default] --network NAME [--group NAME] [--agent-socket /run/contiv/contiv-agent.sock]
#              [--cni-version 1.1.0] [--no-conf]
#
# The conflist holds contiv alone, with the capabilities containerd then passes (io.kubernetes.cri.pod-annotations
# lets a pod's io.contiv.tenant / io.contiv.network / io.contiv.net-group annotations choose its network and group).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)

bin_dir=/opt/cni/bin
conf_dir=/etc/cni/net.d
name=contiv
tenant=default
network=
group=
agent_socket=/run/contiv/contiv-agent.sock
cni_version=1.1.0
conf=1

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//' >&2; exit 2; }
value() { [ $# -ge 2 ] && [ -n "$2" ] || { echo "install.sh: $1 needs a value" >&2; exit 2; }; }

while [ $# -gt 0 ]; do
  case "$1" in
    --bin-dir) value "$@"; bin_dir=$2; shift 2 ;;
    --conf-dir) value "$@"; conf_dir=$2; shift 2 ;;
    --name) value "$@"; name=$2; shift 2 ;;
    --tenant) value "$@"; tenant=$2; shift 2 ;;
    --network) value "$@"; network=$2; shift 2 ;;
    --group) value "$@"; group=$2; shift 2 ;;
    --agent-socket) value "$@"; agent_socket=$2; shift 2 ;;
    --cni-version) value "$@"; cni_version=$2; shift 2 ;;
    --no-conf) conf=0; shift ;;
    -h|--help) usage ;;
    *) echo "install.sh: unknown option $1" >&2; usage ;;
  esac
done
[ "$conf" -eq 0 ] || [ -n "$network" ] || { echo "install.sh: --network is required to write the conflist (or --no-conf)" >&2; exit 2; }

# 1. Publish (under the project's ignored obj/, apart from the solution's build; reused when up to date).
artifacts="$repo/Contiv.Cni/obj/aot"
publish="$artifacts/publish"
mkdir -p "$artifacts"
exec 9>"$artifacts/.lock"
flock 9
started=$(date +%s)
dotnet publish "$repo/Contiv.Cni/Contiv.Cni.csproj" -c Release -r linux-x64 -p:PublishAot=true \
  --artifacts-path "$artifacts" -o "$publish" -nologo -v quiet >"$artifacts/publish.log" 2>&1 \
  || { echo "install.sh: dotnet publish failed:" >&2; tail -30 "$artifacts/publish.log" >&2; exit 1; }
binary="$publish/contiv-cni"
[ -x "$binary" ] || { echo "install.sh: $binary was not produced" >&2; exit 1; }
echo "published contiv-cni ($(stat -c %s "$binary") bytes) in $(( $(date +%s) - started )) s"

# 2. The binary, replaced atomically: a runtime may be running the old one right now.
mkdir -p "$bin_dir"
cp "$binary" "$bin_dir/.contiv-cni.new"
mv -f "$bin_dir/.contiv-cni.new" "$bin_dir/contiv-cni"
echo "installed $bin_dir/contiv-cni"

[ "$conf" -eq 1 ] || exit 0

# 3. The conflist (runtimes read the lexically first file of the directory: 10- puts ours early).
mkdir -p "$conf_dir"
group_line=
[ -z "$group" ] || group_line=$(printf '"group": "%s",' "$group")
cat >"$conf_dir/.10-$name.conflist.new" <<CONF
{
  "cniVersion": "$cni_version",
  "name": "$name",
  "plugins": [
    {
      "type": "contiv-cni",
      "tenant": "$tenant",
      "network": "$network",
      $group_line
      "agentSocket": "$agent_socket",
      "capabilities": { "io.kubernetes.cri.pod-annotations": true }
    }
  ]
}
CONF
mv -f "$conf_dir/.10-$name.conflist.new" "$conf_dir/10-$name.conflist"
echo "wrote $conf_dir/10-$name.conflist"
