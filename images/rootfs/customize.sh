#!/usr/bin/env bash
# Turn a freshly bootstrapped Debian tree into a Lifeboat appliance.
# Usage: customize.sh ROOT BUNDLE_DIR   (runs as root, or inside mmdebstrap's user namespace)
set -euo pipefail
ROOT="${1:?root directory}"
BUNDLE="${2:?bundle directory}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
KIOSK_USER=lifeboat

echo lifeboat > "$ROOT/etc/hostname"
printf '127.0.0.1\tlocalhost\n127.0.1.1\tlifeboat\n::1\tlocalhost ip6-localhost\n' > "$ROOT/etc/hosts"

# The kiosk user: not root, no password, no sudo; its shell is the app.
install -m 0755 "$HERE/lifeboat-session" "$ROOT/usr/local/bin/lifeboat-session"
grep -qx /usr/local/bin/lifeboat-session "$ROOT/etc/shells" \
  || echo /usr/local/bin/lifeboat-session >> "$ROOT/etc/shells"
chroot "$ROOT" useradd --create-home --user-group --shell /usr/local/bin/lifeboat-session \
  --comment "Lifeboat appliance" "$KIOSK_USER"
chroot "$ROOT" passwd --lock "$KIOSK_USER" >/dev/null
chroot "$ROOT" passwd --lock root >/dev/null
chmod 0700 "$ROOT/home/$KIOSK_USER"

# Auto-login on tty1 straight into the app.
install -d "$ROOT/etc/systemd/system/getty@tty1.service.d"
install -m 0644 "$HERE/getty-autologin.conf" \
  "$ROOT/etc/systemd/system/getty@tty1.service.d/autologin.conf"

# Nothing listens: drop inbound traffic, and make sure no remote-login service is present.
install -m 0755 "$HERE/nftables.conf" "$ROOT/etc/nftables.conf"
chroot "$ROOT" systemctl enable nftables.service >/dev/null 2>&1 \
  || ln -sf /lib/systemd/system/nftables.service \
       "$ROOT/etc/systemd/system/sysinit.target.wants/nftables.service"
for unit in ssh.service sshd.service avahi-daemon.service cups.service; do
  chroot "$ROOT" systemctl mask "$unit" >/dev/null 2>&1 || true
done

# The Lifeboat release itself, through the same verified installer IT uses.
install -d "$ROOT/tmp/lifeboat-bundle"
cp -a "$BUNDLE/." "$ROOT/tmp/lifeboat-bundle/"
chroot "$ROOT" /tmp/lifeboat-bundle/install.sh --prefix /opt/lifeboat --python /usr/bin/python3
rm -rf "$ROOT/tmp/lifeboat-bundle"

# Keep the image small and free of the build host's traces.
chroot "$ROOT" apt-get clean
rm -rf "$ROOT"/var/lib/apt/lists/* "$ROOT"/var/log/*.log
: > "$ROOT/etc/machine-id"
