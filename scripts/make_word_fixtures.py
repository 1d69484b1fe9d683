"""Write the Word (.docx) test fixtures and example contracts, byte for byte the same every time.

Usage: python scripts/make_word_fixtures.py [REPO_DIR]

Writes, under REPO_DIR (default: this repository):

* ``tests/fixtures/contracts/word-numbered.docx``: a law-firm style agreement whose
  clause numbers come from heading-style numbering ("Section %1." / "%1.%2" / "(%3)"),
  a style based on a heading style, a restart (``w:startOverride``) for its schedule,
  an order-form table ("Target Uptime | 99.95%"), a milestone table with a header row
  and merged cells, a table of contents, a page header and footer, a footnote and a
  comment that are not contract text;
* ``tests/fixtures/contracts/word-redline.docx``: a customer mark-up with tracked
  changes: an inserted clause, a disclaimer replaced by "shall", a moved paragraph, a
  deleted paragraph mark, a deleted paragraph, a formatting change and a comment;
* ``examples/deals/contracts/harbourline-msa.docx`` and
  ``examples/deals/contracts/osprey-order-form-redline.docx``: the Word contracts of
  the example deals ``harbourline-freight.yaml`` and ``osprey-biotech.yaml``.

The packages are written as raw WordprocessingML (python-docx cannot write numbering
definitions, tracked changes or content controls), with fixed timestamps in
``docProps/core.xml`` and fixed zip entry dates, so that regenerating them changes no
byte. ``docx_bytes`` is also used by the tests to build small documents.
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
ZIP_DATE = (2026, 11, 2, 9, 0, 0)
STAMP = "2026-11-02T09:00:00Z"
CUSTOMER = "Casey Counsel (Customer)"
PROVIDER = "Dana Drafter (Provider)"
CHANGED = "2026-11-03T10:15:00Z"

_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

# ---------------------------------------------------------------- XML helpers


def run(text: str, *, bold: bool = False, extra: str = "") -> str:
    """A run of text (``w:r``/``w:t``), tabs as ``w:tab``."""
    properties = "<w:b/>" if bold else ""
    properties += extra
    rpr = f"<w:rPr>{properties}</w:rPr>" if properties else ""
    pieces = []
    for index, part in enumerate(text.split("\t")):
        if index:
            pieces.append("<w:tab/>")
        if part:
            pieces.append(f'<w:t xml:space="preserve">{escape(part)}</w:t>')
    return f"<w:r>{rpr}{''.join(pieces)}</w:r>"


def _change_attrs(change_id: int, author: str, date: str) -> str:
    return f'w:id="{change_id}" w:author={quoteattr(author)} w:date="{date}"'


def ins(text: str, change_id: int, author: str = CUSTOMER, date: str = CHANGED) -> str:
    """Text inserted by a tracked change."""
    return f"<w:ins {_change_attrs(change_id, author, date)}>{run(text)}</w:ins>"


def delete(text: str, change_id: int, author: str = CUSTOMER, date: str = CHANGED) -> str:
    """Text deleted by a tracked change."""
    deleted = f'<w:r><w:delText xml:space="preserve">{escape(text)}</w:delText></w:r>'
    return f"<w:del {_change_attrs(change_id, author, date)}>{deleted}</w:del>"


def para(
    content: str | list[str],
    style: str | None = None,
    *,
    num: tuple[int, int] | None = None,
    mark: str = "",
    extra_ppr: str = "",
) -> str:
    """A paragraph: ``content`` is text or a list of ready-made runs; ``num`` is (numId, ilvl);
    ``mark`` goes into the paragraph mark's ``w:rPr`` (a tracked insertion or deletion)."""
    body = run(content) if isinstance(content, str) else "".join(content)
    ppr = f'<w:pStyle w:val="{style}"/>' if style else ""
    if num is not None:
        ppr += f'<w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr>'
    ppr += extra_ppr
    if mark:
        ppr += f"<w:rPr>{mark}</w:rPr>"
    return f"<w:p>{f'<w:pPr>{ppr}</w:pPr>' if ppr else ''}{body}</w:p>"


