#!/usr/bin/env bash
# Trains the ktp model (tessdata/ktp-<version>/ktp.traineddata) from scratch on value lines of generated corpora.
#   scripts/ocr-model/train.sh [VERSION]      (default ktp-1.0; work files in .ktp/ocr-model/, ~1.5 h on 2 cores)
# Needs, beyond ./ktp's own: Debian's tesseract-ocr (lstmtraining, combine_lang_model, combine_tessdata,
# unicharset_extractor), python3-pil and python3-numpy. See docs/ocr.md ("The ktp model").
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
version=${1:-ktp-1.0}
work=${KTP_MODEL_WORK:-$root/.ktp/ocr-model}
iterations=${KTP_MODEL_ITERATIONS:-60000}
here="$root/scripts/ocr-model"
mkdir -p "$work"
export OMP_THREAD_LIMIT=1
say() { echo "[ocr-model] $*" >&2; }

# 1. Corpora: the training seeds only (the held-out benchmark seed, 2026, is never used here).
corpora=("train-photo 200 100 photo" "train-mixed400 400 300 mixed" "train-hard 60 100 hard" "lstm-photo 600 4001 photo" "lstm-mixed 400 4002 mixed")
for c in "${corpora[@]}"; do
  read -r name count seed profile <<<"$c"
  dir="$root/corpus/$name"
  [ -d "$dir" ] && [ "$(ls "$dir"/*.gt.json 2>/dev/null | wc -l)" = "$count" ] && continue
  args=(--count "$count" --seed "$seed" --out "$dir"); [ "$profile" = mixed ] || args+=(--profile "$profile")
  say "generating $name"; "$root/ktp" corpus generate "${args[@]}"
done

# 2. The pipeline's crops of every card (the layout does not depend on the model: the stock one reads here).
for c in "${corpora[@]}"; do
  read -r name _ <<<"$c"
  [ -s "$work/res-$name.jsonl" ] && continue
  say "cropping $name"
  shopt -s nullglob; images=("$root/corpus/$name"/*.jpg); images+=("$root/corpus/$name"/*.png); shopt -u nullglob
  "$root/ktp" ocr --engines 1 --tessdata-version 4.1.0-fast --debug-dir "$work/crops/$name" "${images[@]}" > "$work/res-$name.jsonl.tmp" || true
  mv "$work/res-$name.jsonl.tmp" "$work/res-$name.jsonl"
done

# 3. Lines with their text; the last 120 cards of lstm-photo are kept apart to measure the model on.
rm -rf "$work/lines" "$work/eval"; mkdir -p "$work/lines" "$work/eval"
for c in "${corpora[@]}"; do
  read -r name _ <<<"$c"
  python3 "$here/cut_lines.py" "$root/corpus/$name" "$work/res-$name.jsonl" "$work/crops/$name" "$work/lines"
done
for n in $(seq 480 599); do mv "$work"/lines/lstm-photo_ktp-00${n}_* "$work/eval/" 2>/dev/null || true; done

# 4. A box file per line (one WordStr over the whole image) and Tesseract's training form of it.
for d in lines eval; do
  python3 - "$work/$d" <<'PY'
import glob, sys
from PIL import Image
for p in glob.glob(sys.argv[1] + '/*.png'):
    w, h = Image.open(p).size
    text = open(p[:-4] + '.gt.txt').read().strip()
    open(p[:-4] + '.box', 'w').write(f"WordStr 0 0 {w} {h} 0 #{text}\n\t {w} 0 {w + 1} {h} 0\n")
PY
  say "lstmf: $d"
  ls "$work/$d"/*.png | sed 's/\.png$//' | xargs -P "$(nproc)" -I{} sh -c 'tesseract {}.png {} --psm 13 -l eng lstm.train >/dev/null 2>&1'
  ls "$work/$d"/*.lstmf | shuf --random-source=<(yes) > "$work/$d.list"
done

# 5. The starter: the value whitelist's characters, their properties taken from the stock Indonesian model.
start="$work/start"; rm -rf "$start"; mkdir -p "$start/script" "$start/out"
combine_tessdata -e "$root/tessdata/4.1.0-fast/ind.traineddata" "$start/ind.lstm-unicharset" >/dev/null 2>&1
cp "$start/ind.lstm-unicharset" "$start/script/Latin.unicharset"
printf '19968 1 0\n' > "$start/script/radical-stroke.txt"   # required by the tool, used for Han only
printf "ABCDEFGHIJKLMNOPQRSTUVWXYZ\n0123456789\n.,-/:'()\nA B\n" > "$start/chars.txt"
unicharset_extractor --norm_mode 1 --output_unicharset "$start/ktp.unicharset" "$start/chars.txt" >/dev/null 2>&1
printf 'JALAN\n' > "$start/words"; printf '0\n' > "$start/numbers"; printf '.\n' > "$start/puncs"
combine_lang_model --input_unicharset "$start/ktp.unicharset" --script_dir "$start/script" --words "$start/words" \
  --numbers "$start/numbers" --puncs "$start/puncs" --output_dir "$start/out" --lang ktp >/dev/null 2>&1
outputs=$(head -1 "$start/ktp.unicharset")

# 6. From scratch, then a quarter as long at a quarter of the rate.
run="$work/run"; mkdir -p "$run"
say "training ($iterations iterations; progress in $run/log)"
lstmtraining --traineddata "$start/out/ktp/ktp.traineddata" --net_spec "[1,36,0,1 Ct3,3,16 Mp3,3 Lfys48 Lfx96 Lrx96 Lfx192 O1c$outputs]" \
  --model_output "$run/ktp" --learning_rate 0.002 --train_listfile "$work/lines.list" --eval_listfile "$work/eval.list" \
  --max_iterations "$iterations" > "$run/log" 2>&1
lstmtraining --continue_from "$run/ktp_checkpoint" --traineddata "$start/out/ktp/ktp.traineddata" --model_output "$run/ktp" \
  --learning_rate 0.0005 --train_listfile "$work/lines.list" --eval_listfile "$work/eval.list" \
  --max_iterations $((iterations / 4)) >> "$run/log" 2>&1

# 7. Integer weights, no dictionary (a value's words are names, not a language), and a verified set.
final="$work/final"; rm -rf "$final"; mkdir -p "$final"
lstmtraining --stop_training --convert_to_int --continue_from "$run/ktp_checkpoint" --traineddata "$start/out/ktp/ktp.traineddata" \
  --model_output "$final/full.traineddata" >/dev/null 2>&1
for part in lstm lstm-unicharset lstm-recoder version; do combine_tessdata -e "$final/full.traineddata" "$final/ktp.$part" >/dev/null 2>&1; done
combine_tessdata "$final/ktp." >/dev/null 2>&1
target="$root/tessdata/$version"; mkdir -p "$target"; cp "$final/ktp.traineddata" "$target/"
sha=$(sha256sum "$target/ktp.traineddata" | cut -d' ' -f1); bytes=$(stat -c %s "$target/ktp.traineddata")
say "wrote $target/ktp.traineddata ($bytes bytes, sha256 $sha): update $target/manifest.json"
