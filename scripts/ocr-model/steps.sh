# Steps both model scripts share (sourced by train.sh and train-nik.sh; expects $root and say()).

# Each corpus named in the arguments ("NAME COUNT SEED PROFILE ..."), generated under corpus/ unless complete.
generate_corpora() {
  local c name count seed profile dir args
  for c in "$@"; do
    read -r name count seed profile _ <<<"$c"
    dir="$root/corpus/$name"
    [ -f "$dir/manifest.json" ] && [ "$(ls "$dir"/*.gt.json 2>/dev/null | wc -l)" = "$count" ] && continue
    args=(--count "$count" --seed "$seed" --out "$dir"); [ "$profile" = mixed ] || args+=(--profile "$profile")
    say "generating $name"; "$root/ktp" corpus generate "${args[@]}"
  done
}

# The images of corpus $1, JPEGs then PNGs, each sorted by name (the order cut_lines.py expects), in $images.
corpus_images() {
  shopt -s nullglob; images=("$root/corpus/$1"/*.jpg); images+=("$root/corpus/$1"/*.png); shopt -u nullglob
}

# Box files (one WordStr over the whole line image, from its .gt.txt) and Tesseract's training form (.lstmf) of
# every line image in each directory given.
lines_to_lstmf() {
  for d in "$@"; do
    python3 - "$d" <<'PY'
import glob, sys
from PIL import Image
for p in glob.glob(sys.argv[1] + '/*.png'):
    w, h = Image.open(p).size
    text = open(p[:-4] + '.gt.txt').read().strip()
    open(p[:-4] + '.box', 'w').write(f"WordStr 0 0 {w} {h} 0 #{text}\n\t {w} 0 {w + 1} {h} 0\n")
PY
    say "lstmf: $d"
    ls "$d"/*.png | sed 's/\.png$//' | xargs -P "$(nproc)" -I{} sh -c 'tesseract {}.png {} --psm 13 -l eng lstm.train >/dev/null 2>&1'
  done
}

# The starter traineddata of language $2 in directory $1 for the characters in $3 (lines of text), their
# properties taken from the stock Indonesian model; prints the unicharset's size line.
make_starter() {
  local start=$1 lang=$2 chars=$3 word=$4 punc=$5
  rm -rf "$start"; mkdir -p "$start/script" "$start/out"
  combine_tessdata -e "$root/tessdata/4.1.0-fast/ind.traineddata" "$start/ind.lstm-unicharset" >/dev/null 2>&1
  cp "$start/ind.lstm-unicharset" "$start/script/Latin.unicharset"
  printf '19968 1 0\n' > "$start/script/radical-stroke.txt"   # required by the tool, used for Han only
  printf '%b' "$chars" > "$start/chars.txt"
  unicharset_extractor --norm_mode 1 --output_unicharset "$start/$lang.unicharset" "$start/chars.txt" >/dev/null 2>&1
  printf '%s\n' "$word" > "$start/words"; printf '0\n' > "$start/numbers"; printf '%s\n' "$punc" > "$start/puncs"
  combine_lang_model --input_unicharset "$start/$lang.unicharset" --script_dir "$start/script" --words "$start/words" \
    --numbers "$start/numbers" --puncs "$start/puncs" --output_dir "$start/out" --lang "$lang" >/dev/null 2>&1
  head -1 "$start/$lang.unicharset"
}

# Integer weights of the checkpoint $2 (starter $3), language $1, no dictionary, into tessdata/$4/.
finish_model() {
  local lang=$1 checkpoint=$2 starter=$3 version=$4 final
  final=$(mktemp -d)
  lstmtraining --stop_training --convert_to_int --continue_from "$checkpoint" --traineddata "$starter" \
    --model_output "$final/full.traineddata" >/dev/null 2>&1
  for part in lstm lstm-unicharset lstm-recoder version; do combine_tessdata -e "$final/full.traineddata" "$final/$lang.$part" >/dev/null 2>&1; done
  combine_tessdata "$final/$lang." >/dev/null 2>&1
  local target="$root/tessdata/$version"; mkdir -p "$target"; cp "$final/$lang.traineddata" "$target/"; rm -rf "$final"
  local sha bytes
  sha=$(sha256sum "$target/$lang.traineddata" | cut -d' ' -f1); bytes=$(stat -c %s "$target/$lang.traineddata")
  say "wrote $target/$lang.traineddata ($bytes bytes, sha256 $sha): update $target/manifest.json"
}
