#!/usr/bin/env bash
# Builds the CCE custom node image: `make image` runs this.
#
#   1. checks that the procedure's variables are exported;
#   2. finds the real HashiCorp Packer (PACKER_BIN wins; impostors are skipped);
#   3. logs to logs/packer_<timestamp>.log, then runs packer init, validate and build.
#
# Extra arguments go to `packer build` (the wizard adds -machine-readable).
# Optional: PACKER_BIN, PACKER_TEMPLATE (default turbo-node.pkr.hcl), PACKER_SKIP_INIT=1
# (plugin installed offline), PACKER_BUILD_TIMESTAMP, HW_PROJECT_ID, HW_AUTH_URL, CCE_CLOUD,
# CCE_ENDPOINT_IAM, IAM_SECURITY_TOKEN (with a temporary AK/SK; plugin 1.2.2), PKR_VAR_<name>.
set -euo pipefail

say() { printf 'packer.sh: %s\n' "$*" >&2; }
# The last line, always: a wizard that follows this build from its output (it may have been
# restarted meanwhile) learns from it how the build ended.
interrupted=0
finish() {
  if [ "$interrupted" -gt 0 ]; then say "finished: cancelled, status $1"; else say "finished: status $1"; fi
  exit "$1"
}
die() {
  say "ERROR: $*"
  finish 1
}

# Resolve the template before moving into the kit's folder, so a relative
# PACKER_TEMPLATE means what the operator meant.
kit_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
template=${PACKER_TEMPLATE:-$kit_dir/turbo-node.pkr.hcl}
[ -f "$template" ] || die "template '$template' not found (PACKER_TEMPLATE)."
template=$(cd "$(dirname "$template")" && pwd)/$(basename "$template")
cd "$kit_dir"

# ---- 1. The procedure's variables -------------------------------------------------------
required=(
  "REGION_NAME|region, e.g. ap-southeast-1"
  "IAM_ACCESS_KEY|access key (AK) of a temporary IAM credential"
  "IAM_SECRET_KEY|secret key (SK) of that credential"
  "ECS_VPC_ID|ID of the VPC for the temporary ECS"
  "ECS_NETWORK_ID|Network ID of the subnet (not the Subnet ID)"
  "ECS_SECGRP_ID|ID of a security group that allows TCP 22 from this executor"
  "CCE_SOURCE_IMAGE_ID|ID of the CCE base image to customise"
)
missing=0
for entry in "${required[@]}"; do
  name=${entry%%|*}
  if [ -z "${!name:-}" ]; then
    say "missing: $name (${entry#*|})"
    missing=$((missing + 1))
  fi
done
if [ "$missing" -gt 0 ]; then
  say "export the $missing variable(s) above, then run again. For the keys, without shell history:"
  say "  read -rs IAM_ACCESS_KEY && read -rs IAM_SECRET_KEY && export IAM_ACCESS_KEY IAM_SECRET_KEY"
  finish 1
fi

# ---- 2. The real Packer ----------------------------------------------------------------
# CentOS/RHEL's cracklib installs an unrelated /usr/sbin/packer that reads words from
# standard input and writes a dictionary named after its argument (version.pwd, ...) into
# the current folder: probe with stdin closed, a time limit, in a throwaway folder.
# HashiCorp's prints "Packer v<version>".
packer_version() {
  local scratch out
  scratch=$(mktemp -d)
  out=$(cd "$scratch" && timeout 10 "$1" version </dev/null 2>/dev/null) || true
  rm -rf "$scratch"
  printf '%s\n' "$out" | sed -n 's/^Packer v\([0-9][0-9.]*\).*/\1/p' | head -n1
}

PACKER=""
if [ -n "${PACKER_BIN:-}" ]; then
  [ -x "$PACKER_BIN" ] || die "PACKER_BIN='$PACKER_BIN' is not an executable file."
  [ -n "$(packer_version "$PACKER_BIN")" ] || die "PACKER_BIN='$PACKER_BIN' is not HashiCorp Packer ('$PACKER_BIN version' does not print 'Packer v...')."
  PACKER=$PACKER_BIN
else
  while IFS= read -r candidate; do
    if [ -n "$(packer_version "$candidate")" ]; then
      PACKER=$candidate
      break
    fi
    say "skipping $candidate: not HashiCorp Packer (cracklib's password tool is also called packer)."
  done < <(type -ap packer | awk '!seen[$0]++')
