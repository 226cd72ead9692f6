# Starts the S3-compatible server the S3 artifact store's tests run against, and exports where it is:
#   NECROCODE_S3_TEST_ENDPOINT  http://127.0.0.1:4568 (override the port with NECROCODE_S3_TEST_PORT)
# The server is s3rver (npm, pinned in eng/services/s3rver/package-lock.json), keeping its objects under
# ${NECROCODE_S3_TEST_DATA:-/tmp/necrocode-s3rver}. Source it (". eng/services/s3.sh"): it only returns, never exits.
# Idempotent: installs once, and leaves a server that already answers on the port alone.

necrocode_s3_answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

necrocode_s3_start() {
  local dir port data log
  dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/s3rver"
  port="${NECROCODE_S3_TEST_PORT:-4568}"
  data="${NECROCODE_S3_TEST_DATA:-/tmp/necrocode-s3rver}"
  log="$data.log"

  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "Installing nodejs and npm for the S3 test server"
    local sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq nodejs npm >/dev/null || return 1
  fi

  if [ ! -f "$dir/node_modules/s3rver/package.json" ]; then
    echo "Installing s3rver (npm ci in $dir)"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) || return 1
  fi

  if ! necrocode_s3_answers "$port"; then
    echo "Starting s3rver on 127.0.0.1:$port (objects in $data, log $log)"
    mkdir -p "$data"
    setsid node "$dir/node_modules/s3rver/bin/s3rver.js" --directory "$data" --address 127.0.0.1 --port "$port" \
      --silent --no-vhost-buckets >"$log" 2>&1 </dev/null &
    local _
    for _ in $(seq 1 60); do
      necrocode_s3_answers "$port" && break
      sleep 0.5
    done
    necrocode_s3_answers "$port" || { echo "s3rver did not start:"; tail -n 20 "$log"; return 1; }
  fi

  export NECROCODE_S3_TEST_ENDPOINT="http://127.0.0.1:$port"
  echo "S3 test server: $NECROCODE_S3_TEST_ENDPOINT"
}

necrocode_s3_start
