#!/usr/bin/env bash
# Runs konigle 1.0.3 (the official Python SDK) against `gallery-hub sandbox --only konigle`.
# Usage: Tests/ClientCompat/run-konigle.sh .build/debug/gallery-hub
# Creates a Python 3.12 venv (.venv-konigle, reused), installs the SDK, starts the sandbox, runs
# konigle_client_check.py, and always stops the sandbox.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
binary="${1:?usage: run-konigle.sh PATH/TO/gallery-hub}"
[[ "$binary" = /* ]] || binary="$root/$binary"
venv="${KONIGLE_VENV:-$root/.venv-konigle}"

if [[ ! -x "$venv/bin/python" ]]; then
    PYENV_VERSION=3.12.1 pyenv exec python -m venv "$venv" || { echo "cannot create a Python 3.12 venv"; exit 1; }
fi
"$venv/bin/pip" install --quiet --disable-pip-version-check "konigle==1.0.3" || { echo "pip install failed"; exit 1; }

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

"$binary" sandbox --only konigle --json > "$work/sandbox.json" 2> "$work/sandbox.log" &
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
    "$venv/bin/python" -c 'import json,sys; print(json.load(open(sys.argv[1]))["emulators"]["konigle"][sys.argv[2]])' \
        "$work/sandbox.json" "$1"
}
export KONIGLE_BASE_URL="$(read_field baseURL)"
export KONIGLE_API_KEY="$(read_field apiKey)"

"$venv/bin/python" "$here/konigle_client_check.py"
