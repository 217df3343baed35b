#!/usr/bin/env bash
# The kit's last step on the temporary ECS.
#  - warns loudly about each kernel parameter the user scripts changed (at run time or in
#    the sysctl configuration files), compared with what 00-prepare.sh recorded;
#  - keeps the provisioning log in /var/log/ when upload_build_log is on;
#  - cleans the system for capture: uploaded files in /tmp, temporary files, shell history,
#    package caches, cloud-init state, machine-id and SSH host keys.
#
# Environment:
#   CCE_IMAGE_ROOT        root of the image's file system (default /; tests use a temp dir)
#   CCE_WORK_DIR          where 00-prepare.sh kept its notes (default /tmp/cce-image-wizard)
#   CCE_UPLOAD_BUILD_LOG  1 copies the provisioning log to /var/log/cce-image-build.log
set -euo pipefail

root=${CCE_IMAGE_ROOT:-/}
if [ ! -d "$root" ]; then
  echo "[cce-image-wizard] ERROR: CCE_IMAGE_ROOT '$root' is not a directory." >&2
  exit 1
fi
root=${root%/}
work=${CCE_WORK_DIR:-/tmp/cce-image-wizard}

say() { printf '[cce-image-wizard] %s\n' "$*"; }

# ---- Kernel parameters ---------------------------------------------------------------
if [ -f "$work/kernel-params.before" ] && [ -x "$work/prepare.sh" ]; then
  "$work/prepare.sh" --snapshot >"$work/kernel-params.after"
  changed=0
  while IFS= read -r line; do
    changed=$((changed + 1))
    kind=${line%% *} rest=${line#* }
    param=${rest%%=*}
    before=$(grep -E "^$kind ${param//./\\.}=" "$work/kernel-params.before" | head -n1 || true)
    say "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
    say "WARNING: kernel parameter $param was changed by the user scripts ($kind):"
    say "  before: ${before#* }"
    say "  after:  $rest"
    say "  Changing it degrades CCE nodes; verify the new value in a test environment first."
  done < <(grep -vxF -f "$work/kernel-params.before" "$work/kernel-params.after" || true)
  [ "$changed" -eq 0 ] && say "Kernel parameters: none of the watched ones changed."
else
  say "WARNING: no kernel-parameter record from 00-prepare.sh; cannot tell whether any changed."
fi

# ---- The provisioning log --------------------------------------------------------------
if [ "${CCE_UPLOAD_BUILD_LOG:-0}" = 1 ] && [ -f "$work/build.log" ]; then
  # It holds whatever the steps printed, which may include sensitive data.
  mkdir -p "$root/var/log"
  cp "$work/build.log" "$root/var/log/cce-image-build.log"
  chmod 0600 "$root/var/log/cce-image-build.log"
  say "Kept the provisioning log as /var/log/cce-image-build.log (upload_build_log is on)."
fi

# ---- Clean the image for capture -------------------------------------------------------
# Empties a directory without removing it.
empty_dir() { [ -d "$1" ] && find "$1" -mindepth 1 -delete; return 0; }

say "Cleaning the image for capture under ${root:-/}"
empty_dir "$root/tmp"
empty_dir "$root/var/tmp"
rm -f "$root"/root/.bash_history "$root"/root/.zsh_history "$root"/root/.python_history \
  "$root"/home/*/.bash_history "$root"/home/*/.zsh_history "$root"/home/*/.python_history
empty_dir "$root/var/cache/yum"
empty_dir "$root/var/cache/dnf"
rm -f "$root"/var/cache/apt/archives/*.deb "$root"/var/cache/apt/*.bin
rm -rf "$root/var/lib/cloud/instances" "$root/var/lib/cloud/instance" \
  "$root/var/lib/cloud/data" "$root/var/lib/cloud/sem"
# An empty machine-id is regenerated at first boot; a missing one is not on every system.
if [ -e "$root/etc/machine-id" ]; then : >"$root/etc/machine-id"; fi
rm -f "$root/var/lib/dbus/machine-id"
rm -f "$root"/etc/ssh/ssh_host_*
say "Done: /tmp, /var/tmp, shell history, package caches, cloud-init state, machine-id and SSH host keys cleaned."
