"""Response models of ``GET /api/attachments``: what a page needs to list, preview and download a file."""

from __future__ import annotations

from pydantic import BaseModel


class AttachmentOut(BaseModel):
    id: int
    report_id: int
    filename: str
    # The type the file is served as (``served_type``): a page previews images and PDF, nothing else.
    content_type: str
    size: int
    created_at: str
    # Where to GET it: always served as a download (Content-Disposition: attachment, nosniff).
    url: str


class AttachmentList(BaseModel):
    items: list[AttachmentOut]
    total: int