def cell(content: str | list[str], *, span: int = 1, vmerge: str | None = None) -> str:
    """A table cell holding paragraphs (text, or a list of paragraph XML strings)."""
    paragraphs = para(content) if isinstance(content, str) else "".join(content)
    tcpr = '<w:tcW w:w="3000" w:type="dxa"/>'
    if span > 1:
        tcpr += f'<w:gridSpan w:val="{span}"/>'
    if vmerge == "restart":
        tcpr += '<w:vMerge w:val="restart"/>'
    elif vmerge == "continue":
        tcpr += "<w:vMerge/>"
    return f"<w:tc><w:tcPr>{tcpr}</w:tcPr>{paragraphs}</w:tc>"


def row(*cells: str, header: bool = False, trpr: str = "") -> str:
    properties = ("<w:tblHeader/>" if header else "") + trpr
    return f"<w:tr>{f'<w:trPr>{properties}</w:trPr>' if properties else ''}{''.join(cells)}</w:tr>"


def table(columns: int, *rows: str) -> str:
    grid = "".join('<w:gridCol w:w="3000"/>' for _ in range(columns))
    return (
        '<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/>'
        f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"
    )


def level(
    ilvl: int,
    fmt: str,
    text: str,
    *,
    style: str | None = None,
    start: int = 1,
    restart: int | None = None,
    legal: bool = False,
) -> str:
    """A ``w:lvl`` of a list definition."""
    parts = [f'<w:start w:val="{start}"/>', f'<w:numFmt w:val="{fmt}"/>']
    if restart is not None:
        parts.append(f'<w:lvlRestart w:val="{restart}"/>')
    if style:
        parts.append(f'<w:pStyle w:val="{style}"/>')
    if legal:
        parts.append("<w:isLgl/>")
    parts.append(f"<w:lvlText w:val={quoteattr(text)}/>")
    return f'<w:lvl w:ilvl="{ilvl}">{"".join(parts)}</w:lvl>'


def numbering_xml(abstracts: dict[int, list[str]], nums: dict[int, tuple[int, str]]) -> str:
    """``abstracts``: id -> levels; ``nums``: numId -> (abstractNumId, extra XML)."""
    body = "".join(
        f'<w:abstractNum w:abstractNumId="{a}"><w:multiLevelType w:val="multilevel"/>'
        f"{''.join(levels)}</w:abstractNum>"
        for a, levels in abstracts.items()
    )
    body += "".join(
        f'<w:num w:numId="{n}"><w:abstractNumId w:val="{a}"/>{extra}</w:num>'
        for n, (a, extra) in nums.items()
    )
    return f'{_HEAD}<w:numbering xmlns:w="{W_NS}">{body}</w:numbering>'


def restart(ilvl: int, start: int = 1) -> str:
    """A ``w:lvlOverride`` restarting level ``ilvl`` at ``start``."""
    return f'<w:lvlOverride w:ilvl="{ilvl}"><w:startOverride w:val="{start}"/></w:lvlOverride>'


# ---------------------------------------------------------------- styles and package


def _style(style_id: str, name: str, *, based_on: str | None = None, ppr: str = "") -> str:
    based = f'<w:basedOn w:val="{based_on}"/>' if based_on else ""
    return (
        f'<w:style w:type="paragraph" w:styleId="{style_id}"><w:name w:val="{name}"/>{based}'
        f"{f'<w:pPr>{ppr}</w:pPr>' if ppr else ''}</w:style>"
    )


