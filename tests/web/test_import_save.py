"""The 导入 page's save in one request (``POST /api/plans/import``): the aliases, the import, the corrections
by task position and publishing in one transaction, on SQLite and PostgreSQL. A refusal halfway (a wrong
unit in the third correction, publishing refused) must leave nothing of the save: no plan, no alias, no unit,
no change-log row."""

from __future__ import annotations

import json
from typing import Any

from tests.ledger.helpers import NOTICE
from tests.web.conftest import World, bearer

# The test notice again under another number, one unit written a new way (mapped to 县财政局 by an alias).
OTHER = NOTICE.replace("示政发〔2021〕2号", "示政发〔2021〕8号").replace("县财政局", "县财政管理局")
# A fourth task that names only a group: no reporting unit, so publishing is refused until it has one.
GROUP_ONLY = OTHER.replace(
    "示例县人民政府\n", "4. 开展安全生产大检查。（责任单位：各镇街）\n示例县人民政府\n"
)


def _save(world: World, text: str, changes: dict[str, Any]) -> Any:
    files = {"file": ("notice.txt", text.encode("utf-8"), "text/plain")}
    return world.client.post(
        "/api/plans/import",
        files=files,
        data={"changes": json.dumps(changes, ensure_ascii=False)},
        headers=bearer(world, "admin"),
    )


def _state(world: World) -> dict[str, Any]:
    """What a save could leave behind: the plans, the directory with its aliases, the change log."""
    admin = bearer(world, "admin")
    plans = world.client.get("/api/plans", headers=admin).json()
    units = world.client.get("/api/units?size=1000", headers=admin).json()
    changes = world.client.get("/api/changes?size=1", headers=admin).json()
    return {
        "plans": [p["id"] for p in plans["items"]],
        "units": sorted((u["name"], tuple(sorted(u["aliases"]))) for u in units["items"]),
        "changes": changes["total"],
    }


def _finance(world: World) -> int:
    found = world.client.get("/api/units?q=县财政局", headers=bearer(world, "admin")).json()["items"]
    return int(found[0]["id"])


def test_a_corrected_notice_is_published_in_one_request(world: World) -> None:
    admin = bearer(world, "admin")
    finance = _finance(world)
    answer = _save(
        world,
        OTHER,
        {
            "aliases": [{"unit_id": finance, "name": "县财政管理局"}],
            "corrections": [
                {"position": 0, "text": "建设新材料产业园（更正）。"},
                {"position": 1, "units": [{"name": "县商务局", "role": "lead"}]},
                {"position": 2, "due": "2021-12-31"},
            ],
            "publish": True,
        },
    )
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert body["published"] is True and body["state"] == "published" and body["corrected"] == 3
    plan = body["id"]
    assert world.client.get(f"/api/plans/{plan}", headers=admin).json()["state"] == "published"
    tasks = world.client.get(f"/api/tasks?plan={plan}", headers=admin).json()["items"]
    assert tasks[0]["text"] == "建设新材料产业园（更正）。"
    assert [(u["name"], u["role"]) for u in tasks[1]["units"]] == [("县商务局", "lead")]
    assert tasks[1]["reporting_unit_id"] == tasks[1]["units"][0]["unit_id"]
    assert tasks[2]["due"] == "2021-12-31"
    # the alias decided the import: the new spelling is 县财政局, no unit of that name was made
    assert finance in [u["unit_id"] for u in tasks[0]["units"]]
    assert (
        "县财政管理局"
        in world.client.get("/api/units?q=县财政管理局", headers=admin).json()["items"][0]["aliases"]
    )
    log = world.client.get("/api/changes?size=200", headers=admin).json()["items"]
    assert {(c["object"], c["action"]) for c in log} >= {
        ("unit", "alias"),
        ("plan", "import"),
        ("task", "correct"),
        ("plan", "publish"),
    }
    # the units report on it at once: the plan is published for them too
    assert world.client.get(f"/api/tasks?plan={plan}", headers=bearer(world, "unit")).status_code == 200


def test_a_refusal_halfway_leaves_nothing_saved(world: World) -> None:
    finance = _finance(world)
    before = _state(world)
    wrong_unit = _save(
        world,
        OTHER,
        {
            "aliases": [{"unit_id": finance, "name": "县财政管理局"}],
            "corrections": [
                {"position": 0, "text": "改了的第一项。"},
                {"position": 1, "units": [{"name": "县新设的中心", "role": "lead"}]},
                {"position": 2, "units": [{"name": "\u3000", "role": "lead"}]},  # a name of nothing but space
            ],
            "publish": True,
        },
    )
    assert wrong_unit.status_code == 422 and "单位名称不能为空" in wrong_unit.json()["detail"]
    assert _state(world) == before

    refused = _save(
        world, GROUP_ONLY, {"aliases": [{"unit_id": finance, "name": "县财政管理局"}], "publish": True}
    )
    assert refused.status_code == 409 and "汇总单位" in refused.json()["detail"]
    assert refused.json()["unassigned"] == ["4"]
    assert _state(world) == before

    no_such_task = _save(world, OTHER, {"corrections": [{"position": 9, "text": "x"}]})
    assert no_such_task.status_code == 422 and _state(world) == before

    # the office's answer to the refusal: mark the task 不考核 and publish, still in one request
    answered = _save(world, GROUP_ONLY, {"publish": True, "exclude_unassigned": True})
    assert answered.status_code == 201 and answered.json()["published"] is True
    tasks = world.client.get(f"/api/tasks?plan={answered.json()['id']}", headers=bearer(world, "admin"))
    assert [t["assessed"] for t in tasks.json()["items"]] == [True, True, True, False]


def test_the_save_is_for_the_office_only_and_checks_its_input(world: World) -> None:
    files = {"file": ("notice.txt", OTHER.encode("utf-8"), "text/plain")}
    unit = world.client.post("/api/plans/import", files=files, headers=bearer(world, "unit"))
    assert unit.status_code == 403
    bad = _save(world, OTHER, {"corrections": [{"position": 0, "units": [{"name": "甲", "role": "boss"}]}]})
    assert bad.status_code == 422
    not_json = world.client.post(
        "/api/plans/import", files=files, data={"changes": "{"}, headers=bearer(world, "admin")
    )
    assert not_json.status_code == 422 and "detail" in not_json.json()
    plain = world.client.post("/api/plans/import", files=files, headers=bearer(world, "admin"))
    assert plain.status_code == 201 and plain.json()["published"] is False
