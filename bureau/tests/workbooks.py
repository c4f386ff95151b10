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


def one_long_row(cells: int, *, dimension: str = "A1:B2") -> io.BytesIO:
    """A minimal workbook whose only row holds `cells` cells while its
    dimension claims a small sheet: a few KB that would unpack to a row
    openpyxl builds in memory whole."""
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
            'package/2006/content-types"><Default Extension="rels" ContentType='
            '"application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/></Types>',
        )
        z.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
            f'Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        z.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0"?><workbook xmlns="{ns}" xmlns:r="{rel}"><sheets>'
            '<sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
            f'Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        )
        z.writestr(
            "xl/worksheets/sheet1.xml",
            f'<?xml version="1.0"?><worksheet xmlns="{ns}"><dimension ref="{dimension}"/>'
            '<sheetData><row r="1">' + "<c><v>1</v></c>" * cells + "</row>"
            "</sheetData></worksheet>",
        )
    out.seek(0)
    return out
