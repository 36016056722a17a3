#!/usr/bin/env bash
# Processes the tests left running: agents, QSDs, consoles and workers started from this
# checkout after their test ended. They would hold ports and CPU and slow or break the tests
# that follow, so `npm test` looks after each phase. With --kill they are stopped (`npm test`
# does that in CI only: on a developer's machine they may belong to a test still running).
set -uo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
declare -A mine=()
p=$$
while [ "${p:-0}" -gt 1 ]; do
  mine[$p]=1
  p=$(ps -o ppid= -p "$p" 2>/dev/null | tr -d ' ')
done
found=()
for d in /proc/[0-9]*; do
  pid=${d#/proc/}
  [ -n "${mine[$pid]:-}" ] && continue
  [ "$(readlink "$d/cwd" 2>/dev/null)" = "$root" ] || continue
  cmd=$(tr '\0' ' ' <"$d/cmdline" 2>/dev/null) || continue
  case "$cmd" in
    qemu-storage-daemon*|*apps/agent/src/main.ts*|*" server.ts"*|*server/worker.ts*) found+=("$pid") ;;
  esac
done
[ ${#found[@]} -eq 0 ] && exit 0
echo "processes left running by the tests (${#found[@]}):"
for pid in "${found[@]}"; do echo "  $pid $(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | cut -c1-160)"; done
if [ "${1:-}" = "--kill" ]; then
  kill "${found[@]}" 2>/dev/null
  sleep 2
  kill -9 "${found[@]}" 2>/dev/null
  echo "stopped them"
fi
exit 0
