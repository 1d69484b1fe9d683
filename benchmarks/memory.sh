#!/usr/bin/env bash
# Peak memory of `dealcheck check` on a big JSON Lines file: samples the summed RSS of the
# dealcheck process and its worker processes once a second (an over-count: forked workers
# share pages with the parent).
#   benchmarks/memory.sh benchmarks/out/deals-1m.jsonl 2 [CATALOG]
# CATALOG defaults to the large generated catalog, benchmarks/out/catalog.
# Make the 1,000,000-deal file from the 100,000 of generate.py:
#   for i in $(seq 10); do cat benchmarks/out/deals.jsonl; done > benchmarks/out/deals-1m.jsonl
set -euo pipefail
file=${1:?usage: memory.sh DEALS.jsonl [JOBS]}
jobs=${2:-2}
catalog=${3:-benchmarks/out/catalog}
start=$(date +%s.%N)
dealcheck check "$file" --catalog "$catalog" --today 2026-11-22 -f json -j "$jobs" > /dev/null &
pid=$!
peak=0
while kill -0 "$pid" 2>/dev/null; do
  total=$(ps -o rss= --pid "$pid" --ppid "$pid" | awk '{s+=$1} END {print s+0}')
  if [ "$total" -gt "$peak" ]; then peak=$total; fi
  sleep 1
done
rc=0
wait "$pid" || rc=$?
end=$(date +%s.%N)
echo "exit=$rc peak_summed_rss_kb=$peak wall_s=$(echo "$end - $start" | bc)"
