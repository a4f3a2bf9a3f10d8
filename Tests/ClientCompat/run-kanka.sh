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
source "$here/sandbox-lib.sh"
rate="30/6s"

make_venv "${KANKA_VENV:-$root/.venv-kanka}" "python-kanka==2.6.4"
GALLERY_HUB_SANDBOX_KANKA_RATE="$rate" start_sandbox "$binary" kanka
export KANKA_BASE_URL="$(read_field baseURL)"
export KANKA_TOKEN="$(read_field token)"
export KANKA_CAMPAIGN="$(read_field campaignId)"
export KANKA_FOLDERS="$(read_field folders)"
export KANKA_RATE="${rate%%/*}"
window="${rate#*/}"
export KANKA_WINDOW_SECONDS="${window%s}"

"$venv/bin/python" "$here/kanka_client_check.py"
