#!/usr/bin/env python3
"""Cuts training lines for the ktp model: each value line as the pipeline crops it, with its printed text.

usage: cut_lines.py CORPUS RESULTS.jsonl DEBUG_DIR OUT_DIR

CORPUS is a generated corpus (images + <id>.gt.json), RESULTS the `ktp ocr` output for its images (jpg, then png,
each sorted by name) and DEBUG_DIR the `--debug-dir` it wrote (the rectified card.png and the field crops). A line
is kept only where the pipeline's box lies on the ground truth's box: the text under it is then known.
"""
import glob
import json
import os
import random
import sys

import numpy as np
from PIL import Image

# Arial advances in em, to split a two-line address between its lines by the widths of their crops.
ADVANCE = {c: 0.667 for c in 'ABEKPSVXY'}
ADVANCE.update({c: 0.556 for c in '0123456789L'})
ADVANCE.update({'M': 0.833, 'W': 0.944, 'I': 0.278, 'J': 0.5, 'F': 0.611, 'T': 0.611, 'Z': 0.611, 'O': 0.778,
                'Q': 0.778, 'G': 0.778, 'C': 0.722, 'D': 0.722, 'H': 0.722, 'N': 0.722, 'R': 0.722, 'U': 0.722,
                ' ': 0.278, '.': 0.278, ',': 0.278, '-': 0.333, '/': 0.278, "'": 0.191, '(': 0.333, ')': 0.333})
FIELDS = ['provinsi', 'kabupaten_kota', 'nama', 'tempat_lahir', 'jenis_kelamin', 'alamat', 'rt_rw', 'kel_desa',
          'kecamatan', 'agama', 'status_perkawinan', 'pekerjaan', 'kewarganegaraan', 'berlaku_hingga',
          'tempat_terbit', 'tanggal_terbit']
rnd = random.Random(7)


def width(text):
    return sum(ADVANCE.get(c, 0.6) for c in text)


