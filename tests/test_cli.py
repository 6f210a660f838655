"""The command line as a user runs it: a real process, its output and its exit code."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPORT = """Rockets hit base in western Iraq

At least four Katyusha rockets struck the Ain al-Asad air base in Anbar province on Saturday \
evening, the Security Media Cell said.
A group calling itself the Islamic Resistance in Iraq claimed responsibility for the attack.
"""


def wiredesk(
    *args: str, stdin: str | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wiredesk", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
        check=False,
    )


@pytest.fixture
def report(tmp_path: Path) -> Path:
    path = tmp_path / "report.txt"
    path.write_text(REPORT, encoding="utf-8")
    return path


def test_extract_prints_one_contract_record_per_document(report: Path) -> None:
    done = wiredesk("extract", str(report), "--published", "2024-01-21", "--format", "jsonl")
    assert done.returncode == 0, done.stderr
    (line,) = done.stdout.splitlines()
    record = json.loads(line)
    assert record["schema_version"] == 1
    assert record["document"]["published"] == "2024-01-21"
    assert record["document"]["title"] == "Rockets hit base in western Iraq"
    event = record["events"][0]
    assert event["sub_event_type"] == "Shelling/artillery/missile attack"
    assert event["date"] == "2024-01-20" and event["date_text"] == "Saturday evening"
    assert event["location"]["country"] == "IQ"
    text = REPORT
    for span in event["evidence"]:
        assert text[span["start"] : span["end"]] == span["text"]


def test_extract_reads_stdin(report: Path) -> None:
    done = wiredesk("extract", "-", "--published", "2024-01-21", stdin=REPORT)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["events"]


def test_ingest_events_show_round_trip(report: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "w.db")
    first = wiredesk("ingest", str(report), "--db", db, "--published", "2024-01-21")
    assert first.returncode == 0, first.stderr
    assert "1 new, 0 already stored" in first.stderr
    again = wiredesk("ingest", str(report), "--db", db, "--published", "2024-01-21")
    assert "0 new, 1 already stored" in again.stderr
    listed = wiredesk("events", "--db", db, "--format", "jsonl")
    events = [json.loads(x) for x in listed.stdout.splitlines()]
    assert len(events) >= 1 and events[0]["sources"]
    table = wiredesk("events", "--db", db, "--country", "IQ")
    assert "Shelling/artillery/missile attack" in table.stdout
    csv = wiredesk("events", "--db", db, "--format", "csv")
    header = csv.stdout.splitlines()[0]
    assert header.startswith("event_id_cnty,event_date,year,time_precision,disorder_type")
    shown = wiredesk("show", events[0]["id"][:8], "--db", db)
    assert shown.returncode == 0, shown.stderr
    assert "claims" in shown.stdout and "Security Media Cell" in shown.stdout
    missing = wiredesk("show", "doesnotexist", "--db", db)
    assert missing.returncode != 0 and "no event" in missing.stderr


def test_times_and_places_stages_alone(report: Path) -> None:
    times = wiredesk("times", str(report), "--published", "2024-01-21", "--format", "jsonl")
    found = [json.loads(x) for x in times.stdout.splitlines()]
    assert {"document", "start", "end", "text", "type", "value"} <= set(found[0])
    assert any(t["text"] == "Saturday evening" for t in found)
    places = wiredesk("places", str(report), "--format", "jsonl")
    spots = [json.loads(x) for x in places.stdout.splitlines()]
    assert {
        "document",
        "start",
        "end",
        "text",
        "lat",
        "lon",
        "geonames_id",
        "country",
        "admin1",
        "feature",
    } <= set(spots[0])
    assert any(p["text"] == "Ain al-Asad air base" or "Ain al-Asad" in p["text"] for p in spots)


def test_bad_inputs_are_one_line_errors_and_the_rest_still_runs(
    report: Path, tmp_path: Path
) -> None:
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x00\x01\x02")
    done = wiredesk("extract", str(tmp_path / "missing.txt"), str(binary), str(report))
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 2 and "Traceback" not in done.stderr
    assert "missing.txt: no such file" in lines[0] and "binary file" in lines[1]
    assert len(done.stdout.splitlines()) == 1  # the good report still came out
    nothing = wiredesk("extract", str(binary))
    assert nothing.returncode == 2


def test_user_errors_are_clean(tmp_path: Path) -> None:
    for args in (
        ["extract"],
        ["extract", "x.txt", "--published", "yesterday"],
        ["events", "--db", str(tmp_path / "a.db"), "--since", "2024-13-40"],
        ["events", "--db", str(tmp_path)],
    ):
        done = wiredesk(*args)
        assert done.returncode != 0
        assert "Traceback" not in done.stderr
        assert done.stderr.strip().count("\n") == 0, done.stderr
