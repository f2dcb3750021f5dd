#!/usr/bin/env bash
# Prints a new folder for the test suite's temporary files on a RAM file system, or nothing
# when the suite should keep the default (scripts/test.sh exports it as TMPDIR).
# Usage: scripts/test_tmpdir.sh [FOLDER [MIN_FREE_KIB]]   (defaults: /dev/shm, 4 GiB)
#
# Why: every test writes files (workspaces, exports, the demo, each worker's PostgreSQL data
# folder) and esgledger flushes what it must keep (fsync in esgledger.atomic, SQLite's WAL
# checkpoints), as it should. On a real disk each flush waits for the disk (~5 ms median,
# 10-15 ms at p90 on this machine's /dev/vda); on tmpfs it returns at once. The product's
# durability is unchanged: only where the tests' throwaway files live.
# Nothing is printed when TMPDIR is already set (the caller chose), when FOLDER is not a
# writable tmpfs, or when it has less than MIN_FREE_KIB free.
set -euo pipefail
folder="${1:-/dev/shm}"
min_free_kib="${2:-4194304}"
[ -z "${TMPDIR:-}" ] || exit 0
[ -d "$folder" ] && [ -w "$folder" ] || exit 0
[ "$(stat -f -c %T "$folder")" = "tmpfs" ] || exit 0
free_kib="$(df -Pk "$folder" | awk 'NR == 2 { print $4 }')"
[ "${free_kib:-0}" -ge "$min_free_kib" ] || exit 0
made="$(mktemp -d "$folder/esg-tests.XXXXXX")"
# Open to all with the sticky bit, as /tmp is: run as root, the suite starts its PostgreSQL
# servers as the postgres user, in folders it makes inside this one.
chmod 1777 "$made"
echo "$made"
