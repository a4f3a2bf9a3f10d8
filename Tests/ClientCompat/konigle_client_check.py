#!/usr/bin/env python3
"""Drives the official konigle 1.0.3 SDK against GalleryHub's Konigle emulator.

Environment: KONIGLE_BASE_URL and KONIGLE_API_KEY (from `gallery-hub sandbox --only konigle --json`). Covers
image assets (create from a file and from bare bytes, list with paging and filters, get, update, save, search,
async delete), the whole direct-to-cloud upload flow including the byte transfer to the signed URL, plain
uploads, products with ordered images and a cover, and the 400/401/404/429 errors. Prints one line per check
and ends with "N passed, M failed"; exits 1 on any failure.
"""
import asyncio
import hashlib
import os
import struct
import sys
import tempfile
import traceback
import zlib

import httpx
import konigle
from konigle.models import (
    DocumentCreate,
    ImageCreate,
    ImageUpdate,
    ProductCreate,
    ProductImageCreate,
    ProductImageUpdate,
    ProductUpdate,
    UploadCreate,
)

BASE = os.environ["KONIGLE_BASE_URL"].rstrip("/")
KEY = os.environ["KONIGLE_API_KEY"]

results = {"passed": 0, "failed": 0}
konigle.set_log_level("CRITICAL")


def check(name, condition, detail=""):
    if condition:
        results["passed"] += 1
        print(f"ok   {name}")
    else:
        results["failed"] += 1
        print(f"FAIL {name} {detail}")


