#!/usr/bin/env python3
"""Drives python-kanka 2.6.4's whole gallery flow against GalleryHub's Kanka emulator.

Environment: KANKA_BASE_URL (with /1.0), KANKA_TOKEN, KANKA_CAMPAIGN, KANKA_FOLDERS ("Maps=<id>;…"), and
optionally KANKA_RATE and KANKA_WINDOW_SECONDS when the emulator runs a short throttle window (then the real
throttle is exercised too). The client is pointed at the emulator through its BASE_URL attribute, as
Docs/kanka.md describes. Prints one line per check and ends with "N passed, M failed"; exits 1 on any failure.
"""
import math
import os
import sys
import tempfile
import time
import traceback
import uuid

import requests
from kanka import KankaClient
from kanka.exceptions import AuthenticationError, NotFoundError, RateLimitError, ValidationError

BASE = os.environ["KANKA_BASE_URL"].rstrip("/")
TOKEN = os.environ["KANKA_TOKEN"]
CAMPAIGN = int(os.environ["KANKA_CAMPAIGN"])
FOLDERS = dict(pair.split("=", 1) for pair in os.environ.get("KANKA_FOLDERS", "").split(";") if "=" in pair)
ORIGIN = BASE[: -len("/1.0")] if BASE.endswith("/1.0") else BASE
WINDOW = float(os.environ.get("KANKA_WINDOW_SECONDS", "60"))
RATE = int(os.environ.get("KANKA_RATE", "30"))

results = {"passed": 0, "failed": 0}


def check(name, condition, detail=""):
    if condition:
        results["passed"] += 1
        print(f"ok   {name}")
    else:
        results["failed"] += 1
        print(f"FAIL {name} {detail}")


def client(**options):
    made = KankaClient(TOKEN, CAMPAIGN, **options)
    made.BASE_URL = BASE
    return made


def png(size, seed):
    body = bytearray(b"\x89PNG\r\n\x1a\n")
    value = seed
    while len(body) < size:
        value = (value * 31 + 7) % 256
        body.append(value)
    return bytes(body)


def write_file(directory, name, content):
    path = os.path.join(directory, name)
    with open(path, "wb") as handle:
        handle.write(content)
    return path


def faults(plan):
    answer = requests.put(f"{ORIGIN}/__sandbox/faults", json=plan, timeout=10)
    answer.raise_for_status()
    return answer.json().get("injected", {}).get("rateLimited", 0)


def injected_rate_limits():
    return requests.get(f"{ORIGIN}/__sandbox/faults", timeout=10).json().get("injected", {}).get("rateLimited", 0)


def expect_raises(name, exception, call, contains=None):
    try:
        call()
    except exception as error:
        check(name, contains is None or contains in str(error), f"message: {error}")
        return
    except Exception as error:  # noqa: BLE001 - any other exception is the failure being reported
        check(name, False, f"raised {type(error).__name__}: {error}")
        return
    check(name, False, "no exception")


