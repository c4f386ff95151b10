"""Doctored workbooks for the tests of the xlsx readers."""

from __future__ import annotations

import io
import re
import zipfile


def declaring_dimension(workbook: bytes, ref: str) -> io.BytesIO:
    """The same workbook, its first sheet now declaring the dimension `ref`
    (e.g. "A1:XFD1048576") whatever it really holds."""
    out = io.BytesIO()
    source = zipfile.ZipFile(io.BytesIO(workbook))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content, count = re.subn(
                    rb'<dimension ref="[^"]*"/>',
                    f'<dimension ref="{ref}"/>'.encode(),
                    content,
                )
                assert count == 1, "the sheet declares no dimension"
            target.writestr(item, content)
    out.seek(0)
    return out
