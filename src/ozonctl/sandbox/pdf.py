"""Small, valid PDFs (A6 pages of Helvetica text) for the files the sandbox serves: label
files (one page a posting, as Ozon's are) and acceptance documents."""

from __future__ import annotations

from collections.abc import Sequence


def _escape(text: str) -> str:
    ascii_text = text.encode("ascii", "replace").decode()
    return ascii_text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def pages_pdf(pages: Sequence[Sequence[str]]) -> bytes:
    """A PDF with one A6 page per item of ``pages``, each listing its lines (at most 25);
    xref offsets are exact. An empty ``pages`` still makes one blank page."""
    pages = list(pages) or [[]]
    font = 3 + 2 * len(pages)
    kids = " ".join(f"{3 + 2 * k} 0 R" for k in range(len(pages)))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids.encode(), len(pages)),
    ]
    for k, lines in enumerate(pages):
        text = ["BT", "/F1 11 Tf", "14 TL", "20 400 Td"]
        text += [f"({_escape(line)}) Tj T*" for line in lines[:25]]
        text.append("ET")
        stream = "\n".join(text).encode()
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 298 420] "
            b"/Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>" % (font, 4 + 2 * k)
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def label_pdf(task_id: int, postings: Sequence[str]) -> bytes:
    """A label file: one page per posting (its number, the task)."""
    return pages_pdf([["Ozon label", number, f"task {task_id}"] for number in postings])
