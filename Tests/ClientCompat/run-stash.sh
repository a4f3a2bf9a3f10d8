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
source "$here/sandbox-lib.sh"

make_venv "${STASH_VENV:-$root/.venv-stash}" "stash-graphql-client==0.12.12"
# The library folder lives in the sandbox's data folder, removed with the rest of the work folder.
start_sandbox "$binary" stash --data "$work/data"
export STASH_URL="$(read_field url)"
export STASH_API_KEY="$(read_field apiKey)"
export STASH_LIBRARY_DIR="$(read_field libraryDir)"

"$venv/bin/python" "$here/stash_client_check.py"
