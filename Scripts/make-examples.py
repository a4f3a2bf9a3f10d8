#!/usr/bin/env python3
"""Regenerates Examples/: small real JPEG/PNG/WebP images and one gallery.json (needs Pillow).

Run from the repository root: python3 Scripts/make-examples.py
The committed Examples/ folder is the output; this script only documents how it was made.
"""
import hashlib
import json
import math
import os
import shutil

from PIL import Image, ImageDraw

ROOT = "Examples"


def scene(width, height, sky, ground, sun, seed):
    """A little landscape: a sky gradient, hills and a sun, different per seed."""
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    for y in range(height):
        t = y / height
        colour = tuple(int(sky[i] * (1 - t) + ground[i] * t) for i in range(3))
        draw.line([(0, y), (width, y)], fill=colour)
    draw.ellipse([width * 0.65, height * 0.1, width * 0.85, height * 0.1 + width * 0.2], fill=sun)
    points = [(0, height)]
    for x in range(0, width + 8, 8):
        points.append((x, height * 0.62 + math.sin(x / (23 + seed * 7)) * 18 + math.cos(x / 11 + seed) * 6))
    points.append((width, height))
    draw.polygon(points, fill=tuple(max(0, c - 60) for c in ground))
    return image


def save(image, path, fmt):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    options = {"JPEG": {"quality": 72}, "WEBP": {"quality": 70}, "PNG": {"optimize": True}}[fmt]
    image.save(path, fmt, **options)


def entry(folder, name, mime, caption=None, alt=None, title=None):
    data = open(os.path.join(folder, name), "rb").read()
    item = {"file": name, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest(), "mimeType": mime}
    if caption:
        item["caption"] = caption
    if alt:
        item["altText"] = alt
    if title:
        item["title"] = title
    return item


def main():
    shutil.rmtree(ROOT, ignore_errors=True)
    # 1. A gallery in GalleryHub's own format: order, captions, alt text, cover, translations.
    harbour = os.path.join(ROOT, "harbour-walk")
    shots = [
        ("lighthouse.jpg", "JPEG", "image/jpeg", (40, 60, 120), (200, 120, 60), "Lighthouse at dusk", "A white lighthouse against an orange sky"),
        ("boats.webp", "WEBP", "image/webp", (90, 150, 210), (30, 90, 140), "Fishing boats in the harbour", "Three small boats moored at a quay"),
        ("pier.png", "PNG", "image/png", (250, 200, 120), (70, 70, 90), "The old pier", None),
        ("gulls.jpg", "JPEG", "image/jpeg", (150, 190, 230), (60, 120, 160), None, None),
    ]
    items = []
    for seed, (name, fmt, mime, sky, ground, caption, alt) in enumerate(shots):
        save(scene(320, 213, sky, ground, (255, 230, 150), seed), os.path.join(harbour, name), fmt)
        items.append(entry(harbour, name, mime, caption, alt))
    # The manifest order is deliberate, not alphabetical.
    manifest = {
        "schemaVersion": 1,
        "title": "Harbour walk",
        "description": "An evening walk along the harbour.",
        "slug": "harbour-walk",
        "visibility": "public",
        "translations": {
            "de": {"title": "Hafenspaziergang", "description": "Ein Abendspaziergang am Hafen."},
            "fr": {"title": "Promenade au port"},
        },
        "cover": {"item": "boats.webp"},
        "items": items,
    }
    with open(os.path.join(harbour, "gallery.json"), "w") as f:
        json.dump(manifest, f, indent=2, ensure_ascii=False, sort_keys=True)
        f.write("\n")

    # 2. A plain folder: natural file-name order (img2 before img10) and a cover.jpg.
    mountains = os.path.join(ROOT, "mountains")
    for seed, name in enumerate(["img1.jpg", "img2.jpg", "img10.jpg", "cover.jpg"]):
        save(scene(240, 160, (120, 160, 220), (90, 140, 80), (250, 250, 220), seed + 5), os.path.join(mountains, name), "JPEG")

    # 3. Nested folders are nested galleries.
    for seed, (city, fmt, ext) in enumerate([("rome", "JPEG", "jpg"), ("lisbon", "PNG", "png")]):
        for index in (1, 2):
            save(scene(200, 133, (230, 180, 130), (160, 110, 80), (255, 240, 200), seed * 3 + index),
                 os.path.join(ROOT, "trips", city, f"{city}-{index}.{ext}"), fmt)


if __name__ == "__main__":
    main()
