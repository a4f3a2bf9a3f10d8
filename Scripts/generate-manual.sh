#!/usr/bin/env bash
# Regenerates Docs/man/gallery-hub.1 from the commands (swift-argument-parser's generate-manual plugin).
# `--check` regenerates into the build folder and fails when the checked-in page differs (CI runs it).
set -euo pipefail
cd "$(dirname "$0")/.."
date=2026-12-06   # the page's date: change it when the commands change
swift package generate-manual --configuration debug --date "$date" > /dev/null
page=.build/plugins/GenerateManual/outputs/gallery-hub/gallery-hub.1
if [[ "${1:-}" == "--check" ]]; then
    if ! diff -u Docs/man/gallery-hub.1 "$page"; then
        echo "Docs/man/gallery-hub.1 is out of date: run Scripts/generate-manual.sh and commit it" >&2
        exit 1
    fi
    echo "man page up to date"
else
    mkdir -p Docs/man && cp "$page" Docs/man/gallery-hub.1
fi
