#!/usr/bin/env bash
# One command to try esgledger: installs it, builds the demo group and its report in ./esg-demo.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh demo
exec .venv/bin/esg demo --out esg-demo "$@"
