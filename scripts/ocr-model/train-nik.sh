#!/usr/bin/env bash
# Trains the nik model (tessdata/nik-<version>/nik.traineddata): an LSTM reading the NIK's sixteen digits as one line.
#   scripts/ocr-model/train-nik.sh [VERSION]      (default nik-1.0; work files in .ktp/nik-model/, ~1 h on 2 cores)
# Needs what train.sh needs (Debian's tesseract-ocr training tools, python3-pil, python3-numpy). See docs/ocr.md
# ("The nik model").
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
version=${1:-nik-1.0}
work=${KTP_MODEL_WORK:-$root/.ktp/nik-model}
here="$root/scripts/ocr-model"
mkdir -p "$work"
export OMP_THREAD_LIMIT=1
say() { echo "[nik-model] $*" >&2; }
. "$here/steps.sh"

# 1. Corpora: training seeds only (never the held-out 2026, nor the validation sets 5005 and 8005).
corpora=("nik-hard 600 8001 hard 3" "nik-hard2 800 8003 hard 3" "nik-photo 300 8002 photo 2" "nik-mixed 400 8004 mixed 2" "train-photo 200 100 photo 2")
generate_corpora "${corpora[@]}"

# 2. The layout of every card (card.png and layout.json per card, from --debug-dir).
for c in "${corpora[@]}"; do
  read -r name _ <<<"$c"
  [ -d "$work/crops/$name" ] && continue
  say "layouts of $name"
  corpus_images "$name"
  "$root/ktp" ocr --engines 1 --debug-dir "$work/crops/$name.tmp" "${images[@]}" > /dev/null || true
  mv "$work/crops/$name.tmp" "$work/crops/$name"
done

# 3. The digits of every NIK row on its truth, hard ones cut three times; the last 100 cards of nik-hard2 kept apart.
rm -rf "$work/lines" "$work/eval" "$work/drawn" "$work/drawn2" "$work/drawn-start"; mkdir -p "$work/lines" "$work/eval"
for c in "${corpora[@]}"; do
  read -r name _ _ _ copies <<<"$c"
  (cd "$here" && python3 cut_nik_lines.py "$root/corpus/$name" "$work/crops/$name" "$work/lines" "$copies")
done
mv "$work"/lines/nik-hard2_ktp-007* "$work/eval/"

# 4. Drawn digits: 3,000 to start from, 16,000 more beside the cut ones.
(cd "$here" && python3 synth_nik_lines.py "$work/drawn-start" 3000 12 && python3 synth_nik_lines.py "$work/drawn" 8000 21 \
  && python3 synth_nik_lines.py "$work/drawn2" 8000 31)

# 5. A box file per line and Tesseract's training form of it.
lines_to_lstmf "$work/lines" "$work/eval" "$work/drawn" "$work/drawn2" "$work/drawn-start"
ls "$work"/drawn-start/*.lstmf | shuf --random-source=<(yes) > "$work/start.list"
(ls "$work"/drawn/*.lstmf "$work"/drawn2/*.lstmf; ls "$work"/lines/*.lstmf) | shuf --random-source=<(yes) > "$work/train.list"
ls "$work"/eval/*.lstmf > "$work/eval.list"

# 6. The starter: digits, and the label's letters and colon (the row was once read whole; the model outputs digits).
outputs=$(make_starter "$work/start" nik "0123456789\nNIK :\n" NIK :)
start="$work/start"

# 7. From scratch on the drawn digits (the cut lines alone teach it nothing), then on drawn and cut ones together.
run="$work/run"; mkdir -p "$run"
say "training (progress in $run/log)"
lstmtraining --traineddata "$start/out/nik/nik.traineddata" --net_spec "[1,36,0,1 Ct3,3,16 Mp3,3 Lfys48 Lfx96 Lrx96 Lfx96 O1c$((outputs - 1))]" \
  --model_output "$run/nik" --learning_rate 0.002 --train_listfile "$work/start.list" --eval_listfile "$work/eval.list" \
  --max_iterations 20000 > "$run/log" 2>&1
lstmtraining --continue_from "$run/nik_checkpoint" --traineddata "$start/out/nik/nik.traineddata" --model_output "$run/nik" \
  --learning_rate 0.001 --train_listfile "$work/train.list" --eval_listfile "$work/eval.list" \
  --max_iterations "${KTP_MODEL_ITERATIONS:-55000}" >> "$run/log" 2>&1

# 8. Integer weights, no dictionary, and a verified set.
finish_model nik "$run/nik_checkpoint" "$start/out/nik/nik.traineddata" "$version"
