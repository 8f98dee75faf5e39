#!/usr/bin/env bash
# Build a Debian root filesystem (tar) with a Lifeboat bundle installed. Called by
# build_image.sh --rootfs; usable alone. Needs the network (Debian mirror) and root, or
# mmdebstrap's unshare mode as a normal user.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BUNDLE=""; OUTPUT=""; SUITE=bookworm; MIRROR=""; TOOL=""

usage() {
  cat <<'USAGE'
Usage: images/rootfs/build_rootfs.sh --bundle DIR --output FILE.tar [OPTIONS]
  --bundle DIR        a bundle directory built by build_image.sh
  --output FILE.tar   where to write the root filesystem tarball
  --suite NAME        Debian suite (default bookworm: Python 3.11, as the bundle expects)
  --mirror URL        Debian mirror (default: the build tool's own default)
  --rootfs-tool T     mmdebstrap or debootstrap (default: mmdebstrap if installed)
  -h, --help          this help
USAGE
}
die() { echo "build_rootfs.sh: $*" >&2; exit 1; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --bundle) BUNDLE="${2:?}"; shift 2 ;;
    --output) OUTPUT="${2:?}"; shift 2 ;;
    --suite) SUITE="${2:?}"; shift 2 ;;
    --mirror) MIRROR="${2:?}"; shift 2 ;;
    --rootfs-tool) TOOL="${2:?}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done
[[ -n "$BUNDLE" && -n "$OUTPUT" ]] || { usage >&2; exit 2; }
[[ -f "$BUNDLE/install.sh" ]] || die "$BUNDLE is not a Lifeboat bundle"
BUNDLE="$(cd "$BUNDLE" && pwd)"
if [[ -z "$TOOL" ]]; then
  if command -v mmdebstrap >/dev/null 2>&1; then TOOL=mmdebstrap
  elif command -v debootstrap >/dev/null 2>&1; then TOOL=debootstrap
  else die "neither mmdebstrap nor debootstrap is installed: apt-get install mmdebstrap"; fi
fi
command -v "$TOOL" >/dev/null 2>&1 || die "'$TOOL' is missing: install the Debian package '$TOOL'"
INCLUDE="$(grep -v -e '^#' -e '^$' "$HERE/packages.txt" | paste -sd, -)"
free_kb=$(df -Pk "$(dirname "$OUTPUT")" | awk 'NR==2 {print $4}')
(( free_kb > 4 * 1024 * 1024 )) || die "a root filesystem needs about 4 GB free near $OUTPUT"

case "$TOOL" in
  mmdebstrap)
    mmdebstrap --variant=minbase --include="$INCLUDE" \
      --customize-hook="\"$HERE/customize.sh\" \"\$1\" \"$BUNDLE\"" \
      "$SUITE" "$OUTPUT" ${MIRROR:+"$MIRROR"}
    ;;
  debootstrap)
    [[ $EUID -eq 0 ]] || die "debootstrap needs root (or install mmdebstrap)"
    tree="$(mktemp -d "$(dirname "$OUTPUT")/.rootfs-XXXXXX")"
    trap 'umount -R "$tree/proc" 2>/dev/null || true; rm -rf "$tree"' EXIT
    debootstrap --variant=minbase --include="$INCLUDE" "$SUITE" "$tree" ${MIRROR:+"$MIRROR"}
    mount -t proc proc "$tree/proc"
    "$HERE/customize.sh" "$tree" "$BUNDLE"
    umount "$tree/proc"
    tar -C "$tree" --numeric-owner -cf "$OUTPUT.partial" . && mv "$OUTPUT.partial" "$OUTPUT"
    ;;
  *) die "--rootfs-tool must be mmdebstrap or debootstrap" ;;
esac
echo "build_rootfs.sh: wrote $OUTPUT" >&2
