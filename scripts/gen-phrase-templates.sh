#!/usr/bin/env bash
# Renders every closed-vocabulary value a KTP prints (sex, religion, marital status, nationality, lifetime validity,
# occupation; Indonesian and English lists) in the Arial-metric fonts of KTP values (Liberation Sans, Nimbus Sans,
# regular) into worker/KtpFleet.Ocr/Data/phrase-templates.json for Recognition/PhraseReader.
# Run after changing enums.json or ktp_occupations.csv (a test fails when a vocabulary value has no template).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
data="$root/worker/KtpFleet.Ocr/Data"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
declare -A fonts=(
  [sans]=/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf
  [helvetica]=/usr/share/fonts/opentype/urw-base35/NimbusSans-Regular.otf
)
{
  for key in jenis_kelamin jenis_kelamin_wna_en agama agama_wna_en status_perkawinan status_perkawinan_wna_en; do
    jq -r ".${key}[]" "$data/enums.json"
  done
  printf '%s\n' WNI WNA "SEUMUR HIDUP"
  # Country names a foreigner's card prints as nationality: rivals of WNI/WNA, so that INDIA is not read as WNA.
  tail -n +2 "$data/countries.csv"
  # Occupations as printed, and the short form of those with a parenthesised acronym (as Reference/Vocabulary does).
  tail -n +2 "$data/ktp_occupations.csv" | cut -d, -f2- | while read -r name; do
    echo "$name"
    case "$name" in *" ("*) echo "${name%% (*}" ;; esac
  done
} | tr '[:lower:]' '[:upper:]' | sort -u > "$tmp/phrases"

out="$data/phrase-templates.json"
{
  echo '{'
  echo '  "_source": "rendered by scripts/gen-phrase-templates.sh with ImageMagick from Debian fonts-liberation and fonts-urw-base35; gray is 8-bit, gzip, base64",'
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
        "$(convert "$tmp/p.png" -depth 8 gray:- | gzip -9n | base64 -w0)"
    done < "$tmp/phrases"
    printf '\n    ]'
  done
  echo
  echo '  }'
  echo '}'
} > "$out"
echo "wrote $out ($(wc -l < "$tmp/phrases") phrases)"
