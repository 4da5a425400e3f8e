#!/usr/bin/python3
"""Reference values for EnsembleKit's perceptual hashes (EnsembleKit.Diversity.ImageHashing).

Seed 002 (S2 §7.3.1) measures diversity with the Python `imagehash` library (J. Buchner): average, perceptual,
difference, wavelet and colour hashes of 8-bit PIL images, compared by Hamming distance. This script recomputes those
hashes with the same building blocks that library uses -- Pillow's convert('L') / convert('HSV') and LANCZOS resize,
scipy.fftpack's unnormalised DCT-II, PyWavelets' Haar wavedec2/waverec2, numpy's median -- following the steps listed
in shared/reference/seed-spec.md §2 ("Perceptual hashing - exact algorithms"), on a fixed set of synthetic images.
It writes image_hash_reference.json: each image's pixels, Pillow's resized grayscale images (to check the resampler
bit for bit) and the five hashes as hex strings in imagehash's format (row-major bits, most significant first).

Needs Debian's python3-pil python3-numpy python3-scipy python3-pywt (Pillow 9.4, SciPy 1.10, PyWavelets 1.1 when the
committed JSON was made). Run: /usr/bin/python3 tests/reference/image_hash_reference.py
"""
import base64
import json
import math
import os

import numpy as np
import pywt
import scipy.fftpack
from PIL import Image

LANCZOS = Image.LANCZOS


def hex_of(bits):
    flat = ''.join('1' if b else '0' for b in np.asarray(bits).flatten())
    return '{:0>{w}x}'.format(int(flat, 2), w=int(math.ceil(len(flat) / 4)))


def gray(image, w, h):
    return image.convert('L').resize((w, h), LANCZOS)


def average_hash(image, n=8):
    px = np.asarray(gray(image, n, n))
    return px > px.mean()


def perceptual_hash(image, n=8, factor=4):
    px = np.asarray(gray(image, n * factor, n * factor))
    dct = scipy.fftpack.dct(scipy.fftpack.dct(px, axis=0), axis=1)[:n, :n]
    return dct > np.median(dct)


def difference_hash(image, n=8):
    px = np.asarray(gray(image, n + 1, n))
    return px[:, 1:] > px[:, :-1]


def wavelet_scale(image, n=8):
    return max(2 ** int(np.log2(min(image.size))), n)


def wavelet_hash(image, n=8):
    scale = wavelet_scale(image, n)
    top = int(np.log2(scale))
    px = np.asarray(gray(image, scale, scale)) / 255.
    coeffs = list(pywt.wavedec2(px, 'haar', level=top))
    coeffs[0] *= 0  # drop the lowest-frequency band
    px = pywt.waverec2(coeffs, 'haar')
    low = pywt.wavedec2(px, 'haar', level=top - int(np.log2(n)))[0]
    return low > np.median(low)