def styles_xml(heading_num: int | None = 1) -> str:
    """Normal, Title, Heading 1-3 (numbered by list ``heading_num``), a style based on
    Heading 2, List Paragraph, TOC styles, footnote text and a table style."""

    def numbered(ilvl: int | None) -> str:
        if heading_num is None:
            return ""
        level_xml = f'<w:ilvl w:val="{ilvl}"/>' if ilvl is not None else ""
        return f'<w:numPr>{level_xml}<w:numId w:val="{heading_num}"/></w:numPr>'

    styles = [
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
        "</w:style>",
        _style("Title", "Title", based_on="Normal"),
        # Heading 1 names no level: the list links its level 0 to Heading1 (w:lvl/w:pStyle)
        _style("Heading1", "heading 1", based_on="Normal", ppr=numbered(None)),
        _style("Heading2", "heading 2", based_on="Normal", ppr=numbered(1)),
        _style("Heading3", "heading 3", based_on="Normal", ppr=numbered(2)),
        _style("ClauseHeading", "Clause Heading", based_on="Heading2"),
        _style("ListParagraph", "List Paragraph", based_on="Normal"),
        _style(
            "TOCHeading",
            "TOC Heading",
            based_on="Heading1",
            ppr='<w:numPr><w:numId w:val="0"/></w:numPr>',
        ),
        _style("TOC1", "toc 1", based_on="Normal"),
        _style("FootnoteText", "footnote text", based_on="Normal"),
        '<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/></w:style>',
    ]
    return f'{_HEAD}<w:styles xmlns:w="{W_NS}">{"".join(styles)}</w:styles>'


_CONTENT_TYPES = {
    "word/document.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "word/styles.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml",
    "word/numbering.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml",
    "word/header1.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml",
    "word/footer1.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml",
    "word/footnotes.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
    "word/comments.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml",
    "docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml",
}  # fmt: skip

_RELATION = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_PART_RELATIONS = {
    "word/styles.xml": ("rIdStyles", "styles"),
    "word/numbering.xml": ("rIdNumbering", "numbering"),
    "word/header1.xml": ("rIdHeader", "header"),
    "word/footer1.xml": ("rIdFooter", "footer"),
    "word/footnotes.xml": ("rIdFootnotes", "footnotes"),
    "word/comments.xml": ("rIdComments", "comments"),
}


def _story(tag: str, text: str) -> str:
    return f'{_HEAD}<w:{tag} xmlns:w="{W_NS}">{para(text)}</w:{tag}>'


def docx_bytes(
    body: str,
    *,
    numbering: str | None = None,
    styles: str | None = None,
    header: str | None = None,
    footer: str | None = None,
    footnote: str | None = None,
    comment: str | None = None,
    title: str = "Contract",
) -> bytes:
    """A complete .docx package around ``body`` (the XML inside ``w:body``)."""
    parts: dict[str, str] = {}
    section = ""
    if header is not None:
        parts["word/header1.xml"] = _story("hdr", header)
        section += '<w:headerReference w:type="default" r:id="rIdHeader"/>'
    if footer is not None:
        parts["word/footer1.xml"] = _story("ftr", footer)
        section += '<w:footerReference w:type="default" r:id="rIdFooter"/>'
    section += '<w:pgSz w:w="11906" w:h="16838"/>'
    parts["word/document.xml"] = (
        f'{_HEAD}<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:body>{body}'
        f"<w:sectPr>{section}</w:sectPr></w:body></w:document>"
    )
    parts["word/styles.xml"] = styles if styles is not None else styles_xml()
    if numbering is not None:
        parts["word/numbering.xml"] = numbering
    if footnote is not None:
        parts["word/footnotes.xml"] = (
            f'{_HEAD}<w:footnotes xmlns:w="{W_NS}"><w:footnote w:id="1">'
            f"{para(footnote, 'FootnoteText')}</w:footnote></w:footnotes>"
        )
    if comment is not None:
        parts["word/comments.xml"] = (
            f'{_HEAD}<w:comments xmlns:w="{W_NS}"><w:comment w:id="0" '
            f'w:author={quoteattr(CUSTOMER)} w:date="{CHANGED}">{para(comment)}</w:comment>'
            "</w:comments>"
        )
    parts["docProps/core.xml"] = (
        f'{_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
        'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{escape(title)}</dc:title><dc:creator>dealcheck</dc:creator>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{STAMP}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{STAMP}</dcterms:modified>'
        "</cp:coreProperties>"
    )
    overrides = "".join(
        f'<Override PartName="/{name}" ContentType="{_CONTENT_TYPES[name]}"/>'
        for name in sorted(parts)
    )
    content_types = (
        f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f"{overrides}</Types>"
    )
    package_rels = (
        f'{_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
        'relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>'
    )
    document_rels = "".join(
        f'<Relationship Id="{rid}" Type="{_RELATION}{kind}" Target="{name[len("word/") :]}"/>'
        for name, (rid, kind) in _PART_RELATIONS.items()
        if name in parts
    )
    files = {
        "[Content_Types].xml": content_types,
        "_rels/.rels": package_rels,
        "word/_rels/document.xml.rels": (
            f'{_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            f'relationships">{document_rels}</Relationships>'
        ),
        **{name: parts[name] for name in sorted(parts)},
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, text.encode("utf-8"))
    return buffer.getvalue()


