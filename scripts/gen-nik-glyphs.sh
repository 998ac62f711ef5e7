#!/usr/bin/env bash
# Renders the digit templates of the NIK glyph matcher from the fonts KTP print runs use (OCR-A, and Arial-like
# Liberation Sans / Nimbus Sans, regular and bold) into worker/KtpFleet.Ocr/Data/nik-glyphs.json. Run after changing fonts or size.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/worker/KtpFleet.Ocr/Data/nik-glyphs.json"
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
{
  echo '{'
  echo '  "_source": "rendered by scripts/gen-nik-glyphs.sh with ImageMagick from Debian fonts-ocr-a, fonts-liberation and fonts-urw-base35",'
  echo '  "fonts": {'
  first_font=1
  for name in ocra ocra_bold sans sans_bold helvetica helvetica_bold; do
    [ $first_font = 1 ] || echo ','
    first_font=0
    printf '    "%s": [' "$name"
    for d in 0 1 2 3 4 5 6 7 8 9; do
      # Black on white, trimmed to the ink: the matcher normalises templates and card glyphs the same way.
      convert -size 200x200 xc:white -font "${fonts[$name]}" -pointsize 96 -fill black -annotate +40+140 "$d" \
        -trim +repage -colorspace gray -depth 8 "$tmp/g.png"
      read -r w h < <(identify -format '%w %h\n' "$tmp/g.png")
      convert "$tmp/g.png" -depth 8 gray:"$tmp/g.raw"
      [ $d = 0 ] || printf ','
      printf '\n      { "digit": %d, "width": %d, "height": %d, "gray": "%s" }' "$d" "$w" "$h" "$(base64 -w0 "$tmp/g.raw")"
    done
    printf '\n    ]'
  done
  echo
  echo '  }'
  echo '}'
} > "$out"
echo "wrote $out"
