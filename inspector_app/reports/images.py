"""Photos embedded after layout, streamed from their JPEG files.

reportlab keeps every image's bytes in memory until it saves, then builds the whole file as one
bytes object: 4,000 photos of 300 kB would need well over 2 GB. So the layout draws each photo
as a reference to an empty placeholder form (``canvas.doForm``), and ``embed`` then:

1. writes the JPEG files, unchanged, into an images-only PDF, one file at a time;
2. opens the laid-out PDF with pikepdf and points each placeholder form at its image, copied
   from the images-only PDF (qpdf copies stream data lazily: it is read while writing);
3. saves the result (optionally as PDF/A-2b in the same pass).

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


def write_image_pdf(files: list[tuple[str, str]], out: Path) -> dict[str, int]:
    """An images-only PDF holding each JPEG file as an image XObject, written sequentially
    (one file in memory at a time); returns object number by key."""
    numbers: dict[str, int] = {}
    offsets: list[int] = []
    with open(out, "wb") as fh:
        fh.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")

        def obj(body: bytes) -> None:
            offsets.append(fh.tell())
            fh.write(f"{len(offsets)} 0 obj\n".encode() + body + b"\nendobj\n")

        obj(b"<< /Type /Catalog /Pages 2 0 R >>")
        obj(b"<< /Type /Pages /Kids [] /Count 0 >>")
        for key, path in files:
            with Image.open(path) as img:  # header only
                (w, h), mode, fmt = img.size, img.mode, img.format
            if fmt != "JPEG" or mode not in _SPACES:
                raise ValueError(f"{path}: 报告照片应为 JPEG（L/RGB/CMYK），实际 {fmt} {mode}")
            space, decode = _SPACES[mode]
            size = os.path.getsize(path)
            offsets.append(fh.tell())
            numbers[key] = len(offsets)
            fh.write(f"{len(offsets)} 0 obj\n<< /Type /XObject /Subtype /Image /Width {w} /Height {h} "
                     f"/BitsPerComponent 8 /ColorSpace ".encode() + space + decode +
                     f" /Filter /DCTDecode /Length {size} >>\nstream\n".encode())
            with open(path, "rb") as src:
                shutil.copyfileobj(src, fh, 1 << 20)
            fh.write(b"\nendstream\nendobj\n")
        xref = fh.tell()
        fh.write(f"xref\n0 {len(offsets) + 1}\n0000000000 65535 f \n".encode())
        fh.write(b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets))
        fh.write(f"trailer\n<< /Size {len(offsets) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return numbers


def embed(layout_pdf: Path, out_path: Path, images: dict[str, str], *,
          finish: Callable[[pikepdf.Pdf], None] | None = None) -> None:
    """Fill the placeholder forms of ``layout_pdf`` with the JPEG files (sha256 -> path) and
    write ``out_path``; ``finish`` may edit the document before it is saved (PDF/A)."""
    image_pdf = out_path.with_name(f".{out_path.name}.images.tmp")
    tmp = out_path.with_name(f".{out_path.name}.tmp")
    try:
        numbers = write_image_pdf(sorted(images.items()), image_pdf)
        with pikepdf.open(layout_pdf) as pdf, pikepdf.open(image_pdf) as source:
            done: set[tuple[int, int]] = set()
            for page in pdf.pages:
                resources = page.obj.get("/Resources")
                xobjects = resources.get("/XObject") if resources is not None else None
                if xobjects is None:
                    continue
                for key in list(xobjects.keys()):
                    name = key[1:]
                    if not name.startswith(f"FormXob.{PREFIX}"):
                        continue
                    form = xobjects[key]
                    if form.objgen in done:
                        continue
                    done.add(form.objgen)
                    sha = name[len(f"FormXob.{PREFIX}"):]
                    image = pdf.copy_foreign(source.get_object((numbers[sha], 0)))
                    form.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image))
                    form.write(b"/Im0 Do")
            if finish is not None:
                finish(pdf)
            pdf.save(tmp, min_version="1.7")  # PDF/A-2 is based on PDF 1.7
        os.replace(tmp, out_path)
    finally:
        image_pdf.unlink(missing_ok=True)
        tmp.unlink(missing_ok=True)
