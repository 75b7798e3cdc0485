#!/usr/bin/env bash
# The demo: a contiv-master and two hosts on this machine (each a network namespace with its own
# ovs-vswitchd and contiv-agent), a network, two groups and a policy through REST, two containers
# per host, and which connections succeed before, with and after a deny rule. Needs root and
# Open vSwitch (apt-get install openvswitch-switch ethtool iproute2 python3). Cleans up after itself.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ $EUID -ne 0 ]]; then echo "demo.sh: run as root" >&2; exit 2; fi
for tool in ovs-vswitchd ovsdb-server ethtool ip python3 dotnet; do
  command -v "$tool" >/dev/null || { echo "demo.sh: $tool is missing (see the README)" >&2; exit 2; }
done
dotnet build Contiv.Demo/Contiv.Demo.csproj -c Release -v quiet -nologo
exec dotnet Contiv.Demo/bin/Release/net10.0/Contiv.Demo.dll
