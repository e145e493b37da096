"""The one guard every zip-based file (docx, xlsx, and any added later) passes before a library opens it.

A zip archive declares each member's inflated size in its central directory, which ``zipfile`` reads
without inflating anything. The guard adds those sizes up and refuses the file past a bound, before
python-docx or openpyxl inflate a byte: a 2.6 MB workbook whose sheet inflates to 1.3 GB is refused in
milliseconds instead of taking 37 s and 1.3 GB of memory. A member that inflates past its declared size
cannot slip through either: ``zipfile`` stops reading at the declared size and fails the CRC check.

Both the parser (``duban.plan``) and the ledger's workbook import use it, so it depends on neither.
"""

from __future__ import annotations

import zipfile
from io import BytesIO

MAX_INFLATED_BYTES = 200 * 1024 * 1024  # a notice's docx: images and all
MAX_WORKBOOK_INFLATED_BYTES = 64 * 1024 * 1024  # a 3,000-task ledger workbook inflates to about 3 MB
MAX_MEMBERS = 10_000


class ArchiveRefused(Exception):
    """The archive is corrupt or too large once inflated; ``message`` says which, in Chinese."""

    def __init__(self, message: str, too_large: bool) -> None:
        super().__init__(message)
        self.message = message
        self.too_large = too_large


def check_zip(
    data: bytes,
    what: str,
    max_inflated_bytes: int = MAX_INFLATED_BYTES,
    max_members: int = MAX_MEMBERS,
    required: str | None = None,
) -> list[zipfile.ZipInfo]:
    """The members of the zip archive ``data`` (``what`` names it in messages: ``Word 文件``, ``工作簿``), or
    :class:`ArchiveRefused` when it cannot be opened, lacks the member ``required``, has more than
    ``max_members`` members or declares more than ``max_inflated_bytes`` once inflated."""
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise ArchiveRefused(f"{what}已损坏或不完整，无法打开", too_large=False) from exc
    if required is not None and required not in {info.filename for info in infos}:
        raise ArchiveRefused(f"这个压缩文件不是{what}", too_large=False)
    if len(infos) > max_members:
        raise ArchiveRefused(
            f"{what}包含的部件过多（{len(infos)} 个，上限 {max_members} 个）", too_large=True
        )
    inflated = sum(info.file_size for info in infos)
    if inflated > max_inflated_bytes:
        raise ArchiveRefused(
            f"{what}解压后过大（{inflated / 1e6:.0f} MB，上限 {max_inflated_bytes / 1e6:.0f} MB），疑似压缩炸弹",
            too_large=True,
        )
    return infos
