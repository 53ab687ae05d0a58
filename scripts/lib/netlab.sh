# shellcheck shell=bash
# Installs and checks what the fault campaign across hosts needs (system-tests NetLab,
# ChaosProcessTest; docs/chaos.md): root, iproute2's `ip` with network namespaces, veth and bridge
# links, and iptables (loss rules inside the test's own namespaces; the kernel needs its
# `statistic` match). Installs missing Debian packages with apt-get. Never skips: returns non-zero
# with a one-line reason when something is missing and cannot be had.
#
# Sourced by scripts/test and scripts/chaos (basalt_install_netlab); also runs on its own.

basalt_install_netlab() {
  if [ "$(id -u)" != 0 ]; then
    echo "netlab.sh: the fault campaign needs root (ip netns); running as $(id -un)" >&2
    return 1
  fi
  local missing=()
  command -v ip >/dev/null || missing+=(iproute2)
  command -v iptables >/dev/null || missing+=(iptables)
  if [ ${#missing[@]} -gt 0 ]; then
    if ! command -v apt-get >/dev/null; then
      echo "netlab.sh: need the Debian package(s) ${missing[*]} and there is no apt-get" >&2
      return 1
    fi
    echo "netlab.sh: installing ${missing[*]} (Debian)"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; } \
      >/dev/null || { echo "netlab.sh: apt-get install ${missing[*]} failed" >&2; return 1; }
  fi
  # A probe namespace: veth, bridge and an iptables statistic rule must all work in this kernel.
  local ns="basalt-c$$-probe" ok=1
  ip netns add "$ns" || { echo "netlab.sh: ip netns add failed" >&2; return 1; }
  ip -n "$ns" link add br0 type bridge 2>/dev/null || { echo "netlab.sh: no bridge links in this kernel" >&2; ok=0; }
  ip -n "$ns" link add v0 type veth peer name v1 2>/dev/null || { echo "netlab.sh: no veth links in this kernel" >&2; ok=0; }
  ip netns exec "$ns" iptables -w -A OUTPUT -p udp -m statistic --mode random --probability 0.5 -j DROP 2>/dev/null \
    || { echo "netlab.sh: iptables cannot add a statistic rule (kernel lacks netfilter's xt_statistic?)" >&2; ok=0; }
  ip netns del "$ns"
  [ "$ok" = 1 ]
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  basalt_install_netlab && echo "netlab.sh: ip netns, veth, bridge and iptables statistic all work here"
fi
