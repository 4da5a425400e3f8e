#!/usr/bin/python3
"""Reference values for EnsembleKit's CIFAR-10-C corruptions (EnsembleKit.Data.Corruptions).

Applies four deterministic corruptions of the published recipe (Hendrycks and Dietterich, ICLR 2019,
ImageNet-C/create_c/make_cifar_c.py in github.com/hendrycks/robustness) at all five severities, with the libraries
that recipe calls: contrast (numpy), brightness (skimage.color rgb2hsv / hsv2rgb), pixelate (Pillow resize BOX) and
zoom_blur (scipy.ndimage.zoom, order 1). The recipe's functions are written out below with its constants, adapted only
in the image side (the recipe hard-codes 32) so that small images can be used. Inputs are two fixed 8-bit images: a
16x16 RGB one and a 12x12 greyscale one (greyscale images go through the RGB recipe as three equal channels for
brightness, and as one channel elsewhere, as the kit does). It writes corruption_reference.json: each image's pixels
(uint8, [C, H, W] row-major) and, per corruption and severity, the output in [0, 1] in the same layout.

Needs Debian's python3-numpy python3-scipy python3-skimage python3-pil (numpy 1.24, SciPy 1.10, scikit-image 0.19,
Pillow 9.4 when the committed JSON was made). Run: /usr/bin/python3 tests/reference/corruption_reference.py
"""
import json
import os

import numpy as np
import skimage.color
from PIL import Image
from scipy.ndimage import zoom as scizoom


def contrast(x, severity):
    c = [.75, .5, .4, .3, 0.15][severity - 1]
    x = np.array(x) / 255.
    means = np.mean(x, axis=(0, 1), keepdims=True)
    return np.clip((x - means) * c + means, 0, 1)


def brightness(x, severity):
    c = [.05, .1, .15, .2, .3][severity - 1]
    x = np.array(x) / 255.
    grey = x.shape[2] == 1
    if grey:
        x = np.repeat(x, 3, axis=2)
    x = skimage.color.rgb2hsv(x)
    x[:, :, 2] = np.clip(x[:, :, 2] + c, 0, 1)
    x = np.clip(skimage.color.hsv2rgb(x), 0, 1)
    return x[:, :, :1] if grey else x


def pixelate(x, severity):
    c = [0.95, 0.9, 0.85, 0.75, 0.65][severity - 1]
    side = x.shape[0]
    image = Image.fromarray(x[:, :, 0] if x.shape[2] == 1 else x, mode='L' if x.shape[2] == 1 else 'RGB')
    image = image.resize((int(side * c), int(side * c)), Image.BOX)
    image = image.resize((side, side), Image.BOX)
    out = np.asarray(image).reshape(x.shape) / 255.
    return out


def clipped_zoom(img, zoom_factor):
    h = img.shape[0]
    ch = int(np.ceil(h / zoom_factor))
    top = (h - ch) // 2
    img = scizoom(img[top:top + ch, top:top + ch], (zoom_factor, zoom_factor, 1), order=1)
    trim_top = (img.shape[0] - h) // 2
    return img[trim_top:trim_top + h, trim_top:trim_top + h]


def zoom_blur(x, severity):
    c = [np.arange(1, 1.06, 0.01), np.arange(1, 1.11, 0.01), np.arange(1, 1.16, 0.01),
         np.arange(1, 1.21, 0.01), np.arange(1, 1.26, 0.01)][severity - 1]
    x = (np.array(x) / 255.).astype(np.float32)
    out = np.zeros_like(x)
    for zoom_factor in c:
        out += clipped_zoom(x, zoom_factor)
    x = (x + out) / (len(c) + 1)
    return np.clip(x, 0, 1)


def fixed_image(side, channels, seed):
    """A smooth gradient plus texture, fixed by the seed, as uint8 [H, W, C]."""
    rng = np.random.RandomState(seed)
    yy, xx = np.mgrid[0:side, 0:side]
    planes = []
    for c in range(channels):
        base = 40 + 150 * (xx + (c + 1) * yy) / ((c + 2) * side)
        planes.append(base + rng.randint(-35, 36, size=(side, side)))
    return np.clip(np.stack(planes, axis=2), 0, 255).astype(np.uint8)


def main():
    images = {'rgb16': fixed_image(16, 3, 0), 'grey12': fixed_image(12, 1, 1)}
    corruptions = {'contrast': contrast, 'brightness': brightness, 'pixelate': pixelate, 'zoom_blur': zoom_blur}
    result = {'images': {}, 'corruptions': {}}
    for name, image in images.items():
        result['images'][name] = {'shape': [image.shape[2], image.shape[0], image.shape[1]],
                                  'pixels': image.transpose(2, 0, 1).flatten().tolist()}
    for cname, function in corruptions.items():
        result['corruptions'][cname] = {}
        for name, image in images.items():
            outputs = []
            for severity in range(1, 6):
                out = np.asarray(function(image.copy(), severity), dtype=np.float64)
                outputs.append([round(float(v), 8) for v in out.transpose(2, 0, 1).flatten()])
            result['corruptions'][cname][name] = outputs
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'corruption_reference.json')
    with open(path, 'w') as f:
        json.dump(result, f, separators=(',', ':'))
        f.write('\n')
    print('wrote', path)


if __name__ == '__main__':
    main()
