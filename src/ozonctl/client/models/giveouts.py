"""Return giveouts (``/v1/return/giveout/*``): returns waiting at Ozon's warehouses that
the seller collects with one barcode."""

from __future__ import annotations

import base64
import binascii
import json

from pydantic import Field

from ozonctl.client.models.common import Int64, Lenient, Moment


class Giveout(Lenient):
    """One giveout of ``/v1/return/giveout/list`` (``info`` leaves out the counts, the
    warehouse id and the date)."""

    giveout_id: Int64
    giveout_status: str = ""
    created_at: Moment = None
    warehouse_id: Int64 | None = None
    warehouse_name: str = ""
    warehouse_address: str = ""
    approved_articles_count: int | None = None
    total_articles_count: int | None = None


class GiveoutArticle(Lenient):
    approved: bool = False
    delivery_schema: str = ""
    name: str = ""
    seller_id: Int64 | None = None


class GiveoutInfo(Giveout):
    articles: list[GiveoutArticle] = Field(default_factory=list)


class GiveoutFile(Lenient):
    """The barcode file: Base64 in a JSON object, as the document's schema gives it (it
    names the answer's type ``application/pdf``/``image/png`` all the same)."""

    file_content: str = ""
    file_name: str = ""
    content_type: str = ""

    def content(self) -> bytes:
        """The file; ValueError when it is not a PDF or PNG in Base64."""
        try:
            data = base64.b64decode(self.file_content, validate=True)
        except (ValueError, binascii.Error):
            data = b""
        if data[:4] not in MAGIC:
            raise ValueError("Ozon's answer holds no PDF or PNG file")
        return data


MAGIC = {b"%PDF": "application/pdf", b"\x89PNG": "image/png"}


def read_file(body: bytes) -> GiveoutFile:
    """A get-pdf/get-png answer: the JSON object, or the file itself should Ozon send it
    as the type its document names."""
    if body[:4] in MAGIC:
        encoded = base64.b64encode(body).decode()
        return GiveoutFile(file_content=encoded, content_type=MAGIC[body[:4]])
    return GiveoutFile.model_validate(json.loads(body or b"{}"))
