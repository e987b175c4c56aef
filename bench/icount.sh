#!/bin/bash
# Instructions executed by one cold, single-threaded sg-lint run (all of the process: Node's start, loading, linting,
# V8's compilers and garbage collector, which --single-threaded keeps on the main thread). Two runs of one build at
# the same moment agree to about 0.1%, unlike wall time on a shared machine, so it shows whether a change to sg-lint's
# code does less work. On a loaded machine V8's time-based heuristics can move a whole run by up to 10% (the same
# build measured 3.57 and 4.02 G an hour apart): compare two builds in a pair started together, and repeat the pair.
# It is a development aid: performance claims come from `npm run bench` (docs/performance.md).
#
# usage: bench/icount.sh [package root] <input> [sg-lint options]    (needs valgrind; run `npm run build` first)
# e.g.   bench/icount.sh bench/out/cfn-1000.json
#        bench/icount.sh ../other-checkout bench/out/cfn-1000.yaml --only shadowed-rule
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
if [ $# -ge 2 ] && [ -f "$1/bin/sg-lint.js" ]; then root=$(cd "$1" && pwd); shift; fi
[ $# -ge 1 ] || { echo "usage: bench/icount.sh [package root] <input> [sg-lint options]" >&2; exit 2; }
command -v valgrind >/dev/null || { echo "bench/icount.sh: valgrind is not installed" >&2; exit 2; }
input=$1; shift
run() { node --single-threaded "$root/bin/sg-lint.js" -f json --fail-on none "${opts[@]}" "$input"; }
opts=("$@")
# The first run writes the V8 code cache for these flags (a user's second run reads it); the second is counted.
run >/dev/null
valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null node --single-threaded "$root/bin/sg-lint.js" -f json --fail-on none "${opts[@]}" "$input" 2>&1 >/dev/null |
  awk '/I +refs/ { gsub(",", "", $NF); printf "%.3f G instructions\n", $NF / 1e9 }'