def main(workdir):
    kanka = client()

    # Paging: 45 per page whatever `limit` says; folders first. Seed past one page with a raw multi-file upload.
    files = [("file[]", (f"seed-{index:02}.png", png(200 + index, index))) for index in range(44)]
    seeded = requests.post(f"{BASE}/campaigns/{CAMPAIGN}/images", files=files,
        headers={"Authorization": f"Bearer {TOKEN}", "Accept": "application/json"}, timeout=30)
    check("a raw 44-file upload answers 200 with 44 rows", seeded.status_code == 200 and len(seeded.json()["data"]) == 44)
    page1 = kanka.gallery(page=1, limit=10)
    meta = kanka.last_gallery_meta
    check("gallery() ignores limit: 45 rows on page 1", len(page1) == 45, f"got {len(page1)}")
    check("meta.per_page is 45", meta.get("per_page") == 45, str(meta.get("per_page")))
    folder_count = len(FOLDERS)
    check("folders come first", folder_count > 0 and all(image.is_folder for image in page1[:folder_count])
        and not any(image.is_folder for image in page1[folder_count:]))
    collected = list(page1)
    page = 1
    while kanka.last_gallery_links.get("next"):
        page += 1
        collected += kanka.gallery(page=page)
    check("paging by links.next reaches meta.total", len(collected) == meta.get("total") and page == meta.get("last_page"),
        f"{len(collected)} rows over {page} pages, meta {meta.get('total')}/{meta.get('last_page')}")
    check("ids are unique UUID strings", len({image.id for image in collected}) == len(collected)
        and all(isinstance(image.id, str) and len(image.id) == 36 for image in collected))
    sample = next(image for image in collected if not image.is_folder)
    check("image fields parse (size int, created_at datetime)", isinstance(sample.size, int)
        and sample.created_at is not None and sample.created_at.year >= 2024)

    # Upload into a folder: name from the file name, ext from the content, size in KiB rounded up.
    folder = FOLDERS.get("Maps") or next(iter(FOLDERS.values()), None)
    content = png(3_170, 42)
    path = write_file(workdir, "harbour.at.dusk.jpg", content)
    uploaded = kanka.gallery_upload(path, folder_id=folder, visibility_id=2)
    check("gallery_upload into a folder", uploaded.folder_id == folder, f"folder_id {uploaded.folder_id}")
    check("name drops only the last extension", uploaded.name == "harbour.at.dusk", uploaded.name)
    check("ext comes from the content (a PNG named .jpg)", uploaded.ext == "png", str(uploaded.ext))
    check("size is KiB rounded up", uploaded.size == math.ceil(len(content) / 1024), str(uploaded.size))
    check("visibility_id on upload is ignored", uploaded.visibility_id == 1, str(uploaded.visibility_id))
    check("description/author/version kept as extras", (uploaded.model_extra or {}).get("version") == 1
        and "description" in (uploaded.model_extra or {}))

    fetched = kanka.gallery_get(uploaded.id)
    check("gallery_get returns the image", fetched.id == uploaded.id and fetched.name == uploaded.name)
    check("path is a 300x300 thumbnail", "/300x300/smart/src/" in (fetched.path or ""), str(fetched.path))
    storage = (fetched.path or "").split("/src/", 1)[-1]
    original = requests.get(f"{ORIGIN}/cdn/{storage}", timeout=10)
    check("the CDN serves the original bytes", original.status_code == 200 and original.content == content)
    thumbnail = requests.get(fetched.path, timeout=10)
    check("the thumbnail is not the original", thumbnail.status_code == 200 and thumbnail.content != content)

    check("gallery_delete returns True", kanka.gallery_delete(uploaded.id) is True)
    expect_raises("a deleted image is NotFoundError", NotFoundError, lambda: kanka.gallery_get(uploaded.id))
    expect_raises("a malformed id is NotFoundError (not 422)", NotFoundError, lambda: kanka.gallery_get("42"))
    expect_raises("an unknown uuid is NotFoundError", NotFoundError, lambda: kanka.gallery_get(str(uuid.uuid4())))

    wrong = KankaClient("eyJ" + "x" * 40, CAMPAIGN)
    wrong.BASE_URL = BASE
    expect_raises("a wrong token is AuthenticationError", AuthenticationError, lambda: wrong.gallery())

    text = write_file(workdir, "notes.png", b"just text, not an image")
    expect_raises("a non-image upload is ValidationError", ValidationError, lambda: kanka.gallery_upload(text),
        contains="must be a file of type")
    expect_raises("an unknown folder is ValidationError", ValidationError,
        lambda: kanka.gallery_upload(path, folder_id=str(uuid.uuid4())), contains="folder id is invalid")

    # Reaction to the header-less 429 (injected in Kanka's own shape by the sandbox).
    faults({"rateLimitNext": 2})
    started = time.monotonic()
    listed = kanka.gallery()
    waited = time.monotonic() - started
    check("gallery() retries past two 429s with its backoff (1 s + 2 s)", len(listed) > 0 and waited >= 2.9,
        f"waited {waited:.1f} s")
    before = faults({"rateLimitNext": 1})
    expect_raises("max_retries=0 fails fast with RateLimitError", RateLimitError,
        lambda: client(max_retries=0).gallery())
    check("... after exactly one request", injected_rate_limits() - before == 1)
    before = faults({"rateLimitNext": 5})
    expect_raises("retry disabled still re-sends up to max_retries", RateLimitError,
        lambda: client(enable_rate_limit_retry=False, max_retries=3).gallery(), contains="after 2 retries")
    check("... three requests, no sleeping", injected_rate_limits() - before == 3)
    before = faults({"rateLimitNext": 1})
    expect_raises("uploads are never retried on 429", RateLimitError, lambda: kanka.gallery_upload(path),
        contains="Rate limit exceeded")
    check("... one request", injected_rate_limits() - before == 1)
    requests.delete(f"{ORIGIN}/__sandbox/faults", timeout=10)

    # The real throttle, when the sandbox runs a short window.
    if WINDOW <= 10:
        raw = requests.get(f"{BASE}/campaigns/{CAMPAIGN}/images",
            headers={"Authorization": f"Bearer {TOKEN}", "Accept": "application/json"}, timeout=10)
        check("counted answers carry X-RateLimit-Limit", raw.headers.get("X-RateLimit-Limit") == str(RATE))
        fail_fast = client(max_retries=0)
        sent = 0
        refused = None
        while sent <= RATE:
            try:
                fail_fast.gallery()
                sent += 1
            except RateLimitError as error:
                refused = error
                break
        check("the throttle refuses within one window's budget", refused is not None and sent < RATE, f"{sent} passed")
        bare = requests.get(f"{BASE}/campaigns/{CAMPAIGN}/images",
            headers={"Authorization": f"Bearer {TOKEN}", "Accept": "application/json"}, timeout=10)
        check("the real 429 is a bare array without Retry-After or X-RateLimit-*", bare.status_code == 429
            and isinstance(bare.json(), list) and "Retry-After" not in bare.headers
            and "X-RateLimit-Remaining" not in bare.headers)
        started = time.monotonic()
        recovered = kanka.gallery()
        check("gallery() recovers once the window rolls", len(recovered) > 0
            and time.monotonic() - started <= WINDOW + 16, f"{time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as workdir:
        try:
            main(workdir)
        except Exception:  # noqa: BLE001 - an unexpected error is one more failure, with its trace
            traceback.print_exc()
            check("the check script ran to its end", False)
    print(f"{results['passed'] + results['failed']} checks")
    print(f"{results['passed']} passed, {results['failed']} failed")
    sys.exit(1 if results["failed"] else 0)
