"""Drives the dashboard binary in tmux as a person would: keys in, screen text out.

The binary is PULSE_DASHBOARD_BINARY (default: this package's debug dashboard-demo); extra arguments come
from PULSE_DASHBOARD_ARGS (shell words). Expectations are about what any real run shows (30 stations, the
lakehouse tables, growing numbers), not about the demo's fake values.
"""

import os
import re
import shlex
import subprocess
import time
import uuid
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2]
BINARY = os.environ.get("PULSE_DASHBOARD_BINARY") or os.environ.get("PULSE_BINARY") or str(
    PACKAGE / ".build" / "release" / "pulse-tui")
EXTRA_ARGS = shlex.split(
    os.environ.get("PULSE_DASHBOARD_ARGS", "--bike-interval 0.1 --weather-interval 0.2 --speed 60 --trigger 1"))
STARTUP_TIMEOUT = float(os.environ.get("PULSE_DASHBOARD_STARTUP_TIMEOUT", "30"))
TABLES = [
    "bronze/bike", "bronze/weather", "silver/bike_events", "silver/weather_events", "gold/bike_minute",
    "gold/bike_usage_hourly", "gold/bike_usage_daily", "gold/weather_hourly", "gold/weather_daily",
    "quarantine/bike", "quarantine/weather",
]
STATION_IDS = [f"S{i:03d}" for i in range(1, 31)]
UTF8_ENV = {**os.environ, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}


class Pane:
    """One tmux server (own socket) running the binary under sh, so exit status and the shell after it
    can be checked."""

    def __init__(self, tmp: Path, width: int, height: int, lang: str = "C.UTF-8", args: tuple = (), env: str = ""):
        self.socket = f"pulse-dash-{uuid.uuid4().hex[:12]}"
        self.tmp = tmp
        self.exit_file = tmp / "exit.txt"
        self.pid_file = tmp / "pid.txt"
        command = " ".join(shlex.quote(part) for part in [BINARY, *EXTRA_ARGS, *args])
        inner = f"echo $$ > {shlex.quote(str(self.pid_file))}; exec {command}"
        script = (
            # The shell survives the Ctrl-C sent to the foreground group (a trap, unlike an ignore, is not
            # inherited by the binary).
            f"trap : INT; cd {shlex.quote(str(tmp))}; export LANG={lang} LC_ALL={lang} {env}; "
            f"sh -c {shlex.quote(inner)}; echo EXIT=$? > {shlex.quote(str(self.exit_file))}; "
            f"PS1='$ ' exec sh"
        )
        self.tmux("-f", "/dev/null", "new-session", "-d", "-x", str(width), "-y", str(height), "sh", "-c", script)

    def tmux(self, *args: str) -> str:
        result = subprocess.run(
            ["tmux", "-L", self.socket, *args], env=UTF8_ENV, capture_output=True, text=True, timeout=10
        )
        if result.returncode != 0:
            raise RuntimeError(f"tmux {' '.join(args)} failed: {result.stderr.strip()}")
        return result.stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p")

    def lines(self) -> list[str]:
        return self.screen().split("\n")

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", *keys)

    def type(self, text: str) -> None:
        self.tmux("send-keys", "-l", text)

    def resize(self, width: int, height: int) -> None:
        self.tmux("resize-window", "-x", str(width), "-y", str(height))

    def wait_for(self, predicate, timeout: float = 10, what: str = "condition") -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if predicate(screen):
                return screen
            time.sleep(0.1)
        raise AssertionError(f"timed out after {timeout}s waiting for {what}; screen was:\n{screen}")

    def wait_text(self, text: str, timeout: float = 10) -> str:
        return self.wait_for(lambda s: text in s, timeout, repr(text))

    def exit_status(self, timeout: float = 15) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.exit_file.exists() and self.exit_file.read_text().strip():
                return self.exit_file.read_text().strip()
            time.sleep(0.1)
        raise AssertionError(f"binary did not exit within {timeout}s; screen:\n{self.screen()}")

    def kill(self) -> None:
        if self.pid_file.exists():
            try:
                os.kill(int(self.pid_file.read_text().strip()), 9)
            except (ValueError, ProcessLookupError, PermissionError):
                pass
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True, timeout=10)


