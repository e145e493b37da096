"""Whatever text is built from corpus lines (shuffled, cut, duplicated, mixed with noise), the parser returns
a plan (with tasks, or with a warning that none was read) or raises ``PlanError``: nothing else."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from duban.plan import Plan, PlanError, parse
from tests.conftest import CORPUS

LINES = [
    line
    for path in sorted(CORPUS.glob("*.txt"))
    for line in path.read_text(encoding="utf-8").splitlines()
    if line.strip()
]
NOISE = st.text(
    alphabet=st.sampled_from(list("（）()：:；;、，。1２3一二附件**\t —－责任单位牵头领导承办协办黑体")),
    max_size=30,
)


def _cut(line: str, at: int) -> str:
    return line[: at % (len(line) + 1)]


fragments = st.one_of(
    st.sampled_from(LINES),
    st.builds(_cut, st.sampled_from(LINES), st.integers(min_value=0, max_value=400)),
    NOISE,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(fragments, min_size=0, max_size=60), st.sampled_from(["\n", "\r\n"]))
def test_text_from_corpus_lines_gives_plan_or_plan_error(lines: list[str], newline: str) -> None:
    data = newline.join(lines).encode("utf-8")
    try:
        plan = parse(data, filename="fuzz.txt")
    except PlanError as exc:
        assert exc.message
        return
    # a notice with a title and numbered lines is never refused whole: without a task, it says so
    assert isinstance(plan, Plan) and (
        plan.tasks or plan.warnings[0].startswith("未读出任何带有责任单位的任务")
    )
    assert all(task.units or task.leaders for task in plan.tasks)
    Plan.model_validate_json(plan.to_json())
