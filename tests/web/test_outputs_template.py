"""The bulletin's chart of colours by section (and the bulletin without it where no CJK font is installed),
and the office's own docxtpl template: the starter written by the CLI, filled through the API and the CLI,
and a broken template refused in Chinese."""

from __future__ import annotations

import io
import logging
from datetime import date
from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from duban.cli import app
from duban.ledger.errors import Invalid
from duban.outputs import chart
from duban.outputs.bulletin_content import BulletinContent, bulletin_content
from duban.outputs.bulletin_template import render_template, starter_template
from tests.web.conftest import World, bearer
from tests.web.test_outputs_bulletin import _figures, _ranked

URL = "/api/periods/{}/bulletin.docx?on=2021-07-15"


def _get(world: World) -> docx.document.Document:
    got = world.client.get(URL.format(world.period_id), headers=bearer(world, "admin"))
    assert got.status_code == 200, got.text
    return docx.Document(io.BytesIO(got.content))


def _use_template(world: World, path: Path | None) -> None:
    world.client.app.state.duban.settings.bulletin_template = path  # type: ignore[attr-defined]


def test_bulletin_carries_the_chart_of_colours_by_section(world: World) -> None:
    if chart.cjk_font() is None:
        pytest.skip("no CJK font installed (make system installs fonts-noto-cjk)")
    document = _get(world)
    assert len(document.inline_shapes) == 1
    texts = [p.text for p in document.paragraphs]
    assert texts.index("各部分任务进度情况") < texts.index("二、主要成效")


def test_without_a_cjk_font_the_bulletin_is_built_without_chart_and_says_why(
    world: World, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(chart, "CJK_FONTS", ("没有这种字体",))
    chart.cjk_font.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="duban.outputs.chart"):
            document = _get(world)
    finally:
        chart.cjk_font.cache_clear()
    assert len(document.inline_shapes) == 0
    assert any("fonts-noto-cjk" in r.getMessage() for r in caplog.records)
    assert any(p.text == "三、存在问题" for p in document.paragraphs)


def test_office_template_is_filled_with_the_period(world: World, tmp_path: Path) -> None:
    starter = docx.Document(io.BytesIO(starter_template()))
    requirements = next(p for p in starter.paragraphs if p.text == "{{ requirements }}")
    requirements.runs[0].text += "各镇街要在月底前召开专题会议，逐项研究落实。"
    template = tmp_path / "本办模板.docx"
    starter.save(template)
    _use_template(world, template)
    document = _get(world)
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "关于2021年示例县重点工作\n第二季度推进情况的通报"
    assert any(t.endswith("各镇街要在月底前召开专题会议，逐项研究落实。") for t in texts)
    assert any("第1项" in t and "未报送" in t for t in texts)
    assert not any("{{" in t or "{%" in t for t in texts)
    ranking = document.tables[-1]
    assert [c.text for c in ranking.rows[0].cells][:2] == ["名次", "单位"]
    assert len(ranking.rows) > 1 and ranking.rows[1].cells[0].text == "1"
    if chart.cjk_font() is not None:
        assert len(document.inline_shapes) == 1


@pytest.mark.parametrize(
    ("content", "expected"),
    [(b"not a word file", "不是有效的 Word"), (None, "标记有误")],
)
def test_broken_template_is_refused_in_chinese(
    world: World, tmp_path: Path, content: bytes | None, expected: str
) -> None:
    template = tmp_path / "坏模板.docx"
    if content is None:
        broken = docx.Document()
        broken.add_paragraph("{{ title ")
        broken.save(template)
    else:
        template.write_bytes(content)
    _use_template(world, template)
    got = world.client.get(URL.format(world.period_id), headers=bearer(world, "admin"))
    assert got.status_code == 422 and expected in got.json()["detail"]


