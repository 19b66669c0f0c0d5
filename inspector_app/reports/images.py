"""Photos embedded after layout, streamed from their JPEG files.

reportlab keeps every image's bytes in memory until it saves, then builds the whole file as one
bytes object: 4,000 photos of 300 kB would need well over 2 GB. So the layout draws each photo
as a reference to an empty placeholder form (``canvas.doForm``), and ``embed`` then:

1. applies any document-level edits (PDF/A) to the small laid-out file with pikepdf;
2. appends an incremental update: each JPEG file copied unchanged, in chunks, as an image
   object, and a new version of each placeholder form drawing that image.

Peak memory stays near that of the layout; the JPEG bytes pass through untouched."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path

import pikepdf
from PIL import Image
from reportlab.pdfgen.canvas import Canvas

PREFIX = "img_"
_SPACES = {"L": (b"/DeviceGray", b""), "RGB": (b"/DeviceRGB", b""),
           "CMYK": (b"/DeviceCMYK", b" /Decode [1 0 1 0 1 0 1 0]")}  # Adobe JPEGs store CMYK inverted


def form_name(sha256: str) -> str:
    return f"{PREFIX}{sha256}"


def draw_placeholder(canvas: Canvas, sha256: str, x: float, y: float, w: float, h: float) -> None:
    """Where the photo goes: a unit-square form scaled to the photo's box."""
    canvas.saveState()
    canvas.transform(w, 0, 0, h, x, y)
    canvas.doForm(form_name(sha256))
    canvas.restoreState()


def define_placeholders(canvas: Canvas, shas: Iterable[str]) -> None:
    """Empty forms for every placeholder used (the layout's save needs them defined)."""
    for sha in shas:
        canvas.beginForm(form_name(sha), 0, 0, 1, 1)
        canvas.endForm()


def _image_header(path: str, number: int) -> bytes:
    with Image.open(path) as img:  # header only
        (w, h), mode, fmt = img.size, img.mode, img.format
    if fmt != "JPEG" or mode not in _SPACES:
        raise ValueError(f"{path}: 报告照片应为 JPEG（L/RGB/CMYK），实际 {fmt} {mode}")
    space, decode = _SPACES[mode]
    return (f"{number} 0 obj\n<< /Type /XObject /Subtype /Image /Width {w} /Height {h} /BitsPerComponent 8 "
            f"/ColorSpace ".encode() + space + decode +
            f" /Filter /DCTDecode /Length {os.path.getsize(path)} >>\nstream\n".encode())


def _placeholders(pdf: pikepdf.Pdf) -> dict[str, tuple[int, int]]:
    """Object number and generation of each placeholder form, by photo SHA-256."""
    found: dict[str, tuple[int, int]] = {}
    marker = f"/FormXob.{PREFIX}"
    for page in pdf.pages:
        resources = page.obj.get("/Resources")
        xobjects = resources.get("/XObject") if resources is not None else None
        if xobjects is None:
            continue
        for key in xobjects.keys():
            if key.startswith(marker):
                found[key[len(marker):]] = xobjects[key].objgen
    return found


def _startxref(path: Path) -> int:
    with open(path, "rb") as fh:
        fh.seek(max(0, path.stat().st_size - 1024))
        tail = fh.read()
    return int(tail[tail.rindex(b"startxref") + 9:].split()[0])


def embed(layout_pdf: Path, out_path: Path, images: dict[str, str], *,
          finish: Callable[[pikepdf.Pdf], None] | None = None) -> None:
    """Fill the placeholder forms of ``layout_pdf`` with the JPEG files (sha256 -> path) and
    write ``out_path``; ``finish`` may edit the document first (PDF/A metadata).

    The photos go in as an incremental update appended to the laid-out file: new image objects
    whose stream is the JPEG file copied in chunks, new versions of the placeholder forms, an
    xref section and a trailer pointing back to the previous one. Nothing holds all the photos."""
    tmp = out_path.with_name(f".{out_path.name}.tmp")
    try:
        with pikepdf.open(layout_pdf) as pdf:
            if finish is not None or not images:
                if finish is not None:
                    finish(pdf)
                pdf.save(tmp, min_version="1.7", object_stream_mode=pikepdf.ObjectStreamMode.disable,
                         deterministic_id=True)  # the same layout makes the same bytes
            else:
                shutil.copyfile(layout_pdf, tmp)
        if images:
            _append(tmp, images)
        os.replace(tmp, out_path)
    finally:
        tmp.unlink(missing_ok=True)


def _append(path: Path, images: dict[str, str]) -> None:
    with pikepdf.open(path) as pdf:
        forms = _placeholders(pdf)
        trailer = pdf.trailer
        size = int(trailer.Size)
        root = trailer.Root.objgen
        info = trailer.Info.objgen if "/Info" in trailer else None
        ids = [bytes(x).hex() for x in trailer.ID] if "/ID" in trailer else None
    prev = _startxref(path)
    entries: list[tuple[int, int, int]] = []  # number, generation, offset
    with open(path, "ab") as fh:
        fh.write(b"\n")  # the previous file may not end with an end-of-line
        for sha, (num, gen) in sorted(forms.items()):
            image_num = size
            size += 1
            entries.append((image_num, 0, fh.tell()))
            fh.write(_image_header(images[sha], image_num))
            with open(images[sha], "rb") as src:
                shutil.copyfileobj(src, fh, 1 << 20)
            fh.write(b"\nendstream\nendobj\n")
            entries.append((num, gen, fh.tell()))
            fh.write(f"{num} {gen} obj\n<< /Type /XObject /Subtype /Form /FormType 1 /BBox [0 0 1 1] "
                     f"/Matrix [1 0 0 1 0 0] /Resources << /XObject << /Im0 {image_num} 0 R >> >> /Length 7 >>\n"
                     f"stream\n/Im0 Do\nendstream\nendobj\n".encode())
        xref = fh.tell()
        fh.write(b"xref\n")
        for num, gen, offset in sorted(entries):
            fh.write(f"{num} 1\n{offset:010d} {gen:05d} n \n".encode())
        extra = f" /Info {info[0]} {info[1]} R" if info else ""
        if ids:
            extra += f" /ID [<{ids[0]}> <{ids[-1]}>]"
        fh.write(f"trailer\n<< /Size {size} /Root {root[0]} {root[1]} R{extra} /Prev {prev} >>\n"
                 f"startxref\n{xref}\n%%EOF\n".encode())
