#!/usr/bin/env bash
# Publishes iolaedge self-contained for a Linux runtime (default linux-arm64: 64-bit Raspberry Pi OS;
# ONNX Runtime ships no 32-bit ARM) into OUTPUT, and trims files that cannot run there.
#   deploy/publish.sh [--runtime RID] [--output DIR]
# The build runs in a private copy of the sources so it never touches the worktree's obj/ and bin/
# (a RID-specific restore would rewrite obj/project.assets.json under a running `dotnet test`).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
rid=linux-arm64
out=""
while (($#)); do
  case "$1" in
    --runtime) rid="$2"; shift 2 ;;
    --output) out="$2"; shift 2 ;;
    -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
    *) echo "publish.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
[[ -n "$out" ]] || out="$repo/artifacts/publish/$rid"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Only what the daemon's build reads: sources, linked content, central props, NuGet config if any.
for f in Directory.Build.props Directory.Packages.props global.json nuget.config NuGet.Config .editorconfig; do
  [[ -e "$repo/$f" ]] && cp "$repo/$f" "$work/"
done
# Content the projects link from outside src/ (the bundled walk, models).
for d in data models; do
  [[ -d "$repo/$d" ]] && cp -a "$repo/$d" "$work/$d"
done
mkdir -p "$work/src"
for p in "$repo"/src/*/; do
  name=$(basename "$p")
  mkdir -p "$work/src/$name"
  tar -C "$p" --exclude=./bin --exclude=./obj -cf - . | tar -C "$work/src/$name" -xf -
done

rm -rf "$out"
mkdir -p "$out"
dotnet publish "$work/src/IolaEdge.Daemon/IolaEdge.Daemon.csproj" -c Release -r "$rid" --self-contained \
  -p:DebugType=none -p:GenerateDocumentationFile=false -o "$out" -nologo -clp:ErrorsOnly >&2

# Trim: Windows runtime files that the ONNX Runtime package's netstandard .props copy into any
# ARM64 output (17 MB of PE files), and XML docs.
find "$out" -maxdepth 1 \( -iname '*.dll' -a \( -iname 'onnxruntime*.dll' -o -iname 'rtmidi*.dll' \) \) -print -delete >&2
find "$out" -maxdepth 1 -name '*.xml' -delete
test -x "$out/iolaedge"
echo "$out"