def test_cli_writes_the_starter_and_fills_it(world: World, tmp_path: Path) -> None:
    database_url = world.client.app.state.duban.settings.database_url  # type: ignore[attr-defined]
    runner = CliRunner()
    starter = tmp_path / "模板.docx"
    written = runner.invoke(app, ["bulletin-template", "-o", str(starter)])
    assert written.exit_code == 0, written.output
    out = tmp_path / "通报.docx"
    args = ["bulletin", "--period", str(world.period_id), "--on", "2021-07-15", "-o", str(out)]
    made = runner.invoke(app, [*args, "--template", str(starter), "--db", database_url])
    assert made.exit_code == 0, made.output
    assert docx.Document(str(out)).paragraphs[0].text.startswith("关于2021年")
    missing = runner.invoke(app, [*args, "--template", str(tmp_path / "无此文件.docx"), "--db", database_url])
    assert missing.exit_code == 2 and "无法读取通报模板" in missing.output


def _content() -> BulletinContent:
    figures, rows = _figures(
        [("红色任务甲", "red", False, True, False, True), ("黄色任务乙", "yellow", True, False, True, True)],
        _ranked(3),
    )
    return bulletin_content(figures, rows, "县政府督查室", date(2026, 12, 8))


def test_starter_honours_masthead_copy_to_and_attachments_and_prints_no_instructions() -> None:
    filled = render_template(starter_template(), _content(), masthead=True, issue_no=3, copy_to="县委办公室")
    document = docx.Document(io.BytesIO(filled))
    texts = [p.text for p in document.paragraphs]
    assert texts[:3] == ["督查通报", "第3期", "县政府督查室　　　　　　　　2026年12月8日"]
    assert (
        texts[3] == texts[4] == "" and texts[5] == "关于2026年金乡县政府重要工作事项\n第三季度推进情况的通报"
    )
    assert "抄送：县委办公室。" in texts and texts[-1].endswith("2026年12月8日印发")
    note = next(i for i, t in enumerate(texts) if t.startswith("附件："))
    assert texts[note] == "附件：1.2026年第三季度红色、黄色任务清单\n2.2026年第三季度各单位得分排名"
    assert texts[note + 2] == "县政府督查室" and texts.index("附件1") > note and texts.index("附件2") > note
    tasks, ranking = document.tables
    assert [c.text for c in tasks.rows[1].cells][:2] == ["1", "红色任务甲"] and len(tasks.rows) == 3
    assert [c.text for c in ranking.rows[1].cells][:2] == ["1", "单位1号"] and len(ranking.rows) == 4
    assert not any("{{" in t or "{%" in t or "此处" in t or "例如" in t for t in texts)

    plain = docx.Document(io.BytesIO(render_template(starter_template(), _content())))
    shown = [p.text for p in plain.paragraphs]
    assert "督查通报" not in shown and not any(t.startswith("抄送") for t in shown)
    assert shown[0].startswith("关于2026年")


def _template(*paragraphs: str) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("options", "tag"),
    [
        ({"masthead": True, "issue_no": 2}, "{{ issue_no }}"),
        ({"copy_to": "县委办公室"}, "{{ copy_to }}"),
        ({}, "{{ attachments_line }}"),
    ],
)
def test_a_template_without_the_tags_asked_for_is_refused_in_chinese(
    options: dict[str, object], tag: str
) -> None:
    bare = _template("{{ title }}", "{{ opening }}")
    with pytest.raises(Invalid) as refused:
        render_template(bare, _content(), **options)  # type: ignore[arg-type]
    assert "通报模板缺少以下标记" in str(refused.value) and tag in str(refused.value)
    complete = _template(
        "{{ title }}", "{{ attachments_line }}", "{% for t in task_list %}{{ t.task }}{% endfor %}",
        "{% for r in ranking %}{{ r.unit }}{% endfor %}", "{{ issue_no }}", "抄送：{{ copy_to }}",
    )  # fmt: skip
    texts = [
        p.text for p in docx.Document(io.BytesIO(render_template(complete, _content(), **options))).paragraphs
    ]  # type: ignore[arg-type]
    assert texts[0].startswith("关于2026年") and "红色任务甲黄色任务乙" in texts
