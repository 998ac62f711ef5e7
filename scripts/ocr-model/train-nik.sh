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

# 1. Corpora: training seeds only (never the held-out 2026, nor the validation sets 5005 and 8005).
corpora=("nik-hard 600 8001 hard 3" "nik-hard2 800 8003 hard 3" "nik-photo 300 8002 photo 2" "nik-mixed 400 8004 mixed 2" "train-photo 200 100 photo 2")
for c in "${corpora[@]}"; do
  read -r name count seed profile _ <<<"$c"
  dir="$root/corpus/$name"
  [ -f "$dir/manifest.json" ] && continue
  args=(--count "$count" --seed "$seed" --out "$dir"); [ "$profile" = mixed ] || args+=(--profile "$profile")
  say "generating $name"; "$root/ktp" corpus generate "${args[@]}"
done

# 2. The layout of every card (card.png and layout.json per card, from --debug-dir).
for c in "${corpora[@]}"; do
  read -r name _ <<<"$c"
  [ -d "$work/crops/$name" ] && continue
  say "layouts of $name"
  shopt -s nullglob; images=("$root/corpus/$name"/*.jpg); images+=("$root/corpus/$name"/*.png); shopt -u nullglob
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
for d in lines eval drawn drawn2 drawn-start; do
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
done
ls "$work"/drawn-start/*.lstmf | shuf --random-source=<(yes) > "$work/start.list"
(ls "$work"/drawn/*.lstmf "$work"/drawn2/*.lstmf; ls "$work"/lines/*.lstmf) | shuf --random-source=<(yes) > "$work/train.list"
ls "$work"/eval/*.lstmf > "$work/eval.list"

# 6. The starter: digits, and the label's letters and colon (the row was once read whole; the model outputs digits).
start="$work/start"; rm -rf "$start"; mkdir -p "$start/script" "$start/out"
combine_tessdata -e "$root/tessdata/4.1.0-fast/ind.traineddata" "$start/ind.lstm-unicharset" >/dev/null 2>&1
cp "$start/ind.lstm-unicharset" "$start/script/Latin.unicharset"
printf '19968 1 0\n' > "$start/script/radical-stroke.txt"
printf "0123456789\nNIK :\n" > "$start/chars.txt"
unicharset_extractor --norm_mode 1 --output_unicharset "$start/nik.unicharset" "$start/chars.txt" >/dev/null 2>&1
printf 'NIK\n' > "$start/words"; printf '0\n' > "$start/numbers"; printf ':\n' > "$start/puncs"
combine_lang_model --input_unicharset "$start/nik.unicharset" --script_dir "$start/script" --words "$start/words" \
  --numbers "$start/numbers" --puncs "$start/puncs" --output_dir "$start/out" --lang nik >/dev/null 2>&1
outputs=$(head -1 "$start/nik.unicharset")

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
final="$work/final"; rm -rf "$final"; mkdir -p "$final"
lstmtraining --stop_training --convert_to_int --continue_from "$run/nik_checkpoint" --traineddata "$start/out/nik/nik.traineddata" \
  --model_output "$final/full.traineddata" >/dev/null 2>&1
for part in lstm lstm-unicharset lstm-recoder version; do combine_tessdata -e "$final/full.traineddata" "$final/nik.$part" >/dev/null 2>&1; done
combine_tessdata "$final/nik." >/dev/null 2>&1
target="$root/tessdata/$version"; mkdir -p "$target"; cp "$final/nik.traineddata" "$target/"
sha=$(sha256sum "$target/nik.traineddata" | cut -d' ' -f1); bytes=$(stat -c %s "$target/nik.traineddata")
say "wrote $target/nik.traineddata ($bytes bytes, sha256 $sha): update $target/manifest.json"
