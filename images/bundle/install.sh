#!/usr/bin/env bash
# Lifeboat offline installer. Ships inside every bundle built by build_image.sh.
# Verifies the bundle (Ed25519 signature over SHA256SUMS, then every file's hash) before touching
# anything, installs into a new release directory with pip --no-index, and switches the
# `current` symlink atomically. Re-running after an interruption completes the install; the old
# version keeps running until the switch.
set -euo pipefail

BUNDLE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PREFIX=/opt/lifeboat
PYTHON=python3
TRUST_KEY=""
KEEP=3
ACTION=install
WITH_SYSTEMD=0
KIOSK_USER=lifeboat

usage() {
  cat <<'EOF'
Usage: ./install.sh [OPTIONS]

Install (or upgrade to) the Lifeboat release in this bundle, offline.

Options:
  --prefix DIR        install root (default /opt/lifeboat). Layout:
                        DIR/releases/<bundle-id>/   one complete release (venv, models, packs)
                        DIR/current -> releases/…   the running release (switched atomically)
                        DIR/previous -> releases/…  what --rollback returns to
                        DIR/bin/lifeboat            stable launcher (follows `current`)
                        DIR/trusted_bundle_key.pem  publisher key pinned by the first install
  --python PY         Python used for the venv (default python3); must match the bundle's
                      Python version (see manifest.json)
  --trust-key FILE    publisher public key (PEM) to verify against. Without it, an upgrade is
                      verified against the key pinned at DIR/trusted_bundle_key.pem, and a first
                      install trusts the bundle's own key and prints its fingerprint: compare it
                      with the one your IT department published before using the device.
  --verify-only       check the signature and every file, change nothing, exit
  --rollback          switch back to the previous release (run again to go forward)
  --keep N            releases kept on disk, current and previous included (default 3)
  --systemd           also install and enable lifeboat-kiosk.service (root; runs the app on
                      tty1 as --user instead of a login prompt)
  --user NAME         kiosk user for --systemd (default lifeboat; must exist)
  -h, --help          show this help

Exit status: 0 installed (or verified / rolled back); 1 refused or failed, with the reason.
Re-running after an interruption is always safe.
EOF
}

die() { echo "install.sh: $*" >&2; exit 1; }
say() { echo "install.sh: $*"; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --prefix) PREFIX="${2:?--prefix needs a directory}"; shift 2 ;;
    --python) PYTHON="${2:?--python needs an interpreter}"; shift 2 ;;
    --trust-key) TRUST_KEY="${2:?--trust-key needs a file}"; shift 2 ;;
    --verify-only) ACTION=verify; shift ;;
    --rollback) ACTION=rollback; shift ;;
    --keep) KEEP="${2:?--keep needs a number}"; shift 2 ;;
    --systemd) WITH_SYSTEMD=1; shift ;;
    --user) KIOSK_USER="${2:?--user needs a name}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done
[[ "$KEEP" =~ ^[0-9]+$ && "$KEEP" -ge 2 ]] || die "--keep must be a number >= 2"
PREFIX="$(realpath -m "$PREFIX")"

need() {  # need COMMAND DEBIAN-PACKAGE
  command -v "$1" >/dev/null 2>&1 || die "'$1' is missing: install the Debian package '$2'"
}

take_lock() {  # create the prefix, and let one installer at a time work in it
  mkdir -p "$PREFIX" 2>/dev/null || die "cannot create $PREFIX (run as root, or choose --prefix)"
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$PREFIX/.install.lock"
    flock 9
  fi
}

release_of() { [[ -L "$PREFIX/$1" ]] && basename "$(readlink "$PREFIX/$1")" || true; }

swap_link() {  # swap_link NAME RELEASE-ID: atomic (rename of a new symlink over the old)
  ln -sfn "releases/$2" "$PREFIX/.$1.new"
  mv -Tf "$PREFIX/.$1.new" "$PREFIX/$1"
}

if [[ "$ACTION" == rollback ]]; then
  [[ -d "$PREFIX" ]] || die "nothing is installed in $PREFIX"
  take_lock
  cur="$(release_of current)"; prev="$(release_of previous)"
  [[ -n "$prev" ]] || die "there is no previous release to roll back to in $PREFIX"
  [[ -f "$PREFIX/releases/$prev/.complete" ]] || die "previous release $prev is incomplete"
  swap_link current "$prev"
  if [[ -n "$cur" ]]; then swap_link previous "$cur"; fi
  sync
  say "rolled back: current is now $prev (was ${cur:-none}); run --rollback again to undo"
  exit 0
fi

# ---- Verify the bundle before anything else -----------------------------------------------
need sha256sum coreutils
# Only regular files and directories: a symlink would pass the hash check with the contents of
# whatever it points at (outside the bundle, and changeable after the check); devices and fifos
# have no business in a bundle at all.
odd="$(cd "$BUNDLE" && find . ! -type f ! -type d -printf '%P (%y)\n' | head -n 20)"
[[ -z "$odd" ]] || die "REFUSED: the bundle holds entries that are not plain files: \
$(echo "$odd" | tr '\n' ' ')(symlinks, devices and fifos are never part of a bundle). \
Nothing was changed."
[[ -f "$BUNDLE/SHA256SUMS" && -f "$BUNDLE/SHA256SUMS.sig" ]] \
  || die "$BUNDLE is not a signed bundle (SHA256SUMS or SHA256SUMS.sig missing)"
