# Sourced by the run-*.sh client checks: a Python 3.12 venv with one client, and one emulator of
# `gallery-hub sandbox` that is always stopped when the script exits.
# After `start_sandbox PLATFORM`, `read_field KEY` reads that emulator's entry of the ready document.

# make_venv DIR REQUIREMENT: creates the venv (reused when present) and installs REQUIREMENT into it.
make_venv() {
    venv="$1"
    if [[ ! -x "$venv/bin/python" ]]; then
        PYENV_VERSION=3.12.1 pyenv exec python -m venv "$venv" || { echo "cannot create a Python 3.12 venv"; exit 1; }
    fi
    "$venv/bin/pip" install --quiet --disable-pip-version-check "$2" || { echo "pip install failed"; exit 1; }
}

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

# start_sandbox BINARY PLATFORM [SANDBOX-FLAGS...]: starts the emulator and waits for its ready document.
start_sandbox() {
    platform="$2"
    "$1" sandbox --only "$platform" --json "${@:3}" > "$work/sandbox.json" 2> "$work/sandbox.log" &
    sandbox_pid=$!
    for _ in $(seq 1 100); do
        [[ -s "$work/sandbox.json" ]] && break
        if ! kill -0 "$sandbox_pid" 2>/dev/null; then
            echo "the sandbox exited early:"; cat "$work/sandbox.log"; exit 1
        fi
        sleep 0.1
    done
    [[ -s "$work/sandbox.json" ]] || { echo "the sandbox did not report ready"; cat "$work/sandbox.log"; exit 1; }
}

read_field() {
    "$venv/bin/python" -c 'import json,sys; print(json.load(open(sys.argv[1]))["emulators"][sys.argv[2]][sys.argv[3]])' \
        "$work/sandbox.json" "$platform" "$1"
}