# ---------------------------------------------------------------- the documents

#: Heading-style numbering: "Section 1." / "1.1" / "(a)" / "(i)", levels linked to Heading 1-3.
HEADING_LEVELS = [
    level(0, "decimal", "Section %1.", style="Heading1"),
    level(1, "decimal", "%1.%2", style="Heading2"),
    level(2, "lowerLetter", "(%3)", style="Heading3"),
    level(3, "lowerRoman", "(%4)"),
]


def _toc() -> str:
    """A table of contents: a content control (docPartGallery) around a TOC field."""
    begin = (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> TOC \\o "1-3" \\h \\z \\u </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
    )
    end = '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    entries = (
        para("Contents", "TOCHeading")
        + para([begin, run("Section 1. Services\t1")], "TOC1")
        + para([run("Section 2. Order Form\t1")], "TOC1")
        + para([run("Section 3. Milestones\t2"), end], "TOC1")
    )
    return (
        '<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/>'
        f"<w:docPartUnique/></w:docPartObj></w:sdtPr><w:sdtContent>{entries}</w:sdtContent></w:sdt>"
    )


def numbered_agreement() -> bytes:
    """Fixture (a): heading-style numbering, tables, TOC, header/footer, footnote, comment."""
    body = [
        para("Master Services Agreement", "Title"),  # 1
        para(
            'This Agreement is made between Acme Analytics Ltd ("Provider") and Harbourline '
            'Freight Ltd ("Customer").'
        ),  # 2
        _toc(),  # 3-6
        para("Services", "Heading1"),  # 7: Section 1.
        para(
            "Provider shall provide the Services described in the Order Form to Customer.",
            "Heading2",
        ),  # 8: 1.1
        para("Provider shall make EU data residency available by 30 June 2027", "Heading2"),  # 1.2
        para("Provider shall:", "Heading2"),  # 10: 1.3
        para("provide SAML single sign-on by 31 January 2027;", "Heading3"),  # 11: (a)
        para("provide the audit log by Q2 2027.", "Heading3"),  # 12: (b)
        para(
            "Customer shall configure SAML SSO with its own identity provider.", "ClauseHeading"
        ),  # 13: 1.4
        para("Order Form", "Heading1"),  # 14: Section 2.
        para("The commercial terms are set out in the table below."),  # 15
        table(
            2,
            row(cell("Subscription"), cell("Acme Analytics Enterprise, 180 users")),  # 16
            row(cell("Target Uptime"), cell("99.95%")),  # 17
            row(cell(["<w:p/>"]), cell(["<w:p/>"])),  # 18: an empty row
            row(
                cell(["<w:p>" + run("Support") + "</w:p>", para("Hours of cover")]), cell("24x7")
            ),  # 19
        ),
        para("Milestones", "Heading1"),  # 20: Section 3.
        table(
            3,
            row(cell("Milestone"), cell("Deliverable"), cell("Due date"), header=True),  # 21
            row(cell("1"), cell("SCIM provisioning"), cell("31 March 2027")),  # 22
            row(cell("2"), cell("EU data residency"), cell("31 May 2027", vmerge="restart")),
            row(cell("3"), cell("Audit log export"), cell(["<w:p/>"], vmerge="continue")),  # 24
            row(cell("All dates are subject to acceptance under Section 4.", span=3)),  # 25
        ),
        para("Fees", "Heading1"),  # 26: Section 4.
        para(
            [
                run("Customer shall pay all invoices within 30 days of the invoice date."),
                '<w:r><w:footnoteReference w:id="1"/></w:r>',
                '<w:commentRangeStart w:id="0"/>',
                run(" Fees are exclusive of VAT."),
                '<w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r>',
            ],
            "Heading2",
        ),  # 27: 4.1
        para("Schedule 1 - Service Level Terms", "Title"),  # 28
        para("Availability", "Heading1", num=(2, 0)),  # 29: Section 1. again (restart)
        para(
            "Provider shall make the Services available 99.9% of the time in each calendar month.",
            "Heading2",
            num=(2, 1),
        ),  # 30: 1.1
    ]
    numbering = numbering_xml({0: HEADING_LEVELS}, {1: (0, ""), 2: (0, restart(0))})
    return docx_bytes(
        "".join(body),
        numbering=numbering,
        header="CONFIDENTIAL - Provider shall provide offline mode by 1 January 2026.",
        footer="Page 1 - Provider guarantees 99.999% uptime.",
        footnote="Provider shall deliver predictive forecasting by 1 February 2026.",
        comment="Customer: can we have 45 days?",
        title="Master Services Agreement",
    )