# The signed list is read once, into a private copy: every later step uses the bytes whose
# signature was checked, whatever the stick answers on a second read.
SUMS_DIR="$(mktemp -d)"
trap 'rm -rf "$SUMS_DIR"' EXIT
cp "$BUNDLE/SHA256SUMS" "$BUNDLE/SHA256SUMS.sig" "$SUMS_DIR/"
SUMS="$SUMS_DIR/SHA256SUMS"

verify_sig() {  # verify_sig PUBKEY: 0 when SHA256SUMS.sig is PUBKEY's signature
  if command -v openssl >/dev/null 2>&1; then
    openssl pkeyutl -verify -pubin -inkey "$1" -rawin -in "$SUMS" \
      -sigfile "$SUMS.sig" >/dev/null 2>&1
  elif "$PYTHON" -c 'import cryptography' >/dev/null 2>&1; then
    "$PYTHON" - "$1" "$SUMS" "$SUMS.sig" <<'PY'
import sys
from pathlib import Path
from cryptography.hazmat.primitives.serialization import load_pem_public_key
key = load_pem_public_key(Path(sys.argv[1]).read_bytes())
try:
    key.verify(Path(sys.argv[3]).read_bytes(), Path(sys.argv[2]).read_bytes())
except Exception:
    sys.exit(1)
PY
  else
    die "cannot check signatures: install the Debian package 'openssl' (or 'python3-cryptography')"
  fi
}

key_fingerprint() {
  if command -v openssl >/dev/null 2>&1; then
    openssl pkey -pubin -in "$1" -outform DER 2>/dev/null | tail -c 32 | sha256sum | cut -d' ' -f1
  else
    echo "(install openssl to see the fingerprint)"
  fi
}

PINNED="$PREFIX/trusted_bundle_key.pem"
if [[ -n "$TRUST_KEY" ]]; then
  KEY="$TRUST_KEY"
elif [[ -f "$PINNED" ]]; then
  KEY="$PINNED"
else
  KEY="$BUNDLE/bundle_signing_key.pem"
  [[ -f "$KEY" ]] || die "the bundle carries no public key and none was given (--trust-key)"
  say "first install: trusting the bundle's publisher key, fingerprint $(key_fingerprint "$KEY")"
  say "compare it with the fingerprint your IT department published"
fi
verify_sig "$KEY" || die "REFUSED: the signature does not match (key $KEY). The bundle was \
changed or signed by someone else; get a fresh copy from IT. Nothing was changed."

# Every file must be listed, and every listed file must match: an extra wheel would be installed.
(cd "$BUNDLE" && sha256sum --check --strict --quiet "$SUMS") >&2 \
  || die "REFUSED: a file in the bundle is corrupt or was changed (see above). Nothing was changed."
unlisted="$(cd "$BUNDLE" && find . -type f ! -name SHA256SUMS ! -name SHA256SUMS.sig \
  -printf '%P\n' | sort | comm -23 - <(sed -E 's/^[0-9a-f]{64} [ *]//' "$SUMS" | sort))"
[[ -z "$unlisted" ]] || die "REFUSED: files not covered by the signature: $unlisted. Nothing was changed."
# The wheels to install are the ones the signed list names, never whatever a glob finds.
mapfile -t WHEELS < <(sed -nE 's/^[0-9a-f]{64} [ *](wheels\/[^/]+\.whl)$/\1/p' \
  "$SUMS")

