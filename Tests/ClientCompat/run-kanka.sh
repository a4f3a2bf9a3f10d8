#!/usr/bin/env bash
# Runs python-kanka 2.6.4 (the official Python client) against `gallery-hub sandbox --only kanka`.
# Usage: Tests/ClientCompat/run-kanka.sh .build/debug/gallery-hub
# Creates a Python 3.12 venv (.venv-kanka, reused), installs the client, starts the sandbox with a short
# throttle window (30 requests per 6 s), runs kanka_client_check.py, and always stops the sandbox.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
binary="${1:?usage: run-kanka.sh PATH/TO/gallery-hub}"
[[ "$binary" = /* ]] || binary="$root/$binary"
venv="${KANKA_VENV:-$root/.venv-kanka}"
rate="30/6s"

if [[ ! -x "$venv/bin/python" ]]; then
    PYENV_VERSION=3.12.1 pyenv exec python -m venv "$venv" || { echo "cannot create a Python 3.12 venv"; exit 1; }
fi
"$venv/bin/pip" install --quiet --disable-pip-version-check "python-kanka==2.6.4" || { echo "pip install failed"; exit 1; }

work="$(mktemp -d)"
sandbox_pid=""
cleanup() {
    if [[ -n "$sandbox_pid" ]]; then
        kill "$sandbox_pid" 2>/dev/null
        wait "$sandbox_pid" 2>/dev/null
    fi
    rm -rf "$work"
}
trap cleanup EXIT

GALLERY_HUB_SANDBOX_KANKA_RATE="$rate" "$binary" sandbox --only kanka --json > "$work/sandbox.json" 2> "$work/sandbox.log" &
sandbox_pid=$!
for _ in $(seq 1 100); do
    [[ -s "$work/sandbox.json" ]] && break
    if ! kill -0 "$sandbox_pid" 2>/dev/null; then
        echo "the sandbox exited early:"; cat "$work/sandbox.log"; exit 1
    fi
    sleep 0.1
done
[[ -s "$work/sandbox.json" ]] || { echo "the sandbox did not report ready"; cat "$work/sandbox.log"; exit 1; }

read_field() {
    "$venv/bin/python" -c 'import json,sys; print(json.load(open(sys.argv[1]))["emulators"]["kanka"][sys.argv[2]])' \
        "$work/sandbox.json" "$1"
}
export KANKA_BASE_URL="$(read_field baseURL)"
export KANKA_TOKEN="$(read_field token)"
export KANKA_CAMPAIGN="$(read_field campaignId)"
export KANKA_FOLDERS="$(read_field folders)"
export KANKA_RATE="${rate%%/*}"
window="${rate#*/}"
export KANKA_WINDOW_SECONDS="${window%s}"

"$venv/bin/python" "$here/kanka_client_check.py"
