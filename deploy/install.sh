#!/usr/bin/env bash
# Installs IolaEdge on a Raspberry Pi (64-bit Raspberry Pi OS) or any systemd Linux: the published
# daemon in /opt/iolaedge, a system user `iolaedge` in groups bluetooth/audio/gpio, the systemd unit,
# and the default configuration in /etc/iolaedge (never overwriting an edited one). Idempotent.
#
#   deploy/install.sh [--published DIR] [--runtime RID] [--prefix ROOT] [--dry-run] [--no-systemctl]
#
#   --published DIR  install this `dotnet publish` output instead of publishing (e.g. built on a PC)
#   --runtime RID    runtime to publish for when no --published (default linux-arm64)
#   --prefix ROOT    install into ROOT instead of / (an image being prepared, or a test); implies --no-systemctl
#   --dry-run        print what would be done, change nothing
#   --no-systemctl   do not run systemctl daemon-reload / enable
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
published=""
rid=linux-arm64
root=""
dry=0
systemctl_ok=1
while (($#)); do
  case "$1" in
    --published) published="$2"; shift 2 ;;
    --runtime) rid="$2"; shift 2 ;;
    --prefix) root="$(realpath -m "$2")"; systemctl_ok=0; shift 2 ;;
    --dry-run) dry=1; shift ;;
    --no-systemctl) systemctl_ok=0; shift ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
done
[[ "$root" == "/" ]] && root=""

user=iolaedge
groups=(bluetooth audio gpio)
opt="$root/opt/iolaedge"
etc="$root/etc/iolaedge"
unit="$root/etc/systemd/system/iolaedge.service"
state="$root/var/lib/iolaedge"

run() {
  if ((dry)); then printf 'would run:'; printf ' %q' "$@"; printf '\n'; else "$@"; fi
}
say() { echo "install: $*"; }
# useradd/groupadd act on ROOT's /etc/passwd and /etc/group with --prefix (shadow >= 4.9).
prefix_args=()
[[ -n "$root" ]] && prefix_args=(--prefix "$root")
has_group() { grep -q "^$1:" "$root/etc/group" 2>/dev/null; }
has_user() { grep -q "^$1:" "$root/etc/passwd" 2>/dev/null; }
in_group() { grep -q "^$1:[^:]*:[^:]*:\(.*,\)\?$2\(,.*\)\?$" "$root/etc/group" 2>/dev/null; }

if [[ -z "$root" && $dry -eq 0 && $(id -u) -ne 0 ]]; then
  echo "install.sh: run as root (or use --prefix/--dry-run)" >&2
  exit 1
fi

# 1. The published daemon.
if [[ -z "$published" ]]; then
  if ((dry)); then
    say "would publish self-contained $rid with $here/publish.sh"
    published="<publish output>"
  else
    published="$("$here/publish.sh" --runtime "$rid" --output "$(mktemp -d)/iolaedge")"
  fi
fi
if ((!dry)) && [[ ! -x "$published/iolaedge" ]]; then
  echo "install.sh: $published/iolaedge missing: not a publish output" >&2
  exit 1
fi
if ((!dry)) && [[ -d "$opt" ]] && diff -rq --exclude=docs "$published" "$opt" >/dev/null 2>&1; then
  say "$opt unchanged"
else
  # Copy beside, then swap: a running service keeps its mapped files; the next start gets the new ones.
  run mkdir -p "$(dirname "$opt")"
  run rm -rf "$opt.new" "$opt.old"
  run cp -a "$published" "$opt.new"
  [[ -d "$opt" ]] && run mv "$opt" "$opt.old"
  run mv "$opt.new" "$opt"
  run rm -rf "$opt.old"
  run mkdir -p "$opt/docs"
  [[ -f "$here/../docs/deploy.md" ]] && run cp "$here/../docs/deploy.md" "$opt/docs/deploy.md"
  say "$( ((dry)) && echo "would install" || echo "installed") daemon in $opt"
fi

# 2. The service user and its groups (gpio does not exist on plain Debian; bluetooth comes with bluez).
for g in "${groups[@]}"; do
  has_group "$g" || { run groupadd "${prefix_args[@]}" --system "$g"; say "created group $g"; }
done
if ! has_user "$user"; then
  run useradd "${prefix_args[@]}" --system --user-group --home-dir /var/lib/iolaedge --no-create-home \
    --shell /usr/sbin/nologin --comment "IolaEdge daemon" "$user"
  say "created user $user"
fi
for g in "${groups[@]}"; do
  in_group "$g" "$user" || { run usermod "${prefix_args[@]}" -a -G "$g" "$user"; say "added $user to $g"; }
done

# 3. Configuration: the default goes in as iolaedge.json only if there is none; .dist is always current.
run mkdir -p "$etc"
run install -m 0644 "$here/iolaedge.json" "$etc/iolaedge.json.dist"
if [[ -e "$etc/iolaedge.json" ]]; then
  say "kept existing $etc/iolaedge.json (new defaults in iolaedge.json.dist)"
else
  run install -m 0640 "$here/iolaedge.json" "$etc/iolaedge.json"
  say "installed default $etc/iolaedge.json"
fi

# 4. The unit (ours: always replaced) and the state directory (systemd's StateDirectory= also makes it).
run mkdir -p "$(dirname "$unit")" "$state"
run install -m 0644 "$here/systemd/iolaedge.service" "$unit"
if ((!dry)) && has_user "$user"; then
  uid=$(grep "^$user:" "$root/etc/passwd" | cut -d: -f3)
  gid=$(grep "^$user:" "$root/etc/passwd" | cut -d: -f4)
  chown "$uid:$gid" "$state"
  chown "root:$gid" "$etc/iolaedge.json" 2>/dev/null || true
  # "save" on the tuning page writes the configuration back: a temporary file and a backup beside it.
  chown "root:$gid" "$etc" 2>/dev/null || true
  chmod 0770 "$etc"
  chmod 0660 "$etc/iolaedge.json"
fi
say "installed unit $unit"

if ((systemctl_ok)) && [[ -d /run/systemd/system ]]; then
  run systemctl daemon-reload
  run systemctl enable iolaedge.service
  say "enabled; start with: systemctl start iolaedge && journalctl -fu iolaedge"
else
  say "systemctl not run (--prefix/--no-systemctl or no systemd); then: systemctl daemon-reload && systemctl enable --now iolaedge"
fi
