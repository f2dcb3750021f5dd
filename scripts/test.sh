#!/usr/bin/env bash
# One command to check esgledger: installs everything tests need (PostgreSQL included),
# lints and checks the formatting (ruff), type-checks (mypy, configured in pyproject.toml),
# and runs the whole suite on SQLite and PostgreSQL, on every core (pytest-xdist: one
# PostgreSQL server per worker; ESG_TEST_WORKERS=0 runs it in one process).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh test
# Bytecode once, so the workers and the servers they start do not each compile the package
# (a machine with PYTHONDONTWRITEBYTECODE set reads .pyc files but never writes them).
.venv/bin/python -m compileall -q -j 0 src >/dev/null
.venv/bin/ruff check src tests bench scripts
.venv/bin/ruff format --check src tests bench scripts
.venv/bin/mypy
# The suite's temporary files (pytest's tmp_path, each worker's PostgreSQL data folder, the
# demo) on /dev/shm when it is a tmpfs with room, so that the flushes the product rightly makes
# (esgledger.atomic's fsync, SQLite's WAL checkpoints) do not each wait for the disk; the
# folder is removed at the end. Set TMPDIR to keep them elsewhere (scripts/test_tmpdir.sh).
ram_tmp="$(scripts/test_tmpdir.sh)"
if [ -n "$ram_tmp" ]; then
  export TMPDIR="$ram_tmp"
  trap 'rm -rf "$ram_tmp"' EXIT
fi
# Each worker collects every test file, and pytest compiles a test file after rewriting its
# asserts; with PYTHONDONTWRITEBYTECODE it reads a cached rewrite but never writes one, so every
# run compiled them all again (collection 16.8 -> 10.2 CPU s a worker once cached, #20).
# The bytecode goes to tests/**/__pycache__ (ignored by git), as compileall's does for src.
env -u PYTHONDONTWRITEBYTECODE \
  .venv/bin/python -m pytest -n "${ESG_TEST_WORKERS:-auto}" --dist loadgroup "$@"