def redline() -> bytes:
    """Fixture (b): a customer mark-up with tracked changes."""
    moved = "Customer shall configure SAML SSO with its own identity provider."
    move_from = f"<w:moveFrom {_change_attrs(20, CUSTOMER, CHANGED)}>{run(moved)}</w:moveFrom>"
    move_to = f"<w:moveTo {_change_attrs(21, CUSTOMER, CHANGED)}>{run(moved)}</w:moveTo>"
    inserted_mark = f"<w:ins {_change_attrs(1, CUSTOMER, CHANGED)}/>"
    deleted_mark = f"<w:del {_change_attrs(2, CUSTOMER, CHANGED)}/>"
    body = [
        para("Order Form AA-2026-0150 (customer mark-up)", "Title"),  # 1
        para("Commitments", "Heading1"),  # 2: Section 1.
        para([move_from], "Heading2", mark=f"<w:moveFrom {_change_attrs(22, CUSTOMER, CHANGED)}/>"),
        para(
            [
                ins(
                    "Provider shall make EU data residency available to Customer by 30 June 2027.",
                    3,
                )
            ],
            "Heading2",
            mark=inserted_mark,
        ),  # 4: 1.1, inserted entirely by the customer
        para(
            [
                run("Provider "),
                delete("is not obligated to", 4),
                ins("shall", 5),
                run(" provide SCIM provisioning by 31 March 2027."),
            ],
            "Heading2",
        ),  # 5: 1.2
        para([run("Provider shall deliver the audit log")], "Heading2", mark=deleted_mark),  # 6
        para([run("by the end of 2027.")], "Heading2"),  # 7: joined to 6 -> 1.3
        para([move_to], "Heading2"),  # 8: 1.4, moved here
        para(
            [
                delete(
                    "Provider may, at its sole discretion, make the AI assistant available.",
                    6,
                    PROVIDER,
                )
            ],
            "Heading2",
            mark=f"<w:del {_change_attrs(7, PROVIDER, CHANGED)}/>",
        ),  # 9: deleted entirely (text and mark)
        para(
            [
                '<w:commentRangeStart w:id="0"/>',
                run(
                    "Customer shall pay all invoices within 30 days.",
                    extra=f"<w:rPrChange {_change_attrs(8, CUSTOMER, CHANGED)}><w:rPr><w:b/>"
                    "</w:rPr></w:rPrChange>",
                ),
                '<w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r>',
            ],
            "Heading2",
        ),  # 10: 1.5
    ]
    numbering = numbering_xml({0: HEADING_LEVELS}, {1: (0, "")})
    return docx_bytes(
        "".join(body),
        numbering=numbering,
        comment="We need residency before our audit.",
        title="Order Form AA-2026-0150",
    )


