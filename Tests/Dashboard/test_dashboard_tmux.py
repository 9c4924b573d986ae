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

    def __init__(self, tmp: Path, width: int, height: int, lang: str = "C.UTF-8", args: tuple = (), env: str = "",
                 extra: bool = True):
        self.socket = f"pulse-dash-{uuid.uuid4().hex[:12]}"
        self.tmp = tmp
        self.exit_file = tmp / "exit.txt"
        self.pid_file = tmp / "pid.txt"
        command = " ".join(shlex.quote(part) for part in [BINARY, *(EXTRA_ARGS if extra else []), *args])
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

    def history(self) -> str:
        """The screen and what scrolled off it."""
        return self.tmux("capture-pane", "-p", "-J", "-S", "-1000")

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

    def start(width: int = 120, height: int = 40, lang: str = "C.UTF-8", args: tuple = (), env: str = "",
              extra: bool = True) -> Pane:
        pane = Pane(tmp_path, width, height, lang, args, env, extra)
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


CLOCK = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d")


def test_numbers_grow(pane):
    screen = pane.wait_for(lambda s: "bronze/bike" in s and CLOCK.search(s), STARTUP_TIMEOUT, "bronze/bike and the clock")
    first = table_rows(screen, "bronze/bike")
    clock = CLOCK.search(screen).group(0)
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
    for section in ["by minute", "By hour", "Rain and use", "Recent events"]:
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


# ---------------------------------------------------------------------------------------------
# The first five minutes (issue 13): rates that agree with the tables, a dead broker in words, the rate keys,
# each subcommand's help, and station windows labelled as drawn.


def commit_growth(path: Path, since: float, until: float) -> float:
    """Rows a second a Delta table grew by between wall times `since` and `until` (epoch seconds), from its own
    log: the rows its appends added after the first append in the span, over the time between the first and the
    last append (compactions, which add no rows, do not count)."""
    import json

    commits = []
    for entry in sorted((path / "_delta_log").glob("*.json")):
        actions = [json.loads(line) for line in entry.read_text().splitlines() if line.strip()]
        info = next((a["commitInfo"] for a in actions if "commitInfo" in a), {})
        added = sum(json.loads(a["add"]["stats"])["numRecords"] for a in actions
                    if "add" in a and a["add"].get("dataChange", True))
        if added and since <= info.get("timestamp", 0) / 1000 <= until:
            commits.append((info["timestamp"] / 1000, added))
    assert len(commits) >= 3, f"too few commits of {path} in the span: {commits}"
    return sum(n for _, n in commits[1:]) / (commits[-1][0] - commits[0][0])


def rate_value(text: str) -> float:
    match = re.fullmatch(r"([0-9.]+)([kM]?)(?:/s)?", text)
    assert match, f"not a rate: {text!r}"
    return float(match.group(1)) * {"": 1, "k": 1e3, "M": 1e6}[match.group(2)]


def topic_rates(screen: str, topic: str) -> tuple[float, float]:
    """(prod, cons) per second of a topic, from the pipeline panel."""
    match = re.search(rf"[│|]{topic}\s+prod (\S+) cons (\S+)", screen)
    assert match, f"no rates for {topic} on:\n{screen}"
    return rate_value(match.group(1)), rate_value(match.group(2))


def table_rate(screen: str, path: str) -> float:
    row = next(line for line in screen.split("\n") if re.search(rf"[│|]{re.escape(path)}\s", line))
    return rate_value(re.sub(r"[│|]", " ", row.split(path, 1)[1]).split()[4])


def test_rates_on_screen_agree_with_the_tables_growth(pane_factory):
    """At the default 2 s trigger and `+` to 1000 % the dashboard showed 'prod 10.0/s cons 20/s' and Rows/s 20
    while Bronze grew 10 rows a second. Produced, consumed and Rows/s must all agree, within 10 %, with how fast
    bronze/bike really grew, read from its Delta log over the same half minute."""
    pane = pane_factory(args=("--trigger", "2"))
    pane.wait_for(lambda s: "S001" in s and CLOCK.search(s), STARTUP_TIMEOUT, "the station table")
    for _ in range(5):  # 100 % -> 150, 200, 300, 500, 1000 %
        pane.keys("+")
    pane.wait_text("producers 1000%", 5)
    time.sleep(15)  # the rates' window fills at the new rate
    began = time.time()
    screens = []
    for _ in range(3):
        time.sleep(8)
        screens.append(pane.screen())
    grown = commit_growth(pane.tmp / "lakehouse" / "bronze" / "bike", began, time.time())
    assert grown > 50, f"bronze/bike grew only {grown:.1f} rows/s at 1000 % of 10/s"
    for screen in screens:
        prod, cons = topic_rates(screen, "bike")
        shown = {"prod": prod, "cons": cons, "bronze/bike Rows/s": table_rate(screen, "bronze/bike"),
                 "silver/bike_events Rows/s": table_rate(screen, "silver/bike_events")}
        wrong = {name: value for name, value in shown.items() if abs(value - grown) > 0.1 * grown}
        assert not wrong, f"bronze/bike grew {grown:.1f} rows/s; the screen showed {shown}:\n{screen}"