fi
if [ -z "$PACKER" ]; then
  die "HashiCorp Packer 1.7.2 or later not found. Install it from the HashiCorp repository
  (yum: yum-config-manager --add-repo https://rpm.releases.hashicorp.com/RHEL/hashicorp.repo && yum -y install packer;
   apt: see https://developer.hashicorp.com/packer/install), or set PACKER_BIN=/path/to/packer."
fi
version=$(packer_version "$PACKER")
say "using $PACKER (Packer $version)"

# ---- 3. Environment for Packer -------------------------------------------------------------
# Any non-empty value disables the update check; note that CHECKPOINT_DISABLE=false,
# as older instructions had it, disables nothing.
export CHECKPOINT_DISABLE=1
export PACKER_LOG=1
PACKER_BUILD_TIMESTAMP=${PACKER_BUILD_TIMESTAMP:-$(date +%Y%m%d%H%M%S)}
export PACKER_BUILD_TIMESTAMP

# The debug log holds the keys until it is redacted: it is created here, new and 0600, before
# Packer opens it. A link planted at its name (or at logs/) is refused, never written through.
[ -L logs ] && die "$kit_dir/logs is a symbolic link; remove it (the debug log is written only into a real folder)."
(umask 077 && mkdir -p logs) || die "cannot create $kit_dir/logs (is the folder writable?)."
export PACKER_LOG_PATH="$kit_dir/logs/packer_${PACKER_BUILD_TIMESTAMP}.log"
if [ -e "$PACKER_LOG_PATH" ] || [ -L "$PACKER_LOG_PATH" ]; then
  die "$PACKER_LOG_PATH already exists (a link planted there?); not writing the debug log through it. Remove it, or set another PACKER_BUILD_TIMESTAMP."
fi
(umask 077 && set -o noclobber && : >"$PACKER_LOG_PATH") 2>/dev/null || die "cannot create $PACKER_LOG_PATH (is $kit_dir/logs writable?)."
say "debug log: $PACKER_LOG_PATH"

# The IAM endpoint the plugin authenticates against. Plugin 0.4.0 uses HW_AUTH_URL or the
# global https://iam.myhuaweicloud.com:443/v3, which does not know the keys of other sites
# (the EU site's eu-west-10x regions live on myhuaweicloud.eu): there it gets the region's
# IAM, /v3 included. Plugin 1.x derives iam.<region>.myhuaweicloud.com (.eu for eu-west-10x)
# itself and uses HW_AUTH_URL as its IAM client's base, so a /v3 there would break its
# project lookup: it gets one only on another cloud domain (CCE_CLOUD). CCE_ENDPOINT_IAM, the
# wizard's own IAM endpoint, is the base when set. An exported HW_AUTH_URL always wins.
pinned=$(awk '
  /required_plugins[[:space:]]*\{/ { inside = 1 }
  inside && /^[[:space:]]*huaweicloud[[:space:]]*=/ { plugin = 1 }
  plugin && /^[[:space:]]*version[[:space:]]*=/ {
    if (match($0, /[0-9]+\.[0-9]+\.[0-9]+/)) { print substr($0, RSTART, RLENGTH); exit }
  }
' "$template")
plugin_pin=${pinned:-0.4.0}
case "$REGION_NAME" in
  eu-west-10*) default_cloud=myhuaweicloud.eu ;;
  *) default_cloud=myhuaweicloud.com ;;
esac
cloud=${CCE_CLOUD:-$default_cloud}
iam_base=${CCE_ENDPOINT_IAM:-https://iam.$REGION_NAME.$cloud}
iam_base=${iam_base%/}
if [ -n "${HW_AUTH_URL:-}" ]; then
  say "IAM endpoint for the plugin: HW_AUTH_URL=$HW_AUTH_URL (yours)"
elif [ "${plugin_pin%%.*}" -ge 1 ]; then
  if [ -n "${CCE_ENDPOINT_IAM:-}" ] || [ "$cloud" != "$default_cloud" ]; then
    export HW_AUTH_URL="$iam_base"
    say "IAM endpoint for plugin $plugin_pin: HW_AUTH_URL=$HW_AUTH_URL"
  else
    say "IAM endpoint: plugin $plugin_pin uses https://iam.$REGION_NAME.$cloud itself"
  fi
elif [ -n "${CCE_ENDPOINT_IAM:-}" ] || [ "$cloud" != myhuaweicloud.com ]; then
  export HW_AUTH_URL="$iam_base/v3"
  say "IAM endpoint for plugin $plugin_pin: HW_AUTH_URL=$HW_AUTH_URL (its default, the global .com IAM, does not know keys of $cloud)"
fi

# A temporary credential (AK, SK and security token) works with plugin 1.x, which reads the
# token from HW_SECURITY_TOKEN; plugin 0.4.0 knows no token and would be refused.
if [ -n "${IAM_SECURITY_TOKEN:-}" ]; then
  if [ -n "$pinned" ] && [ "${pinned%%.*}" -lt 1 ]; then
    die "IAM_SECURITY_TOKEN is set, but the template pins plugin $pinned, which takes no security token.
  Pin the plugin to 1.2.2 (version = \"= 1.2.2\" in required_plugins), or use a long-term key without a token."
  fi
  export HW_SECURITY_TOKEN=$IAM_SECURITY_TOKEN
fi

# Packer's own temporary files (packer-log*, packer-shell*) can hold the keys: they go to a
# private folder (0700) that is removed however packer.sh ends, short of being killed.
packer_tmp=$(mktemp -d "$kit_dir/.packer-tmp.XXXXXX") || die "cannot create a private temp folder in $kit_dir."
export TMPDIR=$packer_tmp
# shellcheck disable=SC2317  # called through trap
remove_packer_tmp() { rm -rf "$packer_tmp"; }
trap remove_packer_tmp EXIT

# The keys travel in the environment. scrub_keys replaces them in a stream, line by line
# (flushed at once, so whoever follows the output sees it live).
# mawk (Debian's awk) reads its input in blocks unless told to be interactive.
stream_awk=(awk)
if awk -W version 2>/dev/null | grep -q mawk; then stream_awk=(awk -W interactive); fi
# shellcheck disable=SC2317  # used in process substitutions
scrub_keys() {
  # shellcheck disable=SC2016  # an awk program, not shell
  "${stream_awk[@]}" '
    function scrub(line, key, mask,    out, i) {
      if (key == "") return line
      out = ""
      while ((i = index(line, key)) > 0) { out = out substr(line, 1, i - 1) mask; line = substr(line, i + length(key)) }
      return out line
    }
    { line = scrub($0, ENVIRON["IAM_SECURITY_TOKEN"], "<security token redacted>")
      line = scrub(line, ENVIRON["IAM_SECRET_KEY"], "<secret key redacted>")
      print scrub(line, ENVIRON["IAM_ACCESS_KEY"], "<access key redacted>"); fflush() }
  '
}

# The debug log can contain variable values, the keys included, whatever Packer's own
# filter does: replace them once Packer is done. The redacted copy is written in a private
# folder (mktemp -d), then renamed over the log; every step is checked, and a log that
# cannot be redacted (a full disk) is named loudly.
redact_log() {
  local log=$PACKER_LOG_PATH work
  [ -e "$log" ] || [ -L "$log" ] || return 0
  if [ -L "$log" ] || [ ! -f "$log" ]; then
    say "$log is no longer a regular file (a link planted there?): not redacted through it."
    return 1
  fi
  work=$(mktemp -d "$kit_dir/logs/.redact.XXXXXX") || return 1
  if scrub_keys <"$log" >"$work/log" && chmod 0600 "$work/log" && mv -f "$work/log" "$log"; then
    rm -rf "$work"
    return 0
  fi
  rm -rf "$work"
  return 1
}

# Runs one Packer command in the background and waits for it. On SIGINT/SIGTERM/SIGHUP it
# sends SIGTERM to Packer (whose wrapper process ignores SIGINT), which makes Packer cancel
# and delete what it created; we keep waiting until it has exited, however often we are
# signalled, so that it is never left running on its own.
#
# Packer 1.6.6 prints sensitive variables in clear: its output goes through scrub_keys. The
# filters ignore the signals (a Ctrl+C in a terminal reaches the whole process group): they
# must outlive Packer's clean-up, or its next line would kill it with SIGPIPE.
packer_pid=""
# shellcheck disable=SC2317  # called through trap
on_signal() {
  interrupted=$((interrupted + 1))
  if [ -z "$packer_pid" ]; then
    finish 130
  fi
  if [ "$interrupted" -eq 1 ]; then
    say "interrupted: asking Packer to cancel and delete the temporary resources (ECS, EIP, disk, key pair); please wait."
    kill -TERM "$packer_pid" 2>/dev/null || true
  else
    say "still waiting for Packer to finish its clean-up; stopping it now could leave billable resources behind."
  fi
}
trap on_signal INT TERM HUP

run_packer() {
  "$PACKER" "$@" > >(trap '' INT TERM HUP && scrub_keys) 2> >(trap '' INT TERM HUP && scrub_keys >&2) &
  packer_pid=$!
  local rc=0
  while :; do
    wait "$packer_pid" && rc=0 || rc=$?
    # wait returns >128 when a trapped signal arrived; Packer may still be running.
    if kill -0 "$packer_pid" 2>/dev/null; then continue; fi
    break
  done
  packer_pid=""
  return "$rc"
}

status=0
major_minor=$(echo "$version" | awk -F. '{ printf "%d%03d", $1, $2 }')
if [ "${PACKER_SKIP_INIT:-0}" = 1 ]; then
  say "PACKER_SKIP_INIT=1: skipping packer init (plugin installed offline)."
elif [ "$major_minor" -lt 1007 ]; then
  say "Packer $version has no 'packer init' (1.7.0+); the template's version check comes next."
else
  run_packer init "$template" || status=$?
fi
if [ "$status" -eq 0 ] && [ "$interrupted" -eq 0 ]; then
  run_packer validate "$template" || status=$?
fi
if [ "$status" -eq 0 ] && [ "$interrupted" -eq 0 ]; then
  run_packer build "$@" "$template" || status=$?
fi
if redact_log; then
  say "debug log (keys redacted): $PACKER_LOG_PATH"
else
  say "ERROR: could not redact the debug log $PACKER_LOG_PATH (disk full? see above): it may hold the keys in clear."
  say "ERROR: delete it now: rm -f '$PACKER_LOG_PATH'"
  [ "$status" -eq 0 ] && status=1
fi
if [ "$interrupted" -gt 0 ]; then
  say "cancelled; Packer exited with status $status."
  [ "$status" -eq 0 ] && status=130
elif [ "$status" -ne 0 ]; then
  say "failed with status $status; see the messages above and the debug log."
fi
finish "$status"
