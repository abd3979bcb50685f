#!/usr/bin/env bash
# Fails when any layer of the image holds a secret or developer data: a .data folder, a .env file,
# a draw key, something under run/secrets (where build secrets are mounted), a PEM private key, or
# a certificate of the CA bundle given to the build that Node does not ship itself (a
# TLS-inspecting proxy's CA). Every layer is checked, not only the final file system: a file
# deleted by a later layer is still in the image. Private keys and the CA are looked for in the
# layers the Dockerfile adds, not the base image's (built or pulled without the secret): Debian's
# libgnutls carries its self-test keys, and the base's node binary certificates Node 24 no
# longer trusts.
# Usage: check-layers.sh IMAGE BASE_IMAGE CA_BUNDLE WORK_DIR. Needs buildah, jq, tar, Node 24.
set -euo pipefail
image="$1" base="$2" ca_bundle="$3" dir="$4"
node24=node_modules/.bin/node
fail() {
  echo "test:image: FAILED: $*" >&2
  exit 1
}

mkdir -p "$dir"
buildah push --quiet "$image" "oci:$dir/oci:image" >/dev/null
blob() { echo "$dir/oci/blobs/${1/://}"; }
manifest="$(blob "$(jq -r '.manifests[0].digest' "$dir/oci/index.json")")"
mapfile -t layers < <(jq -r '.layers[].digest' "$manifest")
[ ${#layers[@]} -gt 0 ] || fail "the image has no layers"
base_layers="$(buildah inspect --type image "$base" | jq '.OCIv1.rootfs.diff_ids | length')"

# Lines from the certificates of the build's CA bundle that are not among Node's own roots.
"$node24" -e "
  const { rootCertificates } = require('node:tls');
  const bundle = require('node:fs').readFileSync(process.argv[1], 'utf8');
  const squash = (pem) => pem.replace(/\s+/g, '');
  const lines = (pem) => pem.split('\n').filter((line) => /^[A-Za-z0-9+/]{64}\$/.test(line));
  const known = new Set(rootCertificates.map(squash));
  // Lines of the names shared with another certificate of the same issuer are left out.
  const knownLines = new Set(rootCertificates.flatMap(lines));
  for (const pem of bundle.match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g) ?? []) {
    if (known.has(squash(pem))) continue;
    const own = lines(pem).slice(6).filter((line) => !knownLines.has(line));
    for (const line of own.slice(0, 3)) console.log(line);
  }" "$ca_bundle" >"$dir/ca-markers"
ca_certificates=$(($(wc -l <"$dir/ca-markers") / 3))

forbidden_names='(^|/)\.data(/|$)|(^|/)\.env(\.[^/]*)?$|(^|/)draw\.key$|(^|/)npm_ca$|^(\./)?run/secrets/.'
private_key='-----BEGIN ([A-Z0-9]+ )?PRIVATE KEY-----'
bytes=0
index=0
for digest in "${layers[@]}"; do
  index=$((index + 1))
  layer="$(blob "$digest")"
  bytes=$((bytes + $(stat -c %s "$layer")))
  short="${digest#sha256:}"
  short="${short:0:12}"
  if tar -tf "$layer" | grep -E "$forbidden_names" >"$dir/names"; then
    fail "layer $short holds: $(head -n 10 "$dir/names" | tr '\n' ' ')"
  fi
  # A PEM private key: its first line followed by base64, not just the words in some code.
  # grep -c, not -q: with pipefail, tar killed by a grep that stopped at the first match would
  # turn a match into a failed pipeline, and so into a pass.
  if [ "$index" -gt "$base_layers" ] &&
    tar -xOf "$layer" | grep -a -A1 -E -e "$private_key" | grep -c -a -E '^[A-Za-z0-9+/]{40,}$' >/dev/null; then
    mkdir -p "$dir/extract" && tar -xf "$layer" -C "$dir/extract" 2>/dev/null || true
    fail "layer $short holds a PEM private key: $(grep -r -l -a -E -e "$private_key" "$dir/extract" | head -n 5 | tr '\n' ' ')"
  fi
  if [ "$index" -gt "$base_layers" ] && [ -s "$dir/ca-markers" ] && tar -xOf "$layer" | grep -c -a -F -f "$dir/ca-markers" >/dev/null; then
    fail "layer $short holds a certificate of $ca_bundle that Node does not ship (the build secret's CA)"
  fi
done
echo "${#layers[@]}" >"$dir/count"
echo "$bytes" >"$dir/bytes"
echo "test:image: no .data, .env, draw key, run/secrets, PEM private key or build CA (${ca_certificates} certificates of $ca_bundle not shipped by Node) in any of the ${#layers[@]} layers (private keys and CA: in the $((${#layers[@]} - base_layers)) layers above the base's $base_layers)"