def test_plus_keys_each_count_and_say_what_they_change(pane):
    pane.wait_for(lambda s: CLOCK.search(s), STARTUP_TIMEOUT, "the clock")
    pane.keys("+", "+", "+")  # one burst: each key steps from the rate the last one set
    screen = pane.wait_text("producers 300%", 5)
    # 10 bike and 5 weather events/s at 100 % (the tests' intervals); the clock keeps --speed 60.
    footer = screen.split("\n")[-2] if not screen.split("\n")[-1].strip() else screen.split("\n")[-1]
    assert "producer rate 300%: 30 bike + 15 weather events/s; the clock stays ×60" in screen, screen
    assert "×60" in screen.split("\n")[0]
    pane.keys("-")
    pane.wait_text("producers 200%", 5)
    pane.wait_for(lambda s: "producer rate" not in s, 10, "the notice to go")
    assert "×60" in pane.screen().split("\n")[0], footer


def test_a_dead_broker_says_so_in_words_without_a_1970_clock(pane_factory):
    pane = pane_factory(args=("--brokers", "127.0.0.1:1"))
    screen = pane.wait_for(lambda s: "no broker" in s and "unreachable" in s, STARTUP_TIMEOUT, "the broker shown down")
    header = screen.split("\n")[0]
    assert "1970" not in screen and "v-1" not in screen, screen
    assert "sim waiting for the first event" in header and "producers waiting for the broker" in header, header
    assert "✗ no broker" in header and "producers 100%" not in header, header
    assert "no tables yet" in screen
    # the symbols differ, not only the colours: a working store has a dot, the broker a cross
    assert "store ● ok" in header or "store ●" in screen


def test_a_dead_broker_in_ascii_uses_other_symbols(pane_factory):
    pane = pane_factory(lang="C", args=("--brokers", "127.0.0.1:1"))
    screen = pane.wait_for(lambda s: "no broker" in s, STARTUP_TIMEOUT, "the broker shown down")
    assert "x no broker" in screen.split("\n")[0] and "1970" not in screen, screen


SUBCOMMAND_OPTIONS = {
    "broker": {"--duration", "--log-dir", "--log-format", "--partitions"},
    "produce": {"--duration", "--log-dir", "--log-format", "--status-interval", "--brokers", "--partitions", "--speed",
                "--seed", "--start", "--bike-interval", "--weather-interval", "--bad-records"},
    "stream": {"--duration", "--log-dir", "--log-format", "--status-interval", "--brokers", "--partitions", "--trigger",
               "--compaction-interval", "--s3-create-bucket", "--lakehouse", "--s3-endpoint", "--s3-region",
               "--s3-addressing", "--s3-access-key", "--s3-secret-key", "--api-port", "--api-host", "--group",
               "--session-timeout"},
    "inspect": {"--json", "--lakehouse", "--s3-endpoint", "--s3-region", "--s3-addressing", "--s3-access-key",
                "--s3-secret-key"},
    "optimize": {"--target-rows", "--lakehouse", "--s3-endpoint", "--s3-region", "--s3-addressing", "--s3-access-key",
                 "--s3-secret-key"},
    "vacuum": {"--retain-hours", "--dry-run", "--force", "--lakehouse", "--s3-endpoint", "--s3-region",
               "--s3-addressing", "--s3-access-key", "--s3-secret-key"},
    "serve": {"--api-port", "--api-host", "--lakehouse", "--s3-endpoint", "--s3-region", "--s3-addressing",
              "--s3-access-key", "--s3-secret-key"},
}


@pytest.mark.parametrize("subcommand", list(SUBCOMMAND_OPTIONS))
def test_each_subcommands_help_lists_its_own_options(pane_factory, subcommand):
    pane = pane_factory(width=160, height=60, args=(subcommand, "--help"), extra=False)
    assert pane.exit_status() == "EXIT=0"
    text = pane.history()
    assert f"USAGE: pulse-tui {subcommand}" in text, text
    listed = set(re.findall(r"(?<![\w-])--[a-z][a-z0-9-]+", text.split(f"USAGE: pulse-tui {subcommand}", 1)[1]))
    assert listed == SUBCOMMAND_OPTIONS[subcommand] | {"--help", "--version"}, text


def test_a_subcommand_refuses_an_option_of_another(pane_factory):
    pane = pane_factory(args=("inspect", "--brokers", "nowhere:1", "--speed", "5"), extra=False)
    assert pane.exit_status() == "EXIT=64"
    assert "'inspect' does not take --brokers" in pane.history()


def test_root_help_lists_the_dashboards_options_and_the_subcommands(pane_factory):
    pane = pane_factory(width=160, height=60, args=("--help",), extra=False)
    assert pane.exit_status() == "EXIT=0"
    text = pane.history()
    for flag in ["--no-ui", "--speed", "--lakehouse", "--trigger", "--brokers", "--log-format", "--version"]:
        assert flag in text, flag
    for subcommand in SUBCOMMAND_OPTIONS:
        assert re.search(rf"^\s+{subcommand}\s", text, re.M), subcommand


