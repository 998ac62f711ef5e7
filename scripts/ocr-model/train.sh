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
. "$here/steps.sh"

# 1. Corpora: the training seeds only (the held-out benchmark seed, 2026, is never used here).
corpora=("train-photo 200 100 photo" "train-mixed400 400 300 mixed" "train-hard 60 100 hard" "lstm-photo 600 4001 photo" "lstm-mixed 400 4002 mixed")
generate_corpora "${corpora[@]}"

# 2. The pipeline's crops of every card (the layout does not depend on the model: the stock one reads here).
for c in "${corpora[@]}"; do
  read -r name _ <<<"$c"
  [ -s "$work/res-$name.jsonl" ] && continue
  say "cropping $name"
  corpus_images "$name"
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

# 4. A box file per line and Tesseract's training form of it.
lines_to_lstmf "$work/lines" "$work/eval"
for d in lines eval; do ls "$work/$d"/*.lstmf | shuf --random-source=<(yes) > "$work/$d.list"; done

# 5. The starter: the value whitelist's characters.
outputs=$(make_starter "$work/start" ktp "ABCDEFGHIJKLMNOPQRSTUVWXYZ\n0123456789\n.,-/:'()\nA B\n" JALAN .)
start="$work/start"

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
finish_model ktp "$run/ktp_checkpoint" "$start/out/ktp/ktp.traineddata" "$version"
