#!/usr/bin/env bash
# Renders the glyph templates of the NIK and blood-type matchers from the fonts KTP print runs use (OCR-A, and Arial-like
# Liberation Sans / Nimbus Sans, regular and bold) into worker/KtpFleet.Ocr/Data/nik-glyphs.json. Run after changing fonts or size.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
data="$root/worker/KtpFleet.Ocr/Data"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
declare -A fonts=(
  [ocra]=/usr/share/fonts/truetype/ocr-a/OCRA.ttf
  [ocra_bold]=/usr/share/fonts/truetype/ocr-a/OCRABold.ttf
  [sans]=/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf
  [sans_bold]=/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf
  # Arial's own '1' has no foot (Liberation's has): Helvetica-metric Nimbus Sans matches real Arial prints.
  [helvetica]=/usr/share/fonts/opentype/urw-base35/NimbusSans-Regular.otf
  [helvetica_bold]=/usr/share/fonts/opentype/urw-base35/NimbusSans-Bold.otf
)
# render_set OUT "CHARS" FONT...: one JSON of trimmed black-on-white glyph rasters per font.
render_set() {
  local out=$1 chars=$2; shift 2
  {
    echo '{'
    echo '  "_source": "rendered by scripts/gen-nik-glyphs.sh with ImageMagick from Debian fonts-ocr-a, fonts-liberation and fonts-urw-base35",'
    echo '  "fonts": {'
    local first_font=1 name c first
    for name in "$@"; do
      [ $first_font = 1 ] || echo ','
      first_font=0
      printf '    "%s": [' "$name"
      first=1
      for c in $(echo "$chars" | grep -o .); do
        # The matcher normalises templates and card glyphs the same way, so only the ink matters.
        convert -size 200x200 xc:white -font "${fonts[$name]}" -pointsize 96 -fill black -annotate +40+140 "$c" \
          -trim +repage -colorspace gray -depth 8 "$tmp/g.png"
        read -r w h < <(identify -format '%w %h\n' "$tmp/g.png")
        convert "$tmp/g.png" -depth 8 gray:"$tmp/g.raw"
        [ $first = 1 ] || printf ','
        first=0
        printf '\n      { "char": "%s", "width": %d, "height": %d, "gray": "%s" }' "$c" "$w" "$h" "$(base64 -w0 "$tmp/g.raw")"
      done
      printf '\n    ]'
    done
    echo
    echo '  }'
    echo '}'
  } > "$out"
  echo "wrote $out"
}

render_set "$data/nik-glyphs.json" "0123456789" ocra ocra_bold sans sans_bold helvetica helvetica_bold
# Gol. Darah values are A, B, AB, O with an optional +; a lone "-" is told by its shape, not matched.
render_set "$data/blood-glyphs.json" "ABO+" sans sans_bold helvetica helvetica_bold