@pytest.fixture
def pane_factory(tmp_path):
    panes = []

    def start(width: int = 120, height: int = 40, lang: str = "C.UTF-8", args: tuple = (), env: str = "") -> Pane:
        pane = Pane(tmp_path, width, height, lang, args, env)
        panes.append(pane)
        return pane

    yield start
    for pane in panes:
        pane.kill()


@pytest.fixture
def pane(pane_factory) -> Pane:
    p = pane_factory()
    p.wait_for(lambda s: "S001" in s and "Stations 30" in s, STARTUP_TIMEOUT, "the station table")
    return p


def parse_count(text: str) -> float:
    match = re.fullmatch(r"(-?[0-9.]+)([kMGT]?)", text)
    assert match, f"not a count: {text!r}"
    return float(match.group(1)) * {"": 1, "k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12}[match.group(2)]


def table_rows(screen: str, path: str) -> float:
    """The Rows column of one lakehouse table, found through the panel's header line."""
    lines = screen.split("\n")
    header = next(line for line in lines if re.search(r"Table\s+Ver", line))
    header_tokens = re.sub(r"[│|]", " ", header.split("Table", 1)[1]).split()
    index = header_tokens.index("Rows") + 1
    row = next(line for line in lines if re.search(rf"[│|]{re.escape(path)}\s", line))
    tokens = re.sub(r"[│|]", " ", row.split(path, 1)[1]).split()
    return parse_count([path, *tokens][index])


def station_rows(screen: str) -> list[str]:
    return sorted(set(re.findall(r"[│|]\s?(S0[0-3][0-9]) ", screen)))


def assert_fits(lines: list[str], width: int) -> None:
    for line in lines:
        assert len(line) <= width, f"line wider than {width}: {line!r}"


def test_shows_30_stations_and_all_tables_within_seconds(pane):
    screen = pane.wait_for(lambda s: all(t in s for t in TABLES), STARTUP_TIMEOUT, "every lakehouse table")
    assert "Stations 30" in screen
    assert "Pipeline" in screen and "broker" in screen and "store" in screen
    seen = set(station_rows(screen))
    pane.keys("G")  # last station: the table scrolls
    screen = pane.wait_text("S030")
    seen |= set(station_rows(screen))
    pane.keys("g")
    pane.wait_for(lambda s: "S001" in station_rows(s), 5, "S001 back at the top")
    for _ in range(5):
        pane.keys("PageDown")
        time.sleep(0.2)
        seen |= set(station_rows(pane.screen()))
    assert seen == set(STATION_IDS)


def test_numbers_grow(pane):
    screen = pane.wait_for(lambda s: "bronze/bike" in s, STARTUP_TIMEOUT, "bronze/bike")
    first = table_rows(screen, "bronze/bike")
    clock = re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", screen).group(0)
    pane.wait_for(lambda s: table_rows(s, "bronze/bike") > first, 20, "bronze/bike rows to grow")
    pane.wait_for(lambda s: clock not in s, 10, "the simulated clock to move")


def test_filter_narrows_the_rows(pane):
    pane.keys("/")
    pane.type("Boston")
    # The header is drawn before the rows below it: wait for the whole frame, not the first line.
    pane.wait_for(lambda s: "Stations 1 of 30" in s and station_rows(s) == ["S001"], 10, "only S001 listed")
    pane.keys("Enter")
    time.sleep(0.3)
    assert station_rows(pane.screen()) == ["S001"]
    pane.keys("Escape")
    screen = pane.wait_for(lambda s: "Stations 30" in s and "S002" in s, 5, "the filter to clear")
    pane.keys("/")
    pane.type("S02")
    expected = [f"S02{i}" for i in range(10)]
    pane.wait_for(lambda s: "Stations 10 of 30" in s and station_rows(s) == expected, 10, "S020..S029 listed")


def test_enter_opens_the_station_page_and_esc_returns(pane):
    pane.keys("j")
    time.sleep(0.2)
    pane.keys("Enter")
    # The table row also reads "S002 Cambridge": wait for the page's own summary line.
    screen = pane.wait_for(lambda s: re.search(r"S002 Cambridge\s+docks", s), 10, "the station page of S002")
    for section in ["Last hour by minute", "Today by hour", "Rain and use", "Recent events"]:
        assert section in screen
    assert "Stations 30" not in screen
    pane.keys("Escape")
    screen = pane.wait_text("Stations 30")
    assert "Last hour by minute" not in screen
    assert "S002" in station_rows(screen)


def test_resize_to_80x24_renders_compact(pane):
    pane.resize(80, 24)
    screen = pane.wait_for(
        lambda s: len(s.split("\n")[0]) <= 80 and "Lakehouse" in s and "Wind" not in s and len(s.split("\n")) > 23
        and "Enter open" in s.split("\n")[23], 5, "the compact layout")
    lines = screen.split("\n")
    assert_fits(lines, 80)
    assert lines[1].startswith("┌") and lines[1].rstrip().endswith("┐") and len(lines[1].rstrip()) == 80
    assert "S001" in screen and "Pipeline" in screen
    for layer in ["bronze", "silver", "gold", "quarantine"]:
        assert layer in screen
    assert "Enter open" in lines[23]


def test_resize_to_200x60_shows_everything(pane):
    pane.resize(200, 60)
    # Wait for the whole frame (footer included): a capture can land between two writes of a redraw.
    screen = pane.wait_for(
        lambda s: "Condition" in s and "S030" in s and len(s.split("\n")) > 59 and "q quit" in s.split("\n")[59],
        5, "the wide layout")
    assert station_rows(screen) == STATION_IDS
    for table in TABLES:
        assert table in screen
    lines = screen.split("\n")
    assert_fits(lines, 200)
    assert "q quit" in lines[59]


def test_resize_too_small_says_so_and_recovers(pane):
    pane.resize(40, 10)
    screen = pane.wait_text("too small", 5)
    assert "40x10" in screen and "60x16" in screen
    assert "S001" not in screen and "┌" not in screen
    assert_fits(screen.split("\n"), 40)
    pane.resize(120, 40)
    screen = pane.wait_for(lambda s: "Stations 30" in s and "too small" not in s, 5, "the layout to return")
    assert "S001" in screen


def test_help_opens_and_closes(pane):
    pane.keys("?")
    screen = pane.wait_text("producer rate")
    assert "Help" in screen
    pane.keys("Escape")
    pane.wait_for(lambda s: "producer rate" not in s, 5, "help to close")


def test_pause_key_pauses_producers(pane):
    pane.keys("p")
    pane.wait_text("PAUSED", 5)
    pane.keys("p")
    pane.wait_for(lambda s: "PAUSED" not in s, 5, "producers to resume")


def check_restored(pane: Pane) -> None:
    assert pane.tmux("display-message", "-p", "#{alternate_on}").strip() == "0"
    stty_file = pane.tmp / "stty.txt"
    pane.type(f"stty -a > {stty_file}; echo RESTORED-$((40+2))")
    pane.keys("Enter")
    pane.wait_text("RESTORED-42", 5)
    modes = stty_file.read_text().split()
    assert "icanon" in modes and "echo" in modes, modes


def test_q_exits_0_and_restores_the_terminal(pane):
    pane.keys("q")
    assert pane.exit_status() == "EXIT=0"
    check_restored(pane)


def test_ctrl_c_exits_cleanly(pane):
    pane.keys("C-c")
    assert pane.exit_status() == "EXIT=0"
    check_restored(pane)


def test_sigterm_exits_cleanly(pane):
    os.kill(int(pane.pid_file.read_text().strip()), 15)
    assert pane.exit_status() == "EXIT=0"
    check_restored(pane)


def test_ascii_fallback_without_utf8_locale(pane_factory):
    pane = pane_factory(lang="C")
    screen = pane.wait_for(lambda s: "S001" in s and "Stations 30" in s, STARTUP_TIMEOUT, "the station table")
    assert "+- Stations 30" in screen
    assert all(ord(c) < 128 for c in screen), "non-ASCII output under LANG=C"


@pytest.mark.skipif("dashboard-demo" not in Path(BINARY).name, reason="needs the demo's --crash-after")
def test_crash_restores_the_terminal(pane_factory):
    # The demo's data source traps (fatalError) inside a frame; the crash handler must endwin first.
    pane = pane_factory(args=("--crash-after", "2"), env="SWIFT_BACKTRACE=enable=no")
    pane.wait_text("Stations 30", STARTUP_TIMEOUT)
    status = pane.exit_status()
    assert status != "EXIT=0" and int(status.split("=")[1]) > 128, status
    check_restored(pane)
