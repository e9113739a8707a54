#!/usr/bin/env bash
# Regenerates the README's theme pictures: the sample brief's first PDF page under the embedded
# default theme and under the Harbour Institute example theme (harbour-institute/briefpress.toml).
# Needs pdftoppm (poppler-utils) and the example theme's fonts (fonts-ebgaramond, fonts-lato).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

for tool in pdftoppm; do
  command -v "$tool" >/dev/null || { echo "render.sh: $tool is missing (apt-get install poppler-utils)" >&2; exit 1; }
done
for font in /usr/share/fonts/opentype/ebgaramond/EBGaramond12-Regular.otf /usr/share/fonts/truetype/lato/Lato-Regular.ttf; do
  [ -f "$font" ] || { echo "render.sh: $font is missing (apt-get install fonts-ebgaramond fonts-lato)" >&2; exit 1; }
done

cargo build --release --quiet
bin="${CARGO_TARGET_DIR:-$root/target}/release/briefpress"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

source_md="source/us-colombia-ties-edited.md"
"$bin" build "$source_md" -f pdf -o "$work/default"
"$bin" build "$source_md" -f pdf -o "$work/harbour" --theme "$here/harbour-institute/briefpress.toml"

# 70 dpi keeps each picture near 100 KB and still readable beside the README's text.
for theme in default harbour; do
  pdftoppm -r 70 -f 1 -l 1 -singlefile -png "$work/$theme/us-colombia-ties-edited.pdf" "$here/$theme-theme-page1"
done
echo "wrote $here/default-theme-page1.png and $here/harbour-theme-page1.png"
