#!/usr/bin/env bash
# What one photo costs in memory through `facefunctions detect` (docs/reliability.md, "Memory admission"): writes the
# photos the estimate is fitted on (tests/FaceFunctions.Benchmarks write-memory; progressive JPEGs made from them
# with jpegtran, Debian's libjpeg-turbo-progs, when it is installed), then runs one process per photo under
# /usr/bin/time -v and prints the photo, its pixels and bytes, the peak resident MB, and the peak above a process
# that analysed no photo (an empty file, refused at once) per declared pixel. One photo per process never waits for
# memory, so the peaks are what the photos need.
# Not part of tests/run.sh.
# Usage: bash tests/tools/measure-memory.sh [work folder, default .cache/memory] [file name filter, default *] [detect options...]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="${1:-$root/.cache/memory}"
filter="${2:-*}"
shift $(($# < 2 ? $# : 2))
cd "$root"
dotnet build src/FaceFunctions.Cli -c Release -v quiet -nologo >/dev/null
if [ ! -d "$work/inputs" ]; then
  dotnet build tests/FaceFunctions.Benchmarks -c Release -v quiet -nologo >/dev/null
  dotnet tests/FaceFunctions.Benchmarks/bin/Release/net10.0/FaceFunctions.Benchmarks.dll write-memory "$work/inputs" >&2
  if command -v jpegtran >/dev/null; then
    for jpeg in "$work"/inputs/jpeg-420-*.jpg; do
      jpegtran -progressive -outfile "${jpeg/jpeg-420-/jpeg-progressive-}" "$jpeg"
    done
  fi
fi
: >"$work/empty.img"
cli="src/FaceFunctions.Cli/bin/Release/net10.0/facefunctions.dll"
run() { # file -> "peak_kB width height"
  rm -rf "$work/out"
  /usr/bin/time -v -o "$work/time.txt" dotnet "$cli" detect "$1" --threads 2 --out "$work/out" --jsonl "$work/doc.jsonl" "${@:2}" >/dev/null 2>&1 || true
  peak="$(awk -F': ' '/Maximum resident/ { print $2 }' "$work/time.txt")"
  width="$(grep -o '"width":[0-9]*' "$work/doc.jsonl" | head -1 | cut -d: -f2 || true)"
  height="$(grep -o '"height":[0-9]*' "$work/doc.jsonl" | head -1 | cut -d: -f2 || true)"
  echo "$peak ${width:-0} ${height:-0}"
}
echo "# $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; load before: $(cut -d' ' -f1-3 /proc/loadavg); detect options: --threads 2 $*" >&2
read -r base _ _ < <(run "$work/empty.img" "$@")
printf 'photo\twidth\theight\tbytes\tpeak_MB\tabove_idle_B_per_px\n'
printf 'no photo (empty file)\t-\t-\t0\t%.0f\t-\n' "$((base / 1024))"
for file in "$work"/inputs/$filter; do
  read -r peak width height < <(run "$file" "$@")
  awk -v n="$(basename "$file")" -v w="$width" -v h="$height" -v b="$(stat -c %s "$file")" -v p="$peak" -v base="$base" \
    'BEGIN { px = w * h; rate = px > 0 ? sprintf("%.2f", (p - base) * 1024 / px) : "refused"; printf "%s\t%s\t%s\t%s\t%.0f\t%s\n", n, w, h, b, p / 1024, rate }'
done
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