def box_titles(screen: str) -> list[str]:
    return [m.group(1) for m in re.finditer(r"[┌+]─ (.+?) ─", screen)]


def test_station_page_window_labels_match_the_data_drawn(pane_factory):
    """Every panel of the station page names its window, and what it draws is that window: the minute chart's
    axis ends are its title's span, and the hours listed are gold/bike_usage_hourly's rows of the named day."""
    pane = pane_factory(width=140, height=50, args=("--speed", "600"))
    pane.wait_for(lambda s: "S001" in s and CLOCK.search(s), STARTUP_TIMEOUT, "the station table")
    pane.keys("Enter")

    def hours_drawn(screen):
        """(hour, util % or None) of each row of the hours panel, a row without a window included."""
        rows = re.findall(r"^[│|](\d\d:\d\d) (?:\S+\s+(\d+)%|no events this hour)", screen, re.M)
        return [(hour, int(util) if util else None) for hour, util in rows]

    screen = pane.wait_for(lambda s: len(hours_drawn(s)) >= 3, 90, "three Gold hours on S001's page")
    time.sleep(0.5)
    screen = pane.screen()
    titles = box_titles(screen)
    minute_title = next(t for t in titles if "by minute" in t)
    span = re.search(r"Last hour by minute, (\d\d):(\d\d)-(\d\d):(\d\d)", minute_title)
    assert span, minute_title
    h1, m1, h2, m2 = map(int, span.groups())
    assert ((h2 * 60 + m2) - (h1 * 60 + m1)) % 1440 == 60, minute_title
    axis = next(line for line in screen.split("\n") if re.search(r"[│|]\s+\d\d:\d\d\s", line) and "avail" not in line
                and "°C" not in line and "bikes" not in line)
    first, last = re.findall(r"\d\d:\d\d", axis)[0], re.findall(r"\d\d:\d\d", axis)[-1]
    assert first == f"{h1:02d}:{m1:02d}", (axis, minute_title)
    end = (h2 * 60 + m2 - 1) % 1440
    assert last == f"{end // 60:02d}:{end % 60:02d}", (axis, minute_title)

    hour_title = next(t for t in titles if t.startswith("By hour"))
    named = re.search(r"By hour (\d{4}-\d\d-\d\d) (\d\d:\d\d)-(\d\d:\d\d)", hour_title)
    assert named, hour_title
    day, start, stop = named.groups()
    drawn = hours_drawn(screen)
    assert drawn[0][0] == start, (drawn, hour_title)
    assert f"{int(drawn[-1][0][:2]) + 1:02d}:00" == stop, (drawn, hour_title)

    import polars as pl

    gold = pl.read_delta(str(pane.tmp / "lakehouse" / "gold" / "bike_usage_hourly")).filter(pl.col("station_id") == "S001")
    table = {row["window_start"].strftime("%H:%M"): row for row in gold.to_dicts()
             if row["window_start"].strftime("%Y-%m-%d") == day}
    hours = [int(hour[:2]) for hour, _ in drawn]
    assert hours == list(range(hours[0], hours[0] + len(hours))), f"hours with holes: {drawn}"
    for hour, util in drawn:
        if util is None:
            assert hour not in table, f"{day} {hour} drawn as without events, but gold holds {table[hour]}"
            continue
        assert hour in table, f"{day} {hour} drawn but not in gold/bike_usage_hourly: {sorted(table)}"
        assert abs(round(table[hour]["utilization_rate_avg_hour"] * 100) - util) <= 1, (hour, util, table[hour])
    rain_title = next(t for t in titles if t.startswith("Rain and use"))
    assert "same hours of day" in rain_title
    assert re.search(r"rain (moves use [+-]?\d+ pts \(\d+ hours? of day\)|has not moved use)|needs a wet and a dry hour",
                     screen), screen


def test_at_60x16_titles_give_way_between_words(pane_factory):
    pane = pane_factory(width=60, height=16)
    screen = pane.wait_for(lambda s: "Stations 30" in s and "Lakehouse" in s, STARTUP_TIMEOUT, "the small layout")
    full = {"Stations 30  sort: id", "Lakehouse 11 tables", "Pipeline"}
    for title in box_titles(screen):
        assert any(f.startswith(title) or title.startswith(f) for f in full) and "…" not in title, title
    for line in screen.split("\n"):
        if "┌" in line:
            assert line.rstrip().endswith("┐") and line.count("┌") == line.count("┐"), line
    pane.keys("Enter")
    screen = pane.wait_for(lambda s: "docks" in s, 10, "the station page")
    for line in screen.split("\n"):
        if "┌" in line:
            assert line.count("┌") == line.count("┐"), line
    for title in box_titles(screen):
        assert "…" not in title, title
