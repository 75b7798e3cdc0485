#!/bin/sh
# The agent image's entrypoint: Open vSwitch for this container first, then contiv-agent with the
# container's arguments (docker-compose.yml's command:), as the container's main process.
set -eu

# A restarted container keeps its file system, so the previous run's pidfiles are still here; with
# pid: host a number in them may now be the other agent's ovsdb-server or ovs-vswitchd, which ovs-ctl
# would take for this container's own and not start it.
rm -f /run/openvswitch/*.pid

# --system-id=random: ovs-ctl starts nothing without an identity; a random one is kept in
# /etc/openvswitch across restarts. --no-mlockall: several agents (and their userspace datapaths)
# share one machine here; locking all of ovs-vswitchd's memory is for a dedicated host.
# ovs-ctl loads the openvswitch kernel module when the host has not (the agent's bridge does not
# use it, its datapath is userspace, but ovs-ctl insists): hence /lib/modules in docker-compose.yml.
/usr/share/openvswitch/scripts/ovs-ctl start --system-id=random --no-mlockall

# The userspace datapath sends VXLAN through its own routing: the VTEP address must live on an OVS
# bridge that holds the interface it came on (as ClusterLab does in namespaces). With
# CONTIV_UNDERLAY_BRIDGE set, the interface holding --vtep-ip goes onto a bridge of that name and
# the address onto the bridge. A host whose agent uses the kernel datapath leaves it unset.
vtep=""
previous=""
for arg in "$@"; do
  if [ "$previous" = "--vtep-ip" ]; then vtep=$arg; fi
  previous=$arg
done
bridge=${CONTIV_UNDERLAY_BRIDGE:-}
if [ -n "$bridge" ] && [ -n "$vtep" ]; then
  line=$(ip -4 -o addr show to "$vtep/32" | head -n 1)
  if [ -z "$line" ]; then
    echo "contiv-agent-entrypoint: no interface holds --vtep-ip $vtep" >&2
    exit 1
  fi
  dev=$(echo "$line" | awk '{print $2}')
  address=$(echo "$line" | awk '{print $4}')
  if [ "$dev" != "$bridge" ]; then
    gateway=$(ip -4 route show default dev "$dev" | awk '{print $3; exit}')
    ovs-vsctl --may-exist add-br "$bridge" -- set bridge "$bridge" datapath_type=netdev \
      -- --may-exist add-port "$bridge" "$dev"
    ovs-ofctl add-flow "$bridge" actions=NORMAL
    # The userspace datapath forwards packets as the kernel hands them over: with tx checksum
    # offload on, a packet this container sends would leave with its checksum never filled in.
    ethtool -K "$dev" tx off >/dev/null
    ip addr del "$address" dev "$dev"
    ip addr add "$address" dev "$bridge"
    ip link set "$bridge" up
    # Deleting the address dropped the routes through it: the subnet's comes back with the address
    # on the bridge, a default route through this network has to be put back.
    if [ -n "$gateway" ]; then ip route replace default via "$gateway" dev "$bridge"; fi
  fi
fi

exec dotnet /app/contiv-agent.dll "$@"
