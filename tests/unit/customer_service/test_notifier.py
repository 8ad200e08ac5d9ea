"""The file channel of the notifier writes one JSON line per notice."""

from __future__ import annotations

import json
from pathlib import Path

from services.customer_service.adapters.notifier import FileChannel


async def test_file_channel_appends_one_json_line_per_notice(tmp_path: Path) -> None:
    channel = FileChannel(tmp_path / "notices" / "out.jsonl")
    for moment in ("received", "confirmed"):
        await channel.deliver(
            {
                "notice_key": f"o1:{moment}",
                "recipient": {"email": "li@example.com"},
                "title": moment,
                "body": f"Order {moment}",
                "order_no": "202611-001",
            }
        )
    lines = (tmp_path / "notices" / "out.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["notice_key"] for line in lines] == ["o1:received", "o1:confirmed"]
