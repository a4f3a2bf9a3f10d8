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
source "$here/sandbox-lib.sh"

make_venv "${KONIGLE_VENV:-$root/.venv-konigle}" "konigle==1.0.3"
start_sandbox "$binary" konigle
export KONIGLE_BASE_URL="$(read_field baseURL)"
export KONIGLE_API_KEY="$(read_field apiKey)"

"$venv/bin/python" "$here/konigle_client_check.py"
