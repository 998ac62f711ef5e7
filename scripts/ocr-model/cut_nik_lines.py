#!/usr/bin/env python3
"""Cuts training lines for the nik model: the NIK's digits on the row the layout found, with the printed digits.

usage: cut_nik_lines.py CORPUS DEBUG_DIR OUT_DIR [COPIES]

DEBUG_DIR is what `ktp ocr --debug-dir` wrote for CORPUS's images (per card: the rectified card.png and
layout.json). A row is kept only where the ground truth's NIK box lies on it: the text under it is then known. The
digits are cut from the row's height and the truth's span, a little wider (the card as rectified may lie a few
pixels off the truth: the colon may come in, a digit must not be cut); each COPIES times (default 2), each with
other random margins (see cut_lines.cut).
"""
import json
import os
import random
import sys

import numpy as np
from PIL import Image

from cut_lines import cut, save_line

rnd = random.Random(8)


def on_row(row, truth):
    x, y, w, h = row
    centre = truth['y'] + truth['height'] / 2
    return y <= centre <= y + h and x <= truth['x'] < x + w and truth['x'] + truth['width'] <= x + w + 12


def main(corpus, debug_root, out, copies=2):
    os.makedirs(out, exist_ok=True)
    kept = skipped = 0
    for name in sorted(os.listdir(corpus)):
        if not name.endswith('.gt.json'):
            continue
        card_id = name[:-len('.gt.json')]
        layout_path = os.path.join(debug_root, card_id, 'layout.json')
        if not os.path.exists(layout_path):
            skipped += 1
            continue
        rows = json.load(open(layout_path))['fields'].get('nik')
        gt = json.load(open(os.path.join(corpus, name)))
        if not rows or not on_row(rows[0], gt['field_boxes']['nik']):
            skipped += 1
            continue
        card = np.asarray(Image.open(os.path.join(debug_root, card_id, 'card.png')).convert('L'))
        _, y, _, h = rows[0]
        truth = gt['field_boxes']['nik']
        for i in range(int(copies)):
            x = truth['x'] - rnd.randint(10, 30)
            pixels = cut(card, x, y, truth['x'] + truth['width'] + rnd.randint(4, 20) - x, h)
            if pixels is None:
                continue
            save_line(out, f'{os.path.basename(corpus)}_{card_id}_nik_{i}', pixels, gt['fields']['nik'])
        kept += 1
    print(f'{corpus}: {kept} NIK rows, {skipped} skipped (no row on the truth, or not located)')


if __name__ == '__main__':
    if len(sys.argv) not in (4, 5):
        sys.exit(__doc__)
    main(*sys.argv[1:])
