#!/usr/bin/env bash
# Renders every closed-vocabulary text a KTP prints (sex, religion, marital status, nationality, lifetime validity,
# occupation; Indonesian and English lists; country names as rivals of WNI/WNA) in the Arial-metric fonts of KTP values
# (Liberation Sans, Nimbus Sans, regular) into worker/KtpFleet.Ocr/Data/phrase-templates.json.gz for
# Recognition/PhraseReader. Run after changing the vocabularies (a test fails when a text has no template).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
data="$root/worker/KtpFleet.Ocr/Data"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
declare -A fonts=(
  [sans]=/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf
  [helvetica]=/usr/share/fonts/opentype/urw-base35/NimbusSans-Regular.otf
)
# The texts come from the OCR library itself (PhraseReader.TextsToRender): enums.json, ktp_occupations.csv,
# countries.csv.
"$root/ktp" phrases > "$tmp/phrases"

out="$data/phrase-templates.json.gz"
{
  echo '{'
  echo '  "_source": "rendered by scripts/gen-phrase-templates.sh with ImageMagick from Debian fonts-liberation and fonts-urw-base35; gray is 8-bit, base64; the file is gzipped whole",'
  echo '  "fonts": {'
  first_font=1
  for name in sans helvetica; do
    [ $first_font = 1 ] || echo ','
    first_font=0
    printf '    "%s": [' "$name"
    first=1
    while IFS= read -r text; do
      # Trimmed to the ink: the reader compares the ink box of a value with the ink box of each candidate.
      convert -background white -fill black -font "${fonts[$name]}" -pointsize 32 label:"$text" \
        -trim +repage -colorspace gray -depth 8 "$tmp/p.png"
      read -r w h < <(identify -format '%w %h\n' "$tmp/p.png")
      [ $first = 1 ] || printf ','
      first=0
      printf '\n      { "text": "%s", "width": %d, "height": %d, "gray": "%s" }' "$text" "$w" "$h" \
        "$(convert "$tmp/p.png" -depth 8 gray:- | base64 -w0)"
    done < "$tmp/phrases"
    printf '\n    ]'
  done
  echo
  echo '  }'
  echo '}'
} | gzip -9n > "$out"
echo "wrote $out ($(wc -l < "$tmp/phrases") phrases)"
