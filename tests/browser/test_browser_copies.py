"""The parallel check in headless Chromium: a citizen copies a precinct's protocol through the public form
(label, figures, a photo), then sees the difference, the official figure beside the copy's and the photo on
the unit's copies page, in English and in Kazakh, under the Content-Security-Policy."""

from __future__ import annotations

import re
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest
from tests.browser.site import GOOD, Site, shot, wait_until
from tests.elections import FIELDS

pytestmark = pytest.mark.browser


def tiny_png() -> bytes:
    """A real 2×2 grey PNG (the page shows it, so it must decode)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 2, 2, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x80\x80\x00\x80\x80")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def test_a_citizen_copy_is_listed_with_its_photo(site: Site, new_page: Any, tmp_path: Path) -> None:
    photo = tmp_path / "protocol.png"
    photo.write_bytes(tiny_png())
    copied = dict(zip(FIELDS, GOOD["P1"], strict=True))
    copied["yes"] -= 7
    copied["no"] += 7
    page = new_page()
    page.goto(site.url + "/events/small/precincts/P1/copy?lang=en")
    page.get_by_label(re.compile("^Your label")).fill("a citizen of Kokshetau")
    for name, value in copied.items():
        page.locator(f'input[name="q1.{name}"]').fill(str(value))
    page.locator('input[name="photo"]').set_input_files(str(photo))
    page.get_by_role("button", name="Submit the copy").click()
    page.wait_for_load_state()
    assert "Differs from the official entry" in page.locator("p.result").inner_text()
    shot(page, f"{site.backend}-copy-1-kept")

    page.get_by_role("link", name="Observers' copies").click()
    page.wait_for_url(re.compile(r"/events/small/units/P1/copies\?lang=en$"))
    rows = page.locator("section.copy table tbody tr").all_inner_texts()
    official = dict(zip(FIELDS, GOOD["P1"], strict=True))
    assert [r.split("\t")[2:] for r in rows] == [
        [str(official["yes"]), str(copied["yes"])],
        [str(official["no"]), str(copied["no"])],
    ]
    wait_until(page, "document.querySelector('section.copy img').complete")
    assert page.evaluate("document.querySelector('section.copy img').naturalWidth") == 2
    shot(page, f"{site.backend}-copy-2-page")

    page.locator("nav.langs a[hreflang=kk]").click()
    page.wait_for_url(re.compile(r"lang=kk"))
    assert "Ресми енгізуден өзгеше" in page.locator("main").inner_text()
