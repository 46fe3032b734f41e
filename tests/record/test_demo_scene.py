"""The offline demo shows linked reports and the case record, as supervisors would see them."""

from __future__ import annotations

from bot.demo.story import run_demo


async def test_the_demo_links_the_third_report_and_sends_a_record() -> None:
    lines: list[str] = []
    assert await run_demo(lines.append) == 0
    text = "\n".join(lines)
    scene = text[text.index("=== 10.") : text.index("=== 11.")]
    assert "過去の報告: 2件" in scene and "KH-2026-0001" in scene
    assert "警察・弁護士と連携することを検討してください" in scene
    assert "警察・弁護士等と連携し、厳正に対処します" in scene  # section 3, verbatim
    assert "事案記録(PDF、" in scene and "バイトのPDF" in scene
