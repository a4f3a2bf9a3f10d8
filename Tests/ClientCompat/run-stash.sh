#!/usr/bin/env bash
# Runs stash-graphql-client 0.12.12 (the official Python client) against `gallery-hub sandbox --only stash`.
# Usage: Tests/ClientCompat/run-stash.sh .build/debug/gallery-hub
# Creates a Python 3.12 venv (.venv-stash, reused), installs the client, starts the sandbox with its library in a
# temporary folder, runs stash_client_check.py, and always stops the sandbox.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
binary="${1:?usage: run-stash.sh PATH/TO/gallery-hub}"
[[ "$binary" = /* ]] || binary="$root/$binary"
venv="${STASH_VENV:-$root/.venv-stash}"

if [[ ! -x "$venv/bin/python" ]]; then
    PYENV_VERSION=3.12.1 pyenv exec python -m venv "$venv" || { echo "cannot create a Python 3.12 venv"; exit 1; }
fi
"$venv/bin/pip" install --quiet --disable-pip-version-check "stash-graphql-client==0.12.12" \
    || { echo "pip install failed"; exit 1; }

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

"$binary" sandbox --only stash --json --data "$work/data" > "$work/sandbox.json" 2> "$work/sandbox.log" &
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
    "$venv/bin/python" -c 'import json,sys; print(json.load(open(sys.argv[1]))["emulators"]["stash"][sys.argv[2]])' \
        "$work/sandbox.json" "$1"
}
export STASH_URL="$(read_field url)"
export STASH_API_KEY="$(read_field apiKey)"
export STASH_LIBRARY_DIR="$(read_field libraryDir)"

"$venv/bin/python" "$here/stash_client_check.py"