def png(width, height, seed=1):
    """A real PNG of width x height, so the server has dimensions to read."""
    rows = b"".join(b"\x00" + bytes((seed * (x + y)) % 256 for x in range(width * 3)) for y in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def jpeg(width, height, extra=2000):
    """A JPEG-shaped body: SOI, a baseline SOF0 with the size, then filler."""
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + b"\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + sof + bytes(extra) + b"\xff\xd9"


def fetch(url):
    response = httpx.get(url)
    return response.status_code, response.content, response.headers.get("content-type")


def expect_error(kind, call):
    try:
        call()
    except kind as error:
        return error
    except Exception as error:  # noqa: BLE001 - reported as a failed check
        return f"{type(error).__name__}: {error}"
    return "no error raised"


def run(client):
    # --- images: create from a file path and from bare bytes
    folder = tempfile.mkdtemp()
    path = os.path.join(folder, "harbour.png")
    harbour = png(64, 48, seed=3)
    with open(path, "wb") as handle:
        handle.write(harbour)
    image = client.images.create(
        ImageCreate(
            name="harbour",
            image=path,
            alt_text="Harbour at dusk",
            tags="trip-2025,gallery:bay",
            description="West pier",
            meta={"gallery": {"id": "bay", "position": 0, "cover": True}},
        )
    )
    check("image from a file: string id", isinstance(image.id, str) and len(image.id) > 8, repr(image.id))
    check("image from a file: type and size from the bytes", image.mime_type == "image/png" and image.size == len(harbour))
    check("image from a file: dimensions", (image.image_width, image.image_height) == (64, 48))
    check("image from a file: tags as a list", image.tags == ["trip-2025", "gallery:bay"], repr(image.tags))
    check("image from a file: meta as an object", image.meta == {"gallery": {"id": "bay", "position": 0, "cover": True}})
    status, body, kind = fetch(image.asset_url)
    check("asset_url serves the bytes without auth", status == 200 and body == harbour and kind == "image/png")

    bare = jpeg(320, 200)
    raw = client.images.create(ImageCreate(name="bare bytes", image=bare))
    check("image from bare bytes: sniffed as JPEG", raw.mime_type == "image/jpeg", raw.mime_type)
    check("image from bare bytes: dimensions", (raw.image_width, raw.image_height) == (320, 200))
    status, body, _ = fetch(raw.asset_url)
    check("image from bare bytes: downloadable", status == 200 and body == bare)
    tupled = client.images.create(ImageCreate(name="tuple", image=(png(8, 8, 5), "tuple.png"), tags="gallery:bay"))
    check("image from a (bytes, name) tuple", tupled.image_width == 8 and tupled.asset_url.endswith("tuple.png"))

    bad = expect_error(
        konigle.ValidationError, lambda: client.images.create(ImageCreate(name="not an image", image=b"hello"))
    )
    check(
        "a non-image file is a 400 with field errors",
        isinstance(bad, konigle.ValidationError) and "image" in bad.field_errors,
        repr(bad),
    )

    document = client.documents.create(DocumentCreate(name="notes", file=(b"%PDF-1.4 notes", "notes.pdf")))
    check("a document shares the collection", document.mime_type == "application/pdf", document.mime_type)

    # --- list: paging, the image filter, and ImageFilters
    for index in range(4):
        client.images.create(ImageCreate(name=f"page-{index}", image=(png(4, 4, index + 10), f"page-{index}.png")))
    first = client.images.list(page=1, page_size=3)
    check("list: count and next", first.count == 7 and first.next is not None and len(first.payload) == 3)
    check("list: num_pages", first.num_pages == 3, first.num_pages)
    everything = list(client.images.iter_all(page_size=2))
    ids = [item.id for item in everything]
    check("iter_all visits every image once", len(ids) == 7 and len(set(ids)) == 7, len(ids))
    check("the image filter leaves documents out", document.id not in ids)
    tagged = client.images.list(tags="gallery:bay,unused")
    check("tags filter matches any tag", sorted(i.id for i in tagged.payload) == sorted([image.id, tupled.id]))
    named = client.images.list(q="HARBOUR")
    check("q matches the name, case-insensitively", [i.id for i in named.payload] == [image.id])
    threshold = 1000
    big = client.images.list(min_size=threshold)
    wanted = {i.id for i in everything if i.size >= threshold}
    check("min_size", wanted and len(wanted) < 7 and {i.id for i in big.payload} == wanted, [i.name for i in big.payload])
    oldest = client.images.list(ordering="created_at", page_size=1)
    check("ordering created_at", oldest.payload[0].id == image.id)
    past = expect_error(konigle.NotFoundError, lambda: client.images.list(page=9, page_size=3))
    check("a page past the end is 404 Invalid page.", isinstance(past, konigle.NotFoundError) and "Invalid page" in str(past), str(past))

    # --- get, update, save, search
    got = client.images.get(image.id)
    check("get", got.id == image.id and got.alt_text == "Harbour at dusk")
    updated = client.images.update(image.id, ImageUpdate(name="harbour-2", tags=["gallery:bay"], meta={"k": 1}))
    check("update: name, tags replaced, meta", updated.name == "harbour-2" and updated.tags == ["gallery:bay"] and updated.meta == {"k": 1})
    dropped = client.images.update(image.id, {"description": "East pier", "unknown": 1})
    check("update with a dict", dropped.description == "East pier")
    got.alt_text = "changed by save"
    saved = got.save()
    check("active record save sends the change", client.images.get(image.id).alt_text == "changed by save", repr(saved))
    found = client.images.search("harbour")
    check("search", [i.id for i in found.payload] == [image.id], [i.name for i in found.payload])

    # --- plain uploads
    upload = client.uploads.create(UploadCreate(name="brief", file=(png(10, 10), "brief.png"), tags="a,b"))
    check("upload: created completed with a url", upload.status == "completed" and upload.url is not None)
    status, body, _ = fetch(upload.url)
    check("upload: url serves the bytes", status == 200 and body == png(10, 10))
    check("upload: listed", any(u.id == upload.id for u in client.uploads.list().payload))
    check("upload: delete", client.uploads.delete(upload.id) is True)

    # --- direct-to-cloud upload: create, PUT the bytes to the signed URL, mark started and completed
    cover = png(40, 30, seed=9)
    info = client.uploads.create_cloud_upload("image/png", len(cover), "bay-cover.png", name="bay cover")
    check("cloud upload: pending with a signed PUT target", info.get("status") == "pending" and info.get("upload_method") == "PUT", repr(info)[:200])
    early = expect_error(konigle.ValidationError, lambda: client.uploads.mark_completed(info["id"]))
    check("mark-completed before the bytes is a 400", isinstance(early, konigle.ValidationError), repr(early))
    target = info["upload_url"]
    tampered = httpx.put(target.replace("signature=", "signature=0"), content=cover, headers={"Content-Type": "image/png"})
    check("a tampered signature is refused (403)", tampered.status_code == 403, tampered.status_code)
    wrong_type = httpx.put(target, content=cover, headers={"Content-Type": "image/jpeg"})
    check("a type other than the signed one is refused", wrong_type.status_code == 403, wrong_type.status_code)
    started = client.uploads.mark_started(info["id"])
    check("mark-started: uploading", started.status == "uploading" and started.upload_started_at is not None)
    put = httpx.put(target, content=cover, headers=info.get("upload_headers") or {"Content-Type": "image/png"})
    check("PUT of the bytes without credentials", put.status_code == 200 and put.headers.get("etag") == f'"{hashlib.md5(cover).hexdigest()}"', put.status_code)
    done = client.uploads.mark_completed(info["id"])
    check("mark-completed: size and etag", done.status == "completed" and done.size == len(cover) and done.etag == hashlib.md5(cover).hexdigest())
    status, body, _ = fetch(done.url)
    check("the completed upload is downloadable", status == 200 and body == cover)
    twice = expect_error(konigle.ValidationError, lambda: client.uploads.mark_failed(info["id"]))
    check("a completed upload cannot fail", isinstance(twice, konigle.ValidationError))
    other = client.uploads.create_cloud_upload("image/png", 10, "never.png")
    failed = client.uploads.mark_failed(other["id"])
    check("mark-failed", failed.status == "failed" and failed.upload_ended_at is not None)
    check("a cloud upload is not an image", all(i.id != info["id"] for i in client.images.iter_all()))

    # --- products: ordered images and the cover
    product = client.products.create(ProductCreate(title="Bay prints", status="draft"))
    check("product: uid and draft", isinstance(product.id, str) and product.status == "draft")
    images = []
    for index in range(3):
        created = client.product_images.create(
            ProductImageCreate(product=product.id, file=(png(20 + index, 20), f"p{index}.png"), alt=f"view {index}", position=index + 1)
        )
        images.append(created)
    check("product images: positions from 1", [i.position for i in images] == [1, 2, 3])
    check("product images: dimensions from the bytes", images[2].width == 22 and images[2].height == 20)
    listed = client.product_images.list(product_id=product.id, ordering="position")
    check("product images: listed in order", [i.id for i in listed.payload] == [i.id for i in images])
    client.product_images.update(images[2].id, ProductImageUpdate(position=1))
    order = [i.id for i in client.product_images.list(product_id=product.id, ordering="position").payload]
    check("moving an image to 1 shifts the others", order == [images[2].id, images[0].id, images[1].id], order)
    positions = [i.position for i in client.product_images.list(product_id=product.id, ordering="position").payload]
    check("positions stay contiguous", positions == [1, 2, 3], positions)
    client.products.update(product.id, ProductUpdate(image=images[1].id))
    fetched = client.products.get(product.id)
    cover_id = fetched.image if isinstance(fetched.image, str) else getattr(fetched.image, "uid", None)
    check("the product image is the cover", cover_id == images[1].id, repr(fetched.image))
    check("product image delete", client.product_images.delete(images[1].id) is True)
    after = client.products.get(product.id)
    check("deleting the cover clears it", after.image is None, repr(after.image))
    positions = [i.position for i in client.product_images.list(product_id=product.id, ordering="position").payload]
    check("deleting closes the gap", positions == [1, 2], positions)
    status, _, kind = fetch(images[0].url)
    check("product image url downloadable", status == 200 and kind == "image/png")

    # --- errors
    missing = expect_error(konigle.NotFoundError, lambda: client.images.get("00000000-0000-4000-8000-000000000000"))
    check("404 NotFoundError", isinstance(missing, konigle.NotFoundError) and missing.status_code == 404, repr(missing))
    stranger = konigle.Client(api_key="wrong-key", base_url=BASE)
    denied = expect_error(konigle.AuthenticationError, lambda: stranger.images.list())
    check("401 AuthenticationError", isinstance(denied, konigle.AuthenticationError) and denied.status_code == 401, repr(denied))
    httpx.put(f"{BASE}/__sandbox/faults", json={"rateLimitNext": 1})
    throttled = expect_error(konigle.RateLimitError, lambda: client.images.list())
    check(
        "429 RateLimitError with retry_after from the body",
        isinstance(throttled, konigle.RateLimitError) and throttled.retry_after is not None,
        repr(throttled),
    )
    check("one request after a 429 succeeds (no retries in the SDK)", client.images.list().count >= 1)

    # --- async delete: True only for 204
    async def delete_async():
        async with konigle.AsyncClient(api_key=KEY, base_url=BASE) as aclient:
            doomed = await aclient.images.create(ImageCreate(name="doomed", image=(png(4, 4), "doomed.png")))
            gone = await aclient.images.delete(doomed.id)
            try:
                await aclient.images.get(doomed.id)
                still = True
            except konigle.NotFoundError:
                still = False
            return gone, still

    gone, still = asyncio.run(delete_async())
    check("async delete returns True (204)", gone is True and not still)
    check("sync delete", client.images.delete(raw.id) is True)


def main():
    client = konigle.Client(api_key=KEY, base_url=BASE)
    try:
        run(client)
    except Exception:  # noqa: BLE001 - an unexpected error fails the run
        traceback.print_exc()
        results["failed"] += 1
    print(f"{results['passed']} passed, {results['failed']} failed")
    return 1 if results["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
