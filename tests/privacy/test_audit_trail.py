"""Every change, and every read of report content by a person, is in the audit log."""

from __future__ import annotations

import json

from bot.demo.harness import HR_IDS, STAFF, Harness
from tests.app.helpers import alerts, audit, click, submit
from tests.privacy.story import ITO, SATO, resolve

TEXT = "監査確認用:窓口で書類を破り捨てられた"
CUSTOMER = "監査確認用の顧客 佐々木様"
OUTCOME = "監査確認用の結果 取引停止"


async def test_a_case_s_whole_life_is_audited_without_content(harness: Harness) -> None:
    h = harness
    await submit(h, TEXT, customer=CUSTOMER)
    [alert] = alerts(h)
    for action in ("case.ack", "case.take", "case.escalate", "case.snooze"):
        await click(h, SATO, action, alert)
    await resolve(h, alert, OUTCOME, user=ITO)
    await h.driver.slash_command(user_id=HR_IDS[0], command="/kasuhara", text="export")
    await h.settle()

    events = [(e.actor_id, e.action) for e in await audit(h)]
    assert events == [
        (STAFF[0], "report.created"),
        (SATO, "case.ack"),
        (SATO, "case.take"),
        (SATO, "case.escalate"),
        (SATO, "case.snooze"),
        (ITO, "case.viewed"),
        (ITO, "case.resolve"),
        (HR_IDS[0], "hr.export"),
    ]
    details = json.dumps([e.detail for e in await audit(h)], ensure_ascii=False)
    for text in (TEXT, CUSTOMER, OUTCOME, "監査確認用"):
        assert text not in details