def colour_hash(image, binbits=3):
    lum = np.asarray(image.convert('L')).flatten()
    h, s, _ = [np.asarray(c).flatten() for c in image.convert('HSV').split()]
    black = lum < 32
    grey = s < 85
    colour = ~black & ~grey
    faint = colour & (s < 170)
    bright = colour & (s > 170)
    denominator = max(1, colour.sum())
    edges = np.linspace(0, 255, 7)
    faint_counts = np.histogram(h[faint], bins=edges)[0] if faint.any() else np.zeros(6)
    bright_counts = np.histogram(h[bright], bins=edges)[0] if bright.any() else np.zeros(6)
    top = 2 ** binbits
    values = [min(top - 1, int(black.mean() * top)), min(top - 1, int((~black & grey).mean() * top))]
    values += [min(top - 1, int(c / denominator * top)) for c in list(faint_counts) + list(bright_counts)]
    bits = []
    for v in values:
        bits += [v // (2 ** (binbits - i - 1)) % 2 ** (binbits - i) > 0 for i in range(binbits)]
    return np.asarray(bits)


def smooth_field(rng, h, w, blobs):
    y, x = np.mgrid[0:h, 0:w]
    field = np.zeros((h, w))
    for _ in range(blobs):
        cy, cx = rng.uniform(0, h), rng.uniform(0, w)
        r = rng.uniform(0.1, 0.5) * max(h, w)
        field += rng.uniform(-1, 1) * np.exp(-((y - cy) ** 2 + (x - cx) ** 2) / (2 * r * r))
    return field


def to_uint8(field, rng, noise):
    field = field + noise * rng.standard_normal(field.shape)
    lo, hi = field.min(), field.max()
    return np.clip((field - lo) / (hi - lo) * 255, 0, 255).astype(np.uint8)


def make_cases():
    rng = np.random.RandomState(2023)
    cases = []

    def add(name, array):
        mode = 'L' if array.ndim == 2 else 'RGB'
        cases.append((name, Image.fromarray(array, mode)))

    add('gray 28x28 (FMNIST-like)', to_uint8(smooth_field(rng, 28, 28, 6), rng, 0.05))
    add('gray 8x8 (no resize for aHash)', to_uint8(smooth_field(rng, 8, 8, 3), rng, 0.1))
    add('gray 9x8 (no resize for dHash)', to_uint8(smooth_field(rng, 8, 9, 3), rng, 0.1))
    add('gray 40x31 noise', rng.randint(0, 256, (31, 40)).astype(np.uint8))
    for name, h, w in [('rgb 32x32', 32, 32), ('rgb 23x17', 17, 23), ('rgb 96x80', 80, 96), ('rgb 7x5 (upsampled)', 5, 7)]:
        add(name, np.stack([to_uint8(smooth_field(rng, h, w, 5), rng, 0.08) for _ in range(3)], axis=2))
    # colour-rich image: black, grey, faint and bright colours of many hues
    h, w = 24, 36
    hue = np.tile(np.linspace(0, 1, w, endpoint=False), (h, 1))
    sat = np.repeat(np.linspace(0, 1, h), w).reshape(h, w)
    val = np.where(np.arange(w)[None, :] % 9 == 0, 0.05, 0.9) * np.ones((h, w))
    hsv = np.stack([hue * 255, sat * 255, val * 255], axis=2).astype(np.uint8)
    add('rgb 36x24 colour wheel', np.asarray(Image.fromarray(hsv, 'HSV').convert('RGB')))
    add('rgb 16x16 noise', rng.randint(0, 256, (16, 16, 3)).astype(np.uint8))
    return cases


def b64(image):
    return base64.b64encode(np.asarray(image).tobytes()).decode('ascii')


def main():
    out = []
    for name, image in make_cases():
        w, h = image.size
        scale = wavelet_scale(image)
        out.append({
            'name': name,
            'width': w,
            'height': h,
            'channels': 1 if image.mode == 'L' else 3,
            'pixels': b64(image),
            'luminance': b64(image.convert('L')),
            'hsv': b64(image.convert('HSV')),
            'resized': {f'{rw}x{rh}': b64(gray(image, rw, rh)) for rw, rh in [(8, 8), (9, 8), (32, 32), (scale, scale), (5, 11)]},
            'ahash': hex_of(average_hash(image)),
            'phash': hex_of(perceptual_hash(image)),
            'dhash': hex_of(difference_hash(image)),
            'whash': hex_of(wavelet_hash(image)),
            'colorhash': hex_of(colour_hash(image)),
            'ahash16': hex_of(average_hash(image, 16)),
            'colorhash4': hex_of(colour_hash(image, 4)),
        })
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'image_hash_reference.json')
    with open(path, 'w') as f:
        json.dump({'generator': 'tests/reference/image_hash_reference.py', 'cases': out}, f, indent=1)
        f.write('\n')
    print(f'wrote {len(out)} cases to {path}')


if __name__ == '__main__':
    main()