need "$PYTHON" python3
manifest() { "$PYTHON" -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' \
  "$BUNDLE/manifest.json" "$1"; }
ID="$(manifest bundle_id)"; WANT_PY="$(manifest python)"; VERSION="$(manifest version)"
# The id names a directory that is removed and recreated, so it must be one plain name.
[[ "$ID" =~ ^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$ ]] || die "REFUSED: the bundle id \
'$ID' is not a plain name (letters, digits, '.', '_', '-'). Nothing was changed."
say "bundle verified: signature and $(wc -l <"$SUMS") file hashes OK"
if [[ "$ACTION" == verify ]]; then exit 0; fi

# ---- Pre-flight on the target ------------------------------------------------------------
(( ${#WHEELS[@]} > 0 )) || die "the signed list names no wheels: this is not an installer bundle"
take_lock
"$PYTHON" -c 'import venv, ensurepip' >/dev/null 2>&1 \
  || die "'$PYTHON -m venv' does not work: install the Debian package 'python3-venv'"
HAVE_PY="$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
[[ "$HAVE_PY" == "$WANT_PY" ]] || die "this bundle was built for Python $WANT_PY but \
$PYTHON is $HAVE_PY: install python$WANT_PY or rebuild the bundle with that Python"
need_kb=$(( $(du -sk "$BUNDLE" | cut -f1) * 3 ))
free_kb=$(df -Pk "$PREFIX" | awk 'NR==2 {print $4}')
(( free_kb > need_kb )) || die "not enough disk space in $PREFIX: need $((need_kb/1024)) MB, \
have $((free_kb/1024)) MB. Remove old releases or free space."

REL="$PREFIX/releases/$ID"
if [[ -f "$REL/.complete" ]]; then
  say "release $ID is already installed; finishing the switch"
else
  # An earlier run was interrupted here: start this release again from nothing.
  rm -rf "$REL"
  mkdir -p "$REL/.incoming"
  # pip reads private copies of the wheels, checked again after copying: bytes the stick
  # changes after the check above are refused here, and any change later is not read at all.
  for w in "${WHEELS[@]}"; do cp -- "$BUNDLE/$w" "$REL/.incoming/"; done
  (cd "$REL/.incoming" && sed -nE 's/^([0-9a-f]{64}) [ *]wheels\/([^/]+\.whl)$/\1  \2/p' \
    "$SUMS" | sha256sum --check --strict --quiet -) >&2 || { rm -rf "$REL"; die "REFUSED: a \
wheel changed after the bundle was checked (see above); the stick may be faulty or tampered \
with. Nothing was installed."; }
  say "installing Lifeboat $VERSION ($ID) into $REL"
  "$PYTHON" -m venv "$REL/venv"
  # No index, no user/site pip configuration, no cache: only the verified wheels are used.
  pipi() {
    env -u PIP_INDEX_URL -u PIP_EXTRA_INDEX_URL -u PIP_FIND_LINKS -u PIP_CONSTRAINT \
      PIP_CONFIG_FILE=/dev/null PIP_NO_INDEX=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
      "$REL/venv/bin/python" -m pip install --no-index --no-cache-dir --quiet "$@"
  }
  # The wheel set was resolved for this Python and platform when the bundle was built, and the
  # signature covers exactly these files, so install them as they are: no resolver run, and
  # packages whose declared dependencies are not needed (manifest "no_deps": torch) stay alone.
  pipi --no-deps --no-compile "${WHEELS[@]/#wheels/$REL/.incoming}"
  rm -rf "$REL/.incoming"
  # Byte-compile on every core (pip does it on one); files that do not compile are skipped,
  # as pip would, and are compiled in memory if ever imported.
  "$REL/venv/bin/python" -m compileall -q -j 0 "$REL/venv/lib" >/dev/null 2>&1 || true
  "$REL/venv/bin/python" -c "import importlib.metadata as m; m.version('lifeboat')" \
    || die "the bundle does not contain the lifeboat package"
  mkdir -p "$REL/share"
  for d in models packs systemd; do
    if [[ -d "$BUNDLE/$d" ]]; then cp -a "$BUNDLE/$d" "$REL/share/$d"; fi
  done
  cp "$BUNDLE/manifest.json" "$REL/manifest.json"
  "$REL/venv/bin/lifeboat" --version >/dev/null \
    || die "the new release does not start; the running version was left as it was"
  # The assistant is optional (everything else works without it), so this only warns.
  "$REL/venv/bin/python" -c 'import llama_cpp' >/dev/null 2>&1 || say "WARNING: the local \
assistant cannot load (llama_cpp); install the Debian package 'libgomp1', or rebuild the bundle \
with --llama-portable if this CPU is older than the build machine's"
  sync
  echo "$ID" > "$REL/.complete"
  sync
fi

# ---- Switch -----------------------------------------------------------------------------
old="$(release_of current)"
if [[ -n "$old" && "$old" != "$ID" ]]; then swap_link previous "$old"; fi
swap_link current "$ID"
mkdir -p "$PREFIX/bin"
ln -sfn ../current/venv/bin/lifeboat "$PREFIX/bin/.lifeboat.new"
mv -Tf "$PREFIX/bin/.lifeboat.new" "$PREFIX/bin/lifeboat"
[[ -f "$PINNED" ]] || cp "$KEY" "$PINNED"
sync

# Keep the newest releases, never the current or previous one.
keepers=" $ID $(release_of previous) "
kept=2
while IFS= read -r r; do
  [[ "$keepers" == *" $r "* ]] && continue
  if (( kept < KEEP )); then kept=$((kept + 1)); continue; fi
  [[ "$r" =~ ^[A-Za-z0-9][A-Za-z0-9._-]*$ ]] || continue  # not one of ours: leave it
  rm -rf "${PREFIX:?}/releases/$r"
done < <(cd "$PREFIX/releases" && ls -1t)

if (( WITH_SYSTEMD )); then
  [[ $EUID -eq 0 ]] || die "--systemd needs root"
  sed -e "s|@PREFIX@|$PREFIX|g" -e "s|@USER@|$KIOSK_USER|g" \
    "$REL/share/systemd/lifeboat-kiosk.service" > /etc/systemd/system/lifeboat-kiosk.service
  systemctl daemon-reload && systemctl enable lifeboat-kiosk.service
  say "lifeboat-kiosk.service enabled (starts on next boot)"
fi

say "done: Lifeboat $VERSION is current (${old:+previous: $old; }rollback: $0 --prefix $PREFIX --rollback)"
say "run: $PREFIX/bin/lifeboat"
