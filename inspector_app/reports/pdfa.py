"""Turn a finished report PDF into PDF/A-2b for archiving an issued report: XMP metadata with
the PDF/A identification, an sRGB output intent, the document title, no encryption; then
``qpdf --check`` (when qpdf is installed) must find no error."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import pikepdf
from PIL import ImageCms

PRODUCER = "IDI Inspector (reportlab, pikepdf)"


class PdfCheckFailed(RuntimeError):
    def __init__(self, path: str, output: str) -> None:
        super().__init__(f"{path}: qpdf --check 未通过：{output.strip()[-400:]}")
        self.path, self.output = path, output


@cache
def srgb_profile() -> bytes:
    """An sRGB ICC profile made by LittleCMS (through Pillow): nothing to ship."""
    return bytes(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())


def apply(pdf: pikepdf.Pdf, *, title: str, author: str = "", subject: str = "", lang: str = "zh-CN",
          moment: datetime | None = None) -> None:
    """Make an open document PDF/A-2b: output intent, XMP identification and metadata. The XMP
    dates are ``moment`` when given (a report's: the same data makes the same bytes), else now."""
    icc = pikepdf.Stream(pdf, srgb_profile())
    icc.N = 3
    pdf.Root.OutputIntents = pikepdf.Array([pikepdf.Dictionary(
        Type=pikepdf.Name.OutputIntent, S=pikepdf.Name.GTS_PDFA1,
        OutputConditionIdentifier=pikepdf.String("sRGB IEC61966-2.1"), Info=pikepdf.String("sRGB"),
        DestOutputProfile=pdf.make_indirect(icc))])
    pdf.Root.Lang = pikepdf.String(lang)
    for page in pdf.pages:  # PDF/A: every annotation printable, none hidden
        for annot in page.get("/Annots", []):
            annot.F = 4
    now = moment or datetime.now(UTC).astimezone()
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["pdfaid:part"] = "2"
        meta["pdfaid:conformance"] = "B"
        meta["dc:title"] = title
        if author:
            meta["dc:creator"] = [author]
        if subject:
            meta["dc:description"] = subject
        meta["xmp:CreatorTool"] = "IDI Inspector"
        meta["pdf:Producer"] = PRODUCER
        meta["xmp:CreateDate"] = meta.get("xmp:CreateDate") or now.isoformat()
        meta["xmp:ModifyDate"] = now.isoformat()
    pdf.docinfo[pikepdf.Name.Title] = title
    pdf.docinfo[pikepdf.Name.Producer] = PRODUCER


def convert(src: str | os.PathLike[str], dst: str | os.PathLike[str], *, title: str, author: str = "",
            subject: str = "", lang: str = "zh-CN", check: bool = True) -> Path:
    """Write ``dst``, a PDF/A-2b copy of ``src`` (``src`` may equal ``dst``)."""
    src, dst = Path(src), Path(dst)
    tmp = dst.with_name(f".{dst.name}.pdfa.tmp")
    with pikepdf.open(src) as pdf:
        apply(pdf, title=title, author=author, subject=subject, lang=lang)
        pdf.save(tmp, min_version="1.7", encryption=False)
    os.replace(tmp, dst)
    if check:
        qpdf_check(dst)
    return dst


def qpdf_check(path: str | os.PathLike[str]) -> None:
    """Raise PdfCheckFailed when ``qpdf --check`` reports an error; skip when qpdf is absent."""
    exe = shutil.which("qpdf")
    if exe is None:
        return
    proc = subprocess.run([exe, "--check", str(path)], capture_output=True, text=True, timeout=600)
    if proc.returncode not in (0, 3):  # 3: warnings only
        raise PdfCheckFailed(str(path), proc.stdout + proc.stderr)
