"""The read step: encodings, docx runs and merged cells, web pages, and every refusal."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest

from duban.plan import Limits, PlanError, parse
from duban.plan.read import read_source, sniff
from duban.plan.source import Para, Table

NOTICE = (
    "关于印发2026年示例县重点工作责任分工的通知\n"
    "一、产业发展\n"
    "1．推进新材料产业园建设，新建标准化厂房10万平方米。（牵头单位：县工业和信息化局；责任单位：县财政局、县自然资源局）\n"
    "2、实施“九路一桥”工程。(责任单位:县交通运输局)\n"
    "示例县人民政府\n"
    "2026年3月1日\n"
)


def paras(source: list[Para | Table]) -> list[str]:
    return [b.text for b in source if isinstance(b, Para) and b.text.strip()]


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16", "utf-16-le", "utf-16-be"]
)
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_text_encodings_and_newlines(encoding: str, newline: str) -> None:
    data = NOTICE.replace("\n", newline).encode(encoding)
    plan = parse(data, filename="notice.txt")
    assert [t.text for t in plan.tasks] == [
        "推进新材料产业园建设，新建标准化厂房10万平方米。",
        "实施“九路一桥”工程。",
    ]
    assert plan.tasks[0].units[0].name == "县工业和信息化局"
    assert plan.document.issued_on == "2026-03-01"


def test_balanced_markdown_bold_becomes_bold_runs() -> None:
    source = read_source("甲**乙\n丙**丁".encode(), "a.txt")
    first, second = source[0], source[1]
    assert isinstance(first, Para) and isinstance(second, Para)
    assert [(r.text, r.bold) for r in first.runs] == [("甲", False), ("乙", True)]
    assert [(r.text, r.bold) for r in second.runs] == [("丙", True), ("丁", False)]


def docx_bytes(build: object) -> bytes:
    document = docx.Document()
    build(document)  # type: ignore[operator]
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_keeps_bold_runs_line_breaks_and_body_order() -> None:
    def build(document: docx.document.Document) -> None:
        document.add_paragraph("前言")
        p = document.add_paragraph("（承办单位：")
        p.add_run("县财政局").bold = True
        p.add_run("、县审计局）")
        document.add_table(rows=1, cols=2).rows[0].cells[0].text = "表格"
        br = document.add_paragraph("第一行")
        br.add_run().add_break()
        br.add_run("第二行")

    source = read_source(docx_bytes(build), "a.docx")
    assert isinstance(source[1], Para)
    assert [(r.text, r.bold) for r in source[1].runs] == [
        ("（承办单位：", False),
        ("县财政局", True),
        ("、县审计局）", False),
    ]
    assert isinstance(source[2], Table)
    assert isinstance(source[3], Para) and source[3].text == "第一行\n第二行"


def test_docx_merged_cells_are_kept_once() -> None:
    def build(document: docx.document.Document) -> None:
        table = document.add_table(rows=3, cols=3)
        table.cell(0, 0).merge(table.cell(0, 1)).text = "横向合并"
        table.cell(1, 2).merge(table.cell(2, 2)).text = "纵向合并"

    source = read_source(docx_bytes(build), "a.docx")
    table = source[0]
    assert isinstance(table, Table)
    assert [c.span for c in table.rows[0]] == [2, 1]
    assert table.rows[0][0].text == "横向合并"
    assert table.rows[1][2].text == "纵向合并" and not table.rows[1][2].continued
    assert table.rows[2][2].continued and table.rows[2][2].text == ""


def test_html_blocks_bold_and_rowspan() -> None:
    page = (
        "<html><body><script>var a='（责任单位：假）';</script><p>第一段<b>加粗</b></p><div>第二段<br>第三段</div>"
        "<table><tr><td rowspan='2'>甲</td><td>乙</td></tr><tr><td>丙</td></tr></table></body></html>"
    )
    source = read_source(page.encode("gb18030"), "page.htm")
    assert paras(source) == ["第一段加粗", "第二段", "第三段"]
    first = source[0]
    assert isinstance(first, Para) and [r.bold for r in first.runs] == [False, True]
    table = source[-1]
    assert isinstance(table, Table)
    assert table.rows[1][0].continued and table.rows[1][1].text == "丙"


def test_html_copied_from_a_website_parses(tmp_path: Path) -> None:
    page = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>"
        "<table><tr><td>索引号：</td><td>001/2026-0001</td><td>发布机构：</td><td>示例县人民政府</td></tr>"
        "<tr><td>成文日期：</td><td>2026-03-01</td><td>文号：</td><td>示政发〔2026〕2号</td></tr></table>"
        + "".join(f"<p>{line}</p>" for line in NOTICE.split("\n"))
        + "</body></html>"
    )
    plan = parse(page.encode("utf-8"), filename="index.html")
    assert len(plan.tasks) == 2
    assert plan.tasks[1].units[0].name == "县交通运输局"


def test_sniff_trusts_bytes_over_names() -> None:
    assert sniff(b"PK\x03\x04rest", "notice.txt") == "docx"
    assert sniff(b"%PDF-1.7\n", "notice.docx") == "pdf"
    assert sniff("文字".encode(), None) == "text"


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * (3 * 1024 * 1024))
    return buffer.getvalue()


def _valid_docx() -> bytes:
    return docx_bytes(lambda d: d.add_paragraph(NOTICE))


REFUSALS: dict[str, tuple[bytes, str, str]] = {
    "empty": (b"", "a.txt", "空"),
    "blank": (b" \n\r\n\t", "a.txt", "空"),
    "binary junk": (bytes(range(256)) * 40, "a.bin", "无法识别"),
    "legacy doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "a.doc", ".docx"),
    "truncated docx": (_valid_docx()[:900], "a.docx", "损坏"),
    "zip that is not docx": (b"PK\x03\x04" + b"\0" * 100, "a.zip", "损坏"),
    "truncated pdf": (b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\n", "a.pdf", "PDF"),
    "pdf named wrongly but broken": (b"%PDF-", "a.txt", "PDF"),
    "not a notice": (
        "这是一篇散文。\n今天天气很好，我们去公园散步。\n".encode(),
        "a.txt",
        "不是责任分工通知",
    ),
    "image": (b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "a.png", "不支持"),
}


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_refusals_are_plan_errors_with_a_clear_message(case: str) -> None:
    data, name, fragment = REFUSALS[case]
    with pytest.raises(PlanError) as caught:
        parse(data, filename=name)
    assert fragment in caught.value.message


def test_zip_bomb_is_refused_before_inflating() -> None:
    with pytest.raises(PlanError, match="压缩炸弹"):
        parse(_zip_bomb(), filename="a.docx", limits=Limits(max_inflated_bytes=1024 * 1024))


def test_size_limit_is_configurable(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(NOTICE.encode() * 50)
    monkeypatch.setenv("DUBAN_MAX_UPLOAD_BYTES", "1000")
    with pytest.raises(PlanError, match="文件过大"):
        parse(path)
    with pytest.raises(PlanError, match="文件过大"):
        parse(path.read_bytes(), filename="big.txt")
    monkeypatch.delenv("DUBAN_MAX_UPLOAD_BYTES")
    assert len(parse(path).tasks) >= 2


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(PlanError, match="找不到文件"):
        parse(tmp_path / "nope.txt")
    with pytest.raises(PlanError, match="目录"):
        parse(tmp_path)


def test_pdf_without_text_layer_and_nothing_to_recognise_is_refused() -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    page.rect(100, 100, 300, 300, fill=1)  # a "scan": drawing, no text
    page.showPage()
    page.save()
    with pytest.raises(PlanError, match="OCR"):
        parse(buffer.getvalue(), filename="scan.pdf")


def test_pdf_table_continued_on_next_page_is_joined() -> None:
    from duban.plan.read.pdf import _continue_table
    from duban.plan.source import Cell

    def row(*texts: str) -> list[Cell]:
        return [Cell(paras=[Para.plain(t)] if t else []) for t in texts]

    table = Table([row("序号", "工作任务", "责任单位"), row("1", "建设产业园，", "县财政局、")])
    more = Table(
        [
            row("序号", "工作任务", "责任单位"),
            row("", "新建厂房。", "县审计局"),
            row("2", "修路。", "县交通运输局"),
        ]
    )
    _continue_table(table, more)
    assert [[c.text for c in r] for r in table.rows] == [
        ["序号", "工作任务", "责任单位"],
        ["1", "建设产业园，新建厂房。", "县财政局、县审计局"],
        ["2", "修路。", "县交通运输局"],
    ]