def harbourline_msa() -> bytes:
    """Example (i): an order-form table, auto-numbered as clauses, commits 99.95% uptime."""
    body = [
        para("Master Subscription Agreement - Harbourline Freight Ltd", "Title"),
        para(
            'This Agreement is made between Acme Analytics Ltd ("Provider") and Harbourline '
            'Freight Ltd ("Customer") on 1 December 2026.'
        ),
        para("Subscription", "Heading1"),  # Section 1.
        para(
            "Provider shall provide interactive dashboards, CSV export and SAML single sign-on "
            "to Customer's Authorised Users from the Effective Date.",
            "Heading2",
        ),  # 1.1
        para("The Effective Date is 1 January 2027.", "Heading2"),  # 1.2
        para("Order Form", "Heading1"),  # Section 2.
        table(
            3,
            row(cell("No."), cell("Item"), cell("Commitment"), header=True),
            row(
                cell([para("", num=(1, 1))]),
                cell("Subscription"),
                cell("Acme Analytics Enterprise, 120 Authorised Users, 24 months"),
            ),  # 2.1
            row(
                cell([para("", num=(1, 1))]),
                cell("Uptime commitment"),
                cell("99.95% availability in each calendar month"),
            ),  # 2.2
            row(
                cell([para("", num=(1, 1))]),
                cell("Support"),
                cell("Business hours, response within one business day"),
            ),  # 2.3
        ),
        para("General", "Heading1"),  # Section 3.
        para("This Agreement is governed by the laws of England and Wales.", "Heading2"),
    ]
    numbering = numbering_xml({0: HEADING_LEVELS}, {1: (0, "")})
    return docx_bytes(
        "".join(body),
        numbering=numbering,
        header="Harbourline Freight Ltd - Acme Analytics - Confidential",
        title="Master Subscription Agreement",
    )


def osprey_redline() -> bytes:
    """Example (ii): the customer's mark-up inserts a promise of a planned feature."""
    body = [
        para("Order Form AA-2026-0171 - Osprey Biotech (customer mark-up)", "Title"),
        para("Services", "Heading1"),  # Section 1.
        para(
            "Provider shall provide interactive dashboards, scheduled reports and the audit "
            "log to Customer from the Effective Date.",
            "Heading2",
        ),  # 1.1
        para(
            [
                ins(
                    "Provider shall make EU data residency available to Customer no later than "
                    "30 June 2027.",
                    1,
                )
            ],
            "Heading2",
            mark=f"<w:ins {_change_attrs(2, CUSTOMER, CHANGED)}/>",
        ),  # 1.2: inserted by the customer's counsel
        para(
            [
                run("Customer shall pay all invoices within "),
                delete("thirty (30)", 3),
                ins("forty-five (45)", 4),
                run(" days of the invoice date."),
            ],
            "Heading2",
        ),  # 1.3
    ]
    numbering = numbering_xml({0: HEADING_LEVELS}, {1: (0, "")})
    return docx_bytes(
        "".join(body),
        numbering=numbering,
        comment="Residency is a must for us.",
        title="Order Form AA-2026-0171",
    )


OUTPUTS = {
    "tests/fixtures/contracts/word-numbered.docx": numbered_agreement,
    "tests/fixtures/contracts/word-redline.docx": redline,
    "examples/deals/contracts/harbourline-msa.docx": harbourline_msa,
    "examples/deals/contracts/osprey-order-form-redline.docx": osprey_redline,
}


def main(argv: list[str]) -> int:
    if len(argv) > 1 or (argv and argv[0] in ("-h", "--help")):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    root = Path(argv[0]) if argv else Path(__file__).resolve().parent.parent
    for name, build in OUTPUTS.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(build())
        print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
