#!/usr/bin/env bash
# An example user script. Every *.sh file in user-scripts/ runs on the temporary ECS as
# root, in name order, after the files in user-packages/ were uploaded to /tmp/<name>.
# Replace it with your own steps (install agents, configure services, ...).
set -euo pipefail

echo "example.sh: running on $(uname -srm) as $(id -un)"

# Files from user-packages/ are in /tmp: install what you need from there.
if [ -f /tmp/example.package ]; then
  echo "example.sh: found /tmp/example.package ($(wc -c </tmp/example.package) bytes)"
  echo "example.sh: sha256 $(sha256sum /tmp/example.package | cut -d' ' -f1)"
else
  echo "example.sh: /tmp/example.package is missing" >&2
  exit 1
fi

# Changing these kernel parameters degrades CCE nodes, so the kit warns about them:
# tcp_keepalive_time, tcp_max_tw_buckets, somaxconn, max_user_instances, max_user_watches,
# netdev_max_backlog, net.core.wmem_max, net.core.rmem_max.
