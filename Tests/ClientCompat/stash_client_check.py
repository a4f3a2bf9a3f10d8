#!/usr/bin/env python3
"""Drives stash-graphql-client 0.12.12's gallery flow against GalleryHub's Stash emulator.

Environment: STASH_URL (the GraphQL endpoint, http://127.0.0.1:<port>/graphql), STASH_API_KEY and
STASH_LIBRARY_DIR (a library folder the emulator scans). The client connects as it does to a real server (HTTP
session, WebSocket handshake on /graphql, one capability query), then images are written into the library and
brought in by metadataScan, and the gallery mixin is exercised. Prints one line per check and ends with
"stash client: N checks passed, M failed"; exits 1 on any failure.
"""
import asyncio
import os
import struct
import sys
import traceback
import uuid
import zlib
from urllib.parse import urlparse

from stash_graphql_client import StashContext
from stash_graphql_client.errors import StashGraphQLError
from stash_graphql_client.types import Gallery

URL = urlparse(os.environ["STASH_URL"])
API_KEY = os.environ["STASH_API_KEY"]
LIBRARY = os.environ["STASH_LIBRARY_DIR"]

results = {"passed": 0, "failed": 0}


def check(name, condition, detail=""):
    if condition:
        results["passed"] += 1
        print(f"ok   {name}")
    else:
        results["failed"] += 1
        print(f"FAIL {name} {detail}")


def png(seed, width=4, height=3):
    """A valid PNG whose pixels depend on the seed, so every file has its own MD5."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    rows = b"".join(b"\x00" + bytes((seed * 7 + x * 13 + y * 31) % 256 for x in range(width * 3)) for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def write_folder(name, files, marker):
    folder = os.path.join(LIBRARY, name)
    os.makedirs(folder, exist_ok=True)
    open(os.path.join(folder, marker), "wb").close()
    for filename, seed in files:
        with open(os.path.join(folder, filename), "wb") as handle:
            handle.write(png(seed))
    return folder


def connection(key=API_KEY):
    return {"Scheme": URL.scheme, "Host": URL.hostname, "Port": URL.port, "ApiKey": key}


IMAGES_BY_PATH = """
query($path: String!) { findImages(image_filter: {path: {value: $path, modifier: INCLUDES}},
    filter: {per_page: -1, sort: "path", direction: ASC}) {
  count images { id visual_files { __typename ... on ImageFile { path basename format width height
    fingerprints { type value } } } } } }
