"""Page previews of a PDF as PNG bytes (pypdfium2), for the report centre; no Qt here."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path


def page_images(pdf: Path | str, *, width: int = 360, limit: int = 60,
                cancel: Callable[[], bool] | None = None) -> list[bytes]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        out: list[bytes] = []
        for i in range(min(len(doc), limit)):
            if cancel is not None and cancel():
                break
            page = doc[i]
            scale = width / page.get_width()
            buf = io.BytesIO()
            page.render(scale=scale).to_pil().save(buf, "PNG")
            out.append(buf.getvalue())
        return out
    finally:
        doc.close()
