"""The backends that ship: the console notes a message without its text, the file keeps it."""

import json

from homeward.messaging.backends import ConsoleBackend, FileBackend, backend


def test_the_console_backend_logs_neither_the_text_nor_the_phone(caplog):
    ConsoleBackend().send(
        recipient="+374 91 234567", body="Karen Avetisyan: refused", language="hy"
    )
    logged = caplog.text
    assert "message to" in logged
    assert "234567" not in logged and "Avetisyan" not in logged


def test_the_file_backend_appends_one_line_per_message(settings, tmp_path):
    settings.HOMEWARD_MESSAGE_BACKEND = "homeward.messaging.backends.FileBackend"
    settings.HOMEWARD_OUTBOX_DIR = str(tmp_path)
    chosen = backend()
    assert isinstance(chosen, FileBackend)
    chosen.send(recipient="+374 91 234567", body="Ձեր այցը", language="hy")
    chosen.send(recipient="bob", body="ALERT", language="en")
    lines = [
        json.loads(line) for line in (tmp_path / "outbox.jsonl").read_text("utf-8").splitlines()
    ]
    assert [(line["to"], line["body"]) for line in lines] == [
        ("+374 91 234567", "Ձեր այցը"),
        ("bob", "ALERT"),
    ]