"""

GALLERY_STATE = """
query($id: ID!) { findGallery(id: $id) { image_count cover { id } first: image(index: 0) { id } } }
"""


async def scan(client, folder):
    job = await client.metadata_scan(paths=[folder])
    finished = await client.wait_for_job(job, period=0.1, timeout=30)
    return job, finished


async def run():
    run_id = uuid.uuid4().hex[:8]
    user_dir = write_folder(
        f"compat-{run_id}", [("0002-beach.png", 2), ("0001-harbour.png", 1), ("0003-poster.png", 3)], ".nogallery")
    folder_dir = write_folder(f"compat-folder-{run_id}", [("one.png", 11), ("two.png", 12)], ".forcegallery")

    async with StashContext(conn=connection()) as client:
        check("connect: WebSocket handshake and capability query", client is not None)
        version = await client.version()
        check("version is v0.30.1", version.version == "v0.30.1", version)

        job, finished = await scan(client, user_dir)
        check("metadataScan returns a numeric job id", str(job).isdigit(), job)
        check("wait_for_job sees FINISHED", finished is True)
        found = await client.find_job(job)
        check("find_job reports the finished job", found is not None and str(found.status).endswith("FINISHED"), found)
        _, finished = await scan(client, folder_dir)
        check("a second scan finishes too", finished is True)

        images = (await client.execute(IMAGES_BY_PATH, {"path": f'"{user_dir}/"'}))["findImages"]
        paths = [image["visual_files"][0]["path"] for image in images["images"]]
        check("scan created one image per file", images["count"] == 3, images["count"])
        check("images come back in natural path order",
              [os.path.basename(p) for p in paths] == ["0001-harbour.png", "0002-beach.png", "0003-poster.png"], paths)
        first_file = images["images"][0]["visual_files"][0]
        check("PNG files are ImageFiles with format png and their size",
              first_file["__typename"] == "ImageFile" and first_file["format"] == "png"
              and (first_file["width"], first_file["height"]) == (4, 3), first_file)
        check("files carry an MD5 fingerprint", first_file["fingerprints"][0]["type"] == "md5")
        ids = [image["id"] for image in images["images"]]

        marker = f"galleryhub:compat/{run_id}"
        created = await client.create_gallery(Gallery(title=f"Compat Trip {run_id}", urls=[marker], details="Sea"))
        check("create_gallery returns a numeric id", created.id.isdigit(), created.id)
        second = await client.create_gallery(Gallery(title=f"Compat Trip {run_id} b", urls=[marker + "b"]))
        gid = created.id

        fetched = await client.find_gallery(gid)
        check("find_gallery reads title, urls and details",
              fetched is not None and fetched.title == f"Compat Trip {run_id}" and fetched.urls == [marker]
              and fetched.details == "Sea", fetched)
        check("find_gallery of a missing id is None", await client.find_gallery("999999") is None)

        by_url = await client.find_galleries(gallery_filter={"url": {"value": marker, "modifier": "EQUALS"}})
        check("find_galleries by url EQUALS", by_url.count == 1 and by_url.galleries[0].id == gid, by_url.count)
        phrase = await client.find_galleries(
            gallery_filter={"title": {"value": f'"Compat Trip {run_id}"', "modifier": "INCLUDES"}},
            filter_={"per_page": -1, "sort": "title", "direction": "ASC"})
        check("find_galleries with a quoted phrase finds both", phrase.count == 2, phrase.count)
        page_ids = []
        for page in (1, 2):
            one = await client.find_galleries(
                gallery_filter={"title": {"value": f"%{run_id}%", "modifier": "EQUALS"}},
                filter_={"per_page": 1, "page": page, "sort": "id", "direction": "DESC"})
            check(f"page {page} of 1 holds one gallery out of two", one.count == 2 and len(one.galleries) == 1)
            page_ids += [g.id for g in one.galleries]
        check("DESC paging visits the newest first", page_ids == [second.id, gid], page_ids)
        invalid = await client.find_galleries(filter_={"sort": "no_such_sort"})
        check("an invalid sort is swallowed to an empty result", invalid.count == 0 and invalid.galleries == [])

        fetched.title = f"Compat Trip {run_id} (edited)"
        updated = await client.update_gallery(fetched)
        check("update_gallery changes the title", updated.title == f"Compat Trip {run_id} (edited)", updated.title)

        check("add_gallery_images", await client.add_gallery_images(gid, ids) is True)
        state = (await client.execute(GALLERY_STATE, {"id": gid}))["findGallery"]
        check("image_count after adding", state["image_count"] == 3, state)
        check("image(index: 0) is the first file in path order", state["first"]["id"] == ids[0], state)
        check("the default cover matches the cover pattern (poster)", state["cover"]["id"] == ids[2], state)

        check("set_gallery_cover", await client.set_gallery_cover(gid, ids[1]) is True)
        cover = (await client.find_gallery(gid)).cover
        check("the explicit cover wins", cover is not None and cover.id == ids[1], cover)
        check("reset_gallery_cover", await client.reset_gallery_cover(gid) is True)
        state = (await client.execute(GALLERY_STATE, {"id": gid}))["findGallery"]
        check("after reset the default cover is back", state["cover"]["id"] == ids[2], state)

        chapter = await client.gallery_chapter_create(gid, "Arrival", 1)
        check("gallery_chapter_create is 1-based", chapter.image_index == 1 and chapter.title == "Arrival", chapter)
        try:
            await client.gallery_chapter_create(gid, "Past the end", 4)
            check("a chapter past the end is refused", False)
        except Exception as error:
            check("a chapter past the end is refused", "in range of the gallery images" in str(error), error)
        moved = await client.gallery_chapter_update(chapter.id, image_index=2)
        check("gallery_chapter_update takes the index the client sends as a string", moved.image_index == 2, moved)

        check("remove_gallery_images", await client.remove_gallery_images(gid, [ids[0]]) is True)
        state = (await client.execute(GALLERY_STATE, {"id": gid}))["findGallery"]
        check("image_count after removing", state["image_count"] == 2, state)

        folder_galleries = await client.find_galleries(
            gallery_filter={"path": {"value": folder_dir, "modifier": "EQUALS"}})
        check(".forcegallery made a folder gallery", folder_galleries.count == 1, folder_galleries.count)
        try:
            await client.add_gallery_images(folder_galleries.galleries[0].id, [ids[0]])
            check("a folder gallery refuses add_gallery_images", False)
        except StashGraphQLError as error:
            check("a folder gallery refuses add_gallery_images", "folder-based gallery" in str(error), error)
        try:
            await client.update_gallery(Gallery(id="999999", title="nobody"))
            check("updating a missing gallery raises StashGraphQLError", False)
        except StashGraphQLError as error:
            check("updating a missing gallery raises StashGraphQLError", "not found" in str(error), error)
        try:
            await client.execute("query { findGallery(id: \"1\") { id no_such_field } }")
            check("an unknown field fails validation", False)
        except Exception as error:
            check("an unknown field fails validation", "Cannot query field" in str(error), error)

        check("gallery_destroy", await client.gallery_destroy([gid, second.id]) is True)
        check("a destroyed gallery is gone", await client.find_gallery(gid) is None)

    try:
        async with StashContext(conn=connection("wrong-key")) as client:
            await client.version()
        check("a wrong API key cannot connect", False)
    except Exception as error:
        check("a wrong API key cannot connect", True, error)


def main():
    try:
        asyncio.run(run())
    except Exception:
        traceback.print_exc()
        results["failed"] += 1
    print(f"stash client: {results['passed']} checks passed, {results['failed']} failed")
    sys.exit(1 if results["failed"] else 0)


if __name__ == "__main__":
    main()
