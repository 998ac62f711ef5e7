#!/usr/bin/env bash
# Runs every test project (built by ./ktp) and closes with one 'N passed, N failed' line.
# Test projects that need RabbitMQ/PostgreSQL/Redis start them through scripts/services.sh themselves.
set -uo pipefail
KTP_ROOT=${KTP_ROOT:?run through ./ktp test}
KTP_CONFIG=${KTP_CONFIG:-Release}
export OMP_THREAD_LIMIT=1
filter=()
[ $# -gt 0 ] && filter=(--filter "$*")
shared="$KTP_ROOT/../shared/data/samples/specimens"
if [ ! -d "$shared" ]; then
  # The specimens and reference data are read from the workplace's shared/ beside the checkout, never copied in.
  echo "ktp test: $shared not found: run the tests from a checkout that sits beside shared/ (as on CI)" >&2
  exit 2
fi
results="$KTP_ROOT/.ktp/test-results"; rm -rf "$results"; mkdir -p "$results"
if [ -x "$KTP_ROOT/scripts/services.sh" ]; then "$KTP_ROOT/scripts/services.sh" start || exit 1; fi
passed=0; failed=0; skipped=0; rc=0
for proj in "$KTP_ROOT"/tests/*/*.Tests.csproj; do
  name=$(basename "$proj" .csproj)
  echo "== $name"
  out="$results/$name.log"
  dotnet test "$proj" -c "$KTP_CONFIG" --no-build --nologo "${filter[@]}" \
    --logger "trx;LogFileName=$name.trx" --results-directory "$results" 2>&1 | tee "$out" \
    | grep -E '^\s*(Failed |Passed!|Failed!|Skipped!|\s+Error Message|Total tests)' || true
  [ "${PIPESTATUS[0]}" = 0 ] || rc=1
  trx="$results/$name.trx"
  if [ -f "$trx" ]; then
    counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
    p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
    n=$(sed -n 's/.* notExecuted="\([0-9]*\)".*/\1/p' <<<"$counters")
    passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${n:-0}))
  else
    rc=1; failed=$((failed + 1)); echo "   (no results: the test host did not run; see $out)"
  fi
done
echo
echo "$passed passed, $failed failed, $skipped skipped"
[ $failed -eq 0 ] || rc=1
exit $rc
