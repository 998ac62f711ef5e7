#!/usr/bin/env python3
"""Draws NIK digits to train the nik model on: 16 digits in the card's faces, degraded as captures are.

usage: synth_nik_lines.py OUT_DIR COUNT [SEED]

Lines cut from generated cards are few and mostly illegible (the model is for the hard captures), and from scratch
an LSTM does not find digit shapes in them: on 4,600 such lines alone it learned only the row's label. These drawn
digits, from sharp to as small, blurred and noisy as a card 420 px wide, teach it the digits; the row's label is
left out (trained on whole rows, "NIK : <digits>", the model learned the label and not one digit in 12,000
iterations, where digits alone reach a character error of 12 % in 8,000). The colon is drawn before the digits on
some lines: the crop the model reads may take it in.
"""
import io
import os
import random
import sys

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from cut_lines import cut, save_line

OCR_A = ['/usr/share/fonts/truetype/ocr-a/OCRA.ttf', '/usr/share/fonts/truetype/ocr-a/OCRABold.ttf']
SANS = ['/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf',
        '/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf']
# Arial's own shapes (Liberation's 1 has a foot Arial's has not): the face of most printed NIKs that are not OCR-A.
ARIAL_LIKE = ['/usr/share/fonts/opentype/urw-base35/NimbusSans-Regular.otf',
              '/usr/share/fonts/opentype/urw-base35/NimbusSans-Bold.otf']


def nik(rnd):
    day = rnd.randint(1, 28) + (40 if rnd.random() < 0.5 else 0)
    return (f'{rnd.randint(11, 96):02d}{rnd.randint(1, 79):02d}{rnd.randint(1, 40):02d}'
            f'{day:02d}{rnd.randint(1, 12):02d}{rnd.randint(0, 99):02d}{rnd.randint(1, 9999 if rnd.random() < 0.3 else 30):04d}')


def row(rnd, digits):
    """The digits on the canonical card's scale (1000 px wide), the row's colon before them on some lines."""
    w, h = 420, 70
    img = Image.new('L', (w, h), rnd.randint(200, 245))
    d = ImageDraw.Draw(img)
    y = 18 + rnd.randint(-4, 4)
    scale = rnd.uniform(0.95, 1.05)
    ink = rnd.randint(0, 60)
    x0 = 40
    if rnd.random() < 0.4:
        d.text((x0 - rnd.randint(22, 40), y), ':', font=ImageFont.truetype(rnd.choice(SANS), int(30 * scale)), fill=ink)
    pick = rnd.random()
    ocr_a = pick < 0.55
    face = ImageFont.truetype(rnd.choice(OCR_A if ocr_a else SANS if pick < 0.75 else ARIAL_LIKE), int((29 if ocr_a else 32) * scale))
    d.text((x0, y + rnd.randint(-2, 2)), digits, font=face, fill=ink)
    return img


def degrade(rnd, img):
    """Captured at a card width of 420-1000 px: shrunk, blurred, noisy, JPEG, then warped back to the canonical size."""
    w, h = img.size
    s = rnd.uniform(0.42, 1.0)
    small = img.resize((max(1, int(w * s)), max(1, int(h * s))), Image.BILINEAR)
    small = small.filter(ImageFilter.GaussianBlur(rnd.uniform(0.2, 1.5)))
    a = np.asarray(small).astype(float)
    # uneven light across the row, then sensor noise
    a = a * np.linspace(rnd.uniform(0.7, 1.0), rnd.uniform(0.7, 1.0), a.shape[1])[None, :]
    a += np.random.default_rng(rnd.randint(0, 1 << 30)).normal(0, rnd.uniform(0, 28), a.shape)
    small = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))
    buf = io.BytesIO()
    small.save(buf, 'JPEG', quality=rnd.randint(45, 92))
    return Image.open(buf).convert('L').resize((w, h), Image.BILINEAR)


def main(out, count, seed=11):
    rnd = random.Random(int(seed))
    os.makedirs(out, exist_ok=True)
    for i in range(int(count)):
        digits = nik(rnd)
        img = row(rnd, digits)
        card = np.asarray(degrade(rnd, img))
        pixels = cut(card, 4, 8, card.shape[1] - 8, card.shape[0] - 16)
        if pixels is None:
            continue
        save_line(out, f'synth_{i:05d}', pixels, digits)


if __name__ == '__main__':
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    main(*sys.argv[1:])
