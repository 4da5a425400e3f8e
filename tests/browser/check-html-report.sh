#!/usr/bin/env bash
# Opens the --html report of notebook 01 in headless Chromium (Debian's `chromium` package), checks that
# every Plotly chart was drawn (each chart div holds a rendered `.main-svg`), and saves a screenshot.
#
#   tests/browser/check-html-report.sh [REPORT.html] [OUT_FOLDER]
#
# Without REPORT.html it first runs notebook 01 at smoke scale to produce one. Needs /usr/bin/chromium
# (sudo apt-get install -y chromium) and a built kit (dotnet build -c Release). Exit 0 = all charts drawn.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
out="${2:-$repo/artifacts/browser}"
mkdir -p "$out"
report="${1:-}"
if [[ -z "$report" ]]; then
  report="$out/01-fmnist-deep-ensembles.html"
  kit="$repo/lib/EnsembleKit.Cli/bin/Release/net10.0/kit.dll"
  [[ -f "$kit" ]] || dotnet build "$repo/lib/EnsembleKit.Cli" -c Release -v q >/dev/null
  dotnet "$kit" run "$repo/notebooks/01-fmnist-deep-ensembles.ipynb" -p scale=smoke \
    --out "$out/01-fmnist-deep-ensembles.smoke.ipynb" --html "$report"
fi
chromium="${CHROMIUM:-/usr/bin/chromium}"
if [[ ! -x "$chromium" ]]; then
  echo "check-html-report: $chromium not found; install it with: sudo apt-get install -y chromium" >&2
  exit 2
fi
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
       --disable-component-update --disable-sync --user-data-dir="$profile" --virtual-time-budget=15000)
url="file://$(realpath "$report")"

# The DOM after scripts ran: count chart divs and the SVGs plotly.js drew into them.
"$chromium" "${flags[@]}" --dump-dom "$url" > "$out/report-dom.html" 2>"$out/chromium.log"
charts=$(grep -o 'var renderPlotly_' "$out/report-dom.html" | wc -l)
drawn=$(grep -o 'class="main-svg"' "$out/report-dom.html" | wc -l)
# plotly draws two .main-svg layers per chart.
echo "charts in report: $charts; rendered .main-svg elements: $drawn"
"$chromium" "${flags[@]}" --window-size=1100,5000 --screenshot="$out/report.png" "$url" 2>>"$out/chromium.log"
echo "screenshot: $out/report.png"
if (( charts == 0 )); then echo "FAIL: the report has no charts" >&2; exit 1; fi
if grep -q 'cdnjs.cloudflare.com/ajax/libs/require.js' "$out/report-dom.html" && grep -q '<script[^>]*src="https://cdnjs' "$out/report-dom.html"; then
  echo "FAIL: a chart reached for require.js on the network: the report's offline stand-in did not take" >&2; exit 1
fi
if (( drawn < charts )); then echo "FAIL: only $drawn .main-svg for $charts charts: plotly.js did not draw them all" >&2; exit 1; fi
echo "OK: every chart was drawn by plotly.js offline"
