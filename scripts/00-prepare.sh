#!/usr/bin/env bash
# The kit's first step on the temporary ECS.
#  - checks that it runs as root (directly or through sudo) on an OS that CCE supports
#    for custom node images;
#  - records the kernel parameters known to degrade nodes when changed, so that the last
#    step (99-finalize.sh) can warn about any that the user scripts changed.
#
# Environment:
#   CCE_IMAGE_ROOT            root of the image's file system (default /; tests use a temp dir)
#   CCE_WORK_DIR              where the kit keeps its notes (default /tmp/cce-image-wizard)
#   CCE_ALLOW_UNSUPPORTED_OS  1 turns an unsupported OS into a warning
#
# `00-prepare.sh --snapshot` prints the current values and is what 99-finalize.sh calls.
set -euo pipefail

root=${CCE_IMAGE_ROOT:-/}
root=${root%/}
work=${CCE_WORK_DIR:-/tmp/cce-image-wizard}

# Kernel parameters that degrade CCE nodes when changed (CCE "Creating a Custom Node Image").
KERNEL_PARAMS=(
  net.ipv4.tcp_keepalive_time
  net.ipv4.tcp_max_tw_buckets
  net.core.somaxconn
  fs.inotify.max_user_instances
  fs.inotify.max_user_watches
  net.core.netdev_max_backlog
  net.core.wmem_max
  net.core.rmem_max
)

# One line per value: "runtime <param>=<value>" for the running kernel, and
# "config <param>=<value> <file>" for each setting in the sysctl configuration files.
snapshot() {
  local p v f
  for p in "${KERNEL_PARAMS[@]}"; do
    v=$(tr -s '[:space:]' ' ' <"/proc/sys/${p//.//}" 2>/dev/null | sed 's/ $//') || v="(unreadable)"
    echo "runtime $p=${v:-(unset)}"
  done
  for f in "$root"/etc/sysctl.conf "$root"/etc/sysctl.d/*.conf "$root"/usr/lib/sysctl.d/*.conf "$root"/run/sysctl.d/*.conf; do
    [ -f "$f" ] || continue
    for p in "${KERNEL_PARAMS[@]}"; do
      # key = value, with the key written with dots or slashes; comments skipped.
      sed -nE "s|^[[:space:]]*-?${p//./[./]}[[:space:]]*=[[:space:]]*(.*[^[:space:]])[[:space:]]*$|config $p=\\1 ${f#"$root"}|p" "$f"
    done
  done
}

if [ "${1:-}" = "--snapshot" ]; then
  snapshot
  exit 0
fi

say() { printf '[cce-image-wizard] %s\n' "$*"; }

if [ "$(id -u)" -ne 0 ]; then
  say "ERROR: this step must run as root. Log in as root (ssh_username) or give the user passwordless sudo."
  exit 1
fi

# CCE supports custom images built from its own base images of these systems.
os_id="" os_version="" os_pretty="unknown"
if [ -r "$root/etc/os-release" ]; then
  # shellcheck disable=SC1091
  . "$root/etc/os-release"
  os_id=${ID:-} os_version=${VERSION:-${VERSION_ID:-}} os_pretty=${PRETTY_NAME:-$os_id}
fi
case "$os_id:$os_version" in
  centos:7*)
    grep -q ' 7\.6\.' "$root/etc/centos-release" 2>/dev/null && supported=1 || supported=0 ;;
  ubuntu:18.04* | ubuntu:22.04*) supported=1 ;;
  euleros:2.0*SP9*) supported=1 ;;
  hce:2.0*) supported=1 ;;
  *) supported=0 ;;
esac
if [ "$supported" = 1 ]; then
  say "OS: $os_pretty (supported for CCE custom node images)"
elif [ "${CCE_ALLOW_UNSUPPORTED_OS:-0}" = 1 ]; then
  say "WARNING: OS '$os_pretty' is not a CCE node OS (CentOS 7.6, Ubuntu 18.04/22.04, EulerOS 2.9, Huawei Cloud EulerOS 2.0); continuing because CCE_ALLOW_UNSUPPORTED_OS=1."
else
  say "ERROR: OS '$os_pretty' is not a CCE node OS (CentOS 7.6, Ubuntu 18.04/22.04, EulerOS 2.9, Huawei Cloud EulerOS 2.0)."
  say "Use a CCE base image as CCE_SOURCE_IMAGE_ID."
  exit 1
fi

mkdir -p "$work"
cp "$0" "$work/prepare.sh"
chmod 0755 "$work/prepare.sh"
snapshot >"$work/kernel-params.before"
say "Recorded ${#KERNEL_PARAMS[@]} kernel parameters; the last step warns if a user script changes one."
