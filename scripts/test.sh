#!/usr/bin/env bash
# The project's test command: installs prerequisites, builds (Release, warnings as errors),
# runs every hook in scripts/test.d (non-.NET checks), then every .NET test project.
# Peer-backed tests (dbus-daemon, jackd, ONNX Runtime, Python) start their peers themselves.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
dotnet build IolaEdge.sln -c Release -nologo -clp:ErrorsOnly

for hook in scripts/test.d/*.sh; do
  [[ -e "$hook" ]] || continue
  echo "== $hook"
  bash "$hook"
done

results=$(mktemp -d)
status=0
# One test project at a time: the peer-backed ones (a headless Chromium, jackd, dbus-daemon) lose real-time
# deadlines when they share the two cores with the other projects' hosts (JACK dropped notes that way).
for project in tests/*/*.Tests.csproj; do
  dotnet test "$project" -c Release --no-build -nologo \
    --logger "trx;LogFileName=$(basename "$project" .csproj).trx" --results-directory "$results" "$@" || status=$?
done

passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [[ -e "$trx" ]] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); passed=$((passed + ${p:-0}))
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters"); failed=$((failed + ${f:-0}))
  s=$(sed -n 's/.* notExecuted="\([0-9]*\)".*/\1/p' <<<"$counters"); skipped=$((skipped + ${s:-0}))
done
rm -rf "$results"
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit $status
