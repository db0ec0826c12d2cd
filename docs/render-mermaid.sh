#!/usr/bin/env bash
# render-mermaid.sh renders a Mermaid diagram (.mmd) to a PNG with headless
# Chromium, to check by eye what GitHub will draw from a ```mermaid block.
#
# Usage: docs/render-mermaid.sh DIAGRAM.mmd OUT.png
#
#   go run ./cmd/kzgen graph callflow.json > flow.mmd
#   docs/render-mermaid.sh flow.mmd flow.png
#
# Needs:
#   * Chromium: apt-get install chromium (or set CHROMIUM to another
#     Chrome/Chromium binary). The npm package @mermaid-js/mermaid-cli would
#     download a browser of its own; this script uses the system one instead.
#   * Node's npm, to fetch the mermaid package once. Set MERMAID_DIR to a
#     directory where `npm install mermaid` has been run to reuse it;
#     otherwise it is installed into a temporary directory on every run.
#
# Environment: WIDTH and HEIGHT set the browser window (default 1200x900);
# the PNG is that size, trimmed to the drawing when ImageMagick's `convert`
# is installed.
set -euo pipefail

if [ $# -ne 2 ]; then
	echo "usage: $0 DIAGRAM.mmd OUT.png" >&2
	exit 2
fi
in=$1
out=$2
[ -r "$in" ] || { echo "$0: cannot read $in" >&2; exit 2; }

chromium=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)}
[ -n "$chromium" ] || { echo "$0: no Chromium found; apt-get install chromium or set CHROMIUM" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mermaid_dir=${MERMAID_DIR:-}
if [ -z "$mermaid_dir" ]; then
	mermaid_dir=$work/npm
	mkdir -p "$mermaid_dir"
	(cd "$mermaid_dir" && npm install --silent --no-audit --no-fund mermaid >/dev/null)
fi
script=$mermaid_dir/node_modules/mermaid/dist/mermaid.min.js
[ -r "$script" ] || { echo "$0: $script not found; run npm install mermaid in MERMAID_DIR" >&2; exit 2; }
cp "$script" "$work/mermaid.min.js"

# The diagram goes into the page as a JavaScript string literal, so its
# text (quotes, <br/> tags) reaches mermaid unchanged.
node -e '
const fs = require("fs");
const text = fs.readFileSync(process.argv[1], "utf8");
const literal = JSON.stringify(text).replace(/</g, "\\u003c");
fs.writeFileSync(process.argv[2], `<!DOCTYPE html>
<html><head><meta charset="utf-8"><script src="mermaid.min.js"></script>
<style>body { margin: 16px; background: white; }</style></head>
<body><div id="out"></div><pre id="err" style="color: red"></pre>
<script>
mermaid.initialize({ startOnLoad: false });
mermaid.render("diagram", ${literal})
  .then(r => { document.getElementById("out").innerHTML = r.svg; })
  .catch(e => { document.getElementById("err").textContent = String(e); });
</script></body></html>
`);
' "$in" "$work/page.html"

# --virtual-time-budget lets the asynchronous render finish before the
# screenshot; the other flags keep Chromium from reaching the network.
"$chromium" --headless --no-sandbox --disable-gpu --disable-background-networking \
	--disable-component-update --disable-sync --no-first-run --hide-scrollbars \
	--user-data-dir="$work/profile" --virtual-time-budget=10000 \
	--window-size="${WIDTH:-1200},${HEIGHT:-900}" \
	--screenshot="$work/shot.png" "file://$work/page.html" >/dev/null 2>&1

[ -s "$work/shot.png" ] || { echo "$0: Chromium wrote no screenshot" >&2; exit 1; }
if ! { command -v convert >/dev/null &&
	convert "$work/shot.png" -trim +repage -bordercolor white -border 16 "$out" 2>/dev/null; }; then
	cp "$work/shot.png" "$out"
fi
echo "wrote $out"