def stretch(a):
    """As CompositeLines does per crop: the 2 % darkest pixels black, the 60 % quantile white."""
    ink, paper = int(np.quantile(a, 0.02, method='lower')), int(np.quantile(a, 0.6, method='lower'))
    if paper - ink < 24:
        return a
    return np.clip((a.astype(int) - ink) * 255 // (paper - ink), 0, 255).astype(np.uint8)


def cut(card, x, y, w, h):
    """The crop as stacked (padded 4/5 px, stretched, white around), cut to the window Tesseract gives its LSTM."""
    x0, y0 = max(0, x - 4), max(0, y - 5)
    a = stretch(card[y0:min(card.shape[0], y + h + 5), x0:min(card.shape[1], x + w + 4)])
    c = np.full((a.shape[0] + 40, a.shape[1] + 40), 255, np.uint8)
    c[20:20 + a.shape[0], 20:20 + a.shape[1]] = a
    rows, cols = np.where((c < 128).any(axis=1))[0], np.where((c < 128).any(axis=0))[0]
    if len(rows) == 0:
        return None
    th = rows[-1] - rows[0] + 1
    # Tesseract cuts a word for the LSTM from its row's descender line to its ascender line, 4 px more: capitals sit
    # high in that window by an amount that varies with the row. Trained on tight crops only, the model read the
    # stack as noise.
    top = rows[0] - 4 - int(rnd.uniform(0, 0.35) * th)
    bottom = rows[-1] + 5 + int(rnd.uniform(0, 0.7) * th)
    left, right = cols[0] - rnd.randint(3, 8), cols[-1] + rnd.randint(4, 9)
    return c[max(0, top):bottom, max(0, left):right]


def save_line(out, stem, pixels, text):
    """A training line: its image and its text beside it, as lstmtraining's box step reads them."""
    Image.fromarray(pixels).save(os.path.join(out, stem + '.png'))
    with open(os.path.join(out, stem + '.gt.txt'), 'w') as f:
        f.write(text + '\n')


def on_truth(field, b, t):
    def centre_y(r):
        return r['y'] + r['height'] / 2
    if field == 'provinsi':  # the truth boxes the name; the crop also holds "PROVINSI" before it
        return abs((b['x'] + b['width']) - (t['x'] + t['width'])) <= 14 and abs(centre_y(b) - centre_y(t)) <= 7
    if field in ('kabupaten_kota', 'tempat_terbit', 'tanggal_terbit'):  # centred lines
        return (abs(b['x'] + b['width'] / 2 - t['x'] - t['width'] / 2) <= 12 and abs(b['width'] - t['width']) <= 20
                and abs(centre_y(b) - centre_y(t)) <= 7)
    return (abs(b['x'] - t['x']) <= 10 and abs((b['x'] + b['width']) - (t['x'] + t['width'])) <= 16
            and abs(b['y'] - t['y']) <= 10)


def lines_of(field, box, truth_box, text, debug):
    parts = sorted(glob.glob(os.path.join(debug, field + '-*.png')))
    if not parts:
        return [] if box['height'] > 30 or truth_box['height'] > 35 else [(box['x'], box['y'], box['width'], box['height'], text)]
    if len(parts) != 2:
        return []
    (w1, h1), (w2, h2) = [Image.open(p).size for p in parts]
    words = text.split(' ')
    best = None
    for k in range(1, len(words)):
        a, b = ' '.join(words[:k]), ' '.join(words[k:])
        r1, r2 = w1 / width(a), w2 / width(b)
        err = abs(r1 - r2) / max(r1, r2)
        if best is None or err < best[0]:
            best = (err, a, b)
    if best is None or best[0] > 0.15:
        return []
    return [(box['x'], box['y'], w1, h1, best[1]), (box['x'], box['y'] + box['height'] - h2, w2, h2, best[2])]


def main(corpus, results, debug_root, out):
    os.makedirs(out, exist_ok=True)
    images = sorted(glob.glob(corpus + '/*.jpg')) + sorted(glob.glob(corpus + '/*.png'))
    documents = [json.loads(line) for line in open(results)]
    if len(documents) != len(images):
        sys.exit(f'{results}: {len(documents)} results for {len(images)} images')
    kept = skipped = 0
    for image, doc in zip(images, documents):
        card_id = os.path.splitext(os.path.basename(image))[0]
        debug = os.path.join(debug_root, card_id)
        if not os.path.exists(os.path.join(debug, 'card.png')):
            continue
        card = np.asarray(Image.open(os.path.join(debug, 'card.png')).convert('L'))
        gt = json.load(open(os.path.join(corpus, card_id + '.gt.json')))
        values, boxes = gt['fields'], gt['field_boxes']
        for field in FIELDS:
            read = doc['fields'].get(field) or {}
            if not read.get('box') or field not in boxes:
                skipped += 1
                continue
            truth_box, text = dict(boxes[field]), values[field]
            if field == 'provinsi':
                text = 'PROVINSI ' + text
            if field == 'tempat_lahir':  # one printed line: "PLACE, DD-MM-YYYY"
                date = boxes['tanggal_lahir']
                truth_box['width'] = max(truth_box['x'] + truth_box['width'], date['x'] + date['width']) - truth_box['x']
                text = values['tempat_lahir'] + ', ' + values['tanggal_lahir']
            lines = lines_of(field, read['box'], truth_box, text, debug) if on_truth(field, read['box'], truth_box) else []
            if not lines:
                skipped += 1
            for i, (x, y, w, h, line_text) in enumerate(lines):
                pixels = cut(card, x, y, w, h)
                if pixels is None:
                    continue
                name = f'{os.path.basename(corpus)}_{card_id}_{field}_{i}'
                save_line(out, name, pixels, line_text)
                kept += 1
    print(f'{corpus}: {kept} lines, {skipped} values skipped (box off the truth, or not read)')


if __name__ == '__main__':
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    main(*sys.argv[1:])
