"""make bench: 1, 2 and 3 `stream --group` members sharing a backlog (issue 15's figures), as JSON lines.

The deployment shape of bench_deploy.py (a separate `pulse-tui broker`, 16 partitions per topic, filled by
confluent-kafka with the yardstick's events), then for each member count a cold start of that many
`pulse-tui stream --group` processes on one fresh lakehouse, timed until every table's txn versions reach
the high watermarks. Per run: wall seconds and events/s, seconds until the group's first Bronze commit (the
first assignment: the join and rebalance pause), and CPU seconds and peak RSS summed over the members (the
per-member cost: on 2 cores the members share the same CPUs, so more members cannot be faster).

Usage: bench_group.py BINARY WORKDIR PEERS_DIR [MEMBERS...]   (env BENCH_EVENTS as bench_deploy.py)
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import time

import bench_deploy as deploy


def cpu_seconds(pid):
    """User + system CPU seconds of a live process."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def group_until_caught_up(members, bootstrap, lakehouse, high, directory):
    followers = deploy.table_followers(lakehouse)
    caught, first_commit = {}, None
    began = time.perf_counter()
    procs = [
        subprocess.Popen(
            [deploy.BINARY, "stream", "--brokers", bootstrap, "--lakehouse", lakehouse, "--group",
             f"bench-{members}", "--session-timeout", "6", "--status-interval", "3600",
             "--log-dir", os.path.join(directory, f"member-{i}")],
            stdout=subprocess.DEVNULL, stderr=open(os.path.join(directory, f"member-{i}.err"), "w"),
            start_new_session=True)
        for i in range(members)
    ]
    peaks = [0] * members
    cpu = [0.0] * members
    try:
        while len(caught) < len(followers):
            for proc in procs:
                if proc.poll() is not None:
                    raise SystemExit(f"a member exited {proc.returncode} before the group caught up")
            if time.perf_counter() - began > 600:
                raise SystemExit(f"not caught up after 600 s: {sorted(set(followers) - set(caught))}")
            deploy.poll_tables(followers, high, caught, time.perf_counter() - began)
            if first_commit is None and any(followers[t].next > 1 for t in ("bronze/bike", "bronze/weather")):
                first_commit = time.perf_counter() - began
            for i, proc in enumerate(procs):
                peaks[i] = max(peaks[i], deploy.status_kib(proc.pid, "VmHWM") or 0)
            time.sleep(0.02)
        for i, proc in enumerate(procs):
            peaks[i] = max(peaks[i], deploy.status_kib(proc.pid, "VmHWM") or 0)
            cpu[i] = cpu_seconds(proc.pid)
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    return max(caught.values()), first_commit, cpu, [p / 1024 for p in peaks]


def main():
    binary, work, peers = sys.argv[1], sys.argv[2], sys.argv[3]
    counts = [int(n) for n in sys.argv[4:]] or [1, 2, 3]
    deploy.configure(binary, work, peers)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    broker, bootstrap = deploy.start_broker(work)
    try:
        high = deploy.fill(bootstrap)
        events = deploy.EVENTS + deploy.WEATHER
        for members in counts:
            directory = os.path.join(work, f"members-{members}")
            os.makedirs(directory)
            seconds, first, cpu, peaks = group_until_caught_up(
                members, bootstrap, os.path.join(directory, "lakehouse"), high, directory)
            deploy.report("group", members=members, events=events, partitions=deploy.PARTITIONS,
                          seconds=round(seconds, 2), events_per_s=round(events / seconds),
                          first_bronze_commit_s=round(first, 2) if first is not None else None,
                          cpu_s=round(sum(cpu), 2), cpu_s_per_member=[round(c, 2) for c in cpu],
                          cpu_us_per_event=round(sum(cpu) / events * 1e6, 2),
                          peak_rss_mib_sum=round(sum(peaks), 1), peak_rss_mib=[round(p, 1) for p in peaks])
            shutil.rmtree(directory, ignore_errors=True)
    finally:
        os.killpg(broker.pid, signal.SIGTERM)
        broker.wait()


if __name__ == "__main__":
    main()
