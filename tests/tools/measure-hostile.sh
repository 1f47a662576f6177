#!/usr/bin/env bash
# What each hostile input costs through `facefunctions detect` at the default limits (docs/reliability.md): writes
# the hostile-input suite and the worst cases the limits accept (tests/FaceFunctions.Benchmarks write-hostile),
# then runs one process per file under /usr/bin/time -v and prints, most expensive first, CPU seconds
# (user + system), wall seconds, peak resident MB and the outcome. Not part of tests/run.sh.
# Usage: bash tests/tools/measure-hostile.sh [work folder, default .cache/hostile] [file name filter, default *]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="${1:-$root/.cache/hostile}"
filter="${2:-*}"
cd "$root"
dotnet build src/FaceFunctions.Cli -c Release -v quiet -nologo >/dev/null
dotnet build tests/FaceFunctions.Benchmarks -c Release -v quiet -nologo >/dev/null
rm -rf "$work/inputs" "$work/out"
dotnet tests/FaceFunctions.Benchmarks/bin/Release/net10.0/FaceFunctions.Benchmarks.dll write-hostile "$work/inputs" >&2
cli="src/FaceFunctions.Cli/bin/Release/net10.0/facefunctions.dll"
echo "# $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
{
  for file in "$work"/inputs/$filter.img; do
    name="$(basename "$file" .img)"
    /usr/bin/time -v -o "$work/time.txt" dotnet "$cli" detect "$file" --out "$work/out" --no-crops --jsonl "$work/doc.jsonl" >/dev/null 2>&1 || true
    cpu="$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$work/time.txt")"
    wall="$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%.2f", s }' "$work/time.txt")"
    peak="$(awk -F': ' '/Maximum resident/ { printf "%.0f", $2 / 1024 }' "$work/time.txt")"
    outcome="$(grep -o '"code":"[A-Za-z]*"' "$work/doc.jsonl" | head -1 | cut -d'"' -f4 || true)"
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$(stat -c %s "$file")" "$cpu" "$wall" "$peak" "${outcome:-loaded}"
  done
} | sort -t$'\t' -k3,3 -gr | (printf 'input\tbytes\tcpu_s\twall_s\tpeak_MB\toutcome\n'; cat)
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
