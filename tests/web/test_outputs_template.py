"""The bulletin's chart of colours by section (and the bulletin without it where no CJK font is installed),
and the office's own docxtpl template: the starter written by the CLI, filled through the API and the CLI,
and a broken template refused in Chinese."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from duban.cli import app
from duban.outputs import chart
from duban.outputs.bulletin_template import starter_template
from tests.web.conftest import World, bearer

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
    for paragraph in starter.paragraphs:
        if paragraph.text.startswith("（此处写本办的具体要求"):
            paragraph.runs[0].text = "各镇街要在月底前召开专题会议，逐项研究落实。"
    template = tmp_path / "本办模板.docx"
    starter.save(template)
    _use_template(world, template)
    document = _get(world)
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "关于2021年示例县重点工作第二季度推进情况的通报"
    assert "各镇街要在月底前召开专题会议，逐项研究落实。" in texts
    assert any("第1项" in t and "未报送" in t for t in texts)
    assert not any("{{" in t or "{%" in t for t in texts)
    ranking = document.tables[0]
    assert [c.text for c in ranking.rows[0].cells] == ["名次", "单位", "得分", "较上期"]
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
