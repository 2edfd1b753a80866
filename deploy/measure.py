#!/usr/bin/env python3
"""Measures a floxide-edge build as systemd would run it: start-up to READY=1 (over a real NOTIFY_SOCKET),
idle RSS with the simulated default (4 on-board chips, 8 fleet sensors), RSS across a time-compressed soak, and bytes
written per hour.

    deploy/measure.py path/to/floxide-edge [--runs 10] [--soak-seconds 120] [--soak-rate 3000] [--idle-only]

The soak runs the simulated fleet at --soak-rate readings/s, so --soak-seconds of it pass as many readings as an hour
at 100 readings/s when rate x seconds = 360 000. Disk writes come from /proc/PID/io (write_bytes: what reached the
block layer; wchar: everything written, including stdout). Numbers go to stdout as a Markdown table.

The gateway gets this process's environment: to measure it as floxide-edge.service runs it, give the unit's GC
settings in front, e.g. DOTNET_GCHeapHardLimit=6000000 DOTNET_GCgen0size=200000 DOTNET_GCRegionRange=10000000
deploy/measure.py ... (see docs/host.md, "Memory of the NativeAOT build").
"""
import argparse, os, socket, statistics, subprocess, sys, tempfile, threading, time


def start(binary, env_extra, notify_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLOXIDE_") and k not in ("WATCHDOG_USEC", "WATCHDOG_PID")}
    env.update({"NOTIFY_SOCKET": notify_path, "FLOXIDE_METRICS__ENABLED": "false", "FLOXIDE_EMBEDDEDBROKER__PORT": "0",
                "DOTNET_EnableDiagnostics": "0", "FLOXIDE_HOST__STATEDIRECTORY": STATE})
    env.update(env_extra)
    global SEEN
    with READY:
        SEEN = len(READY_AT)
    return subprocess.Popen([binary, "run", "--plain", "--config", CONFIG, *EXTRA_ARGS], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


READY = threading.Condition()
READY_AT = []
SEEN = 0


def drain(sock):
    # Like systemd, keep reading the notification socket, recording when each READY=1 arrived.
    while True:
        data = sock.recv(4096).decode()
        if "READY=1" in data.split("\n"):
            with READY:
                READY_AT.append(time.monotonic())
                READY.notify_all()


def wait_ready(sock, deadline):
    with READY:
        while len(READY_AT) == SEEN:
            if not READY.wait(timeout=max(0.01, deadline - time.monotonic())):
                raise TimeoutError("no READY=1")
        return READY_AT[-1]


def rss_kib(pid):
    return memory(pid)["VmRSS"]


def memory(pid):
    # VmRSS = RssAnon (GC heap, runtime data, stacks, malloc) + RssFile (mapped code and data) + RssShmem (the JIT
    # build's double-mapped code); in KiB, and Threads.
    with open(f"/proc/{pid}/status") as status:
        fields = (line.split(":") for line in status)
        return {key: int(value.split()[0]) for key, value in fields if key in ("VmRSS", "RssAnon", "RssFile", "RssShmem", "Threads")}


def io(pid):
    values = {}
    with open(f"/proc/{pid}/io") as counters:
        for line in counters:
            key, value = line.split(":")
            values[key] = int(value)
    return values


def stop(process):
    process.terminate()
    return process.wait(timeout=30)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--idle-seconds", type=int, default=30)
    parser.add_argument("--soak-seconds", type=int, default=120)
    parser.add_argument("--soak-rate", type=int, default=3000)
    parser.add_argument("--idle-only", action="store_true",
                        help="start-up and idle only (no simulated load): for tests/Floxide.Edge.Floor, which has no simulation")
    parser.add_argument("--extra-arg", action="append", default=[], help="one more argument after `run` (e.g. --host-only for the floor)")
    args = parser.parse_args()
    EXTRA_ARGS.extend(args.extra_arg)
    work = tempfile.mkdtemp(prefix="floxide-measure-")
    global CONFIG, STATE
    CONFIG = os.path.join(work, "gateway.json")
    STATE = os.path.join(work, "state")
    with open(CONFIG, "w") as config:
        config.write("{}")
    path = os.path.join(work, "notify.sock")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    threading.Thread(target=drain, args=(sock,), daemon=True).start()

    startups = []
    for _ in range(args.runs):
        began = time.monotonic()
        process = start(args.binary, {}, path)
        ready = wait_ready(sock, began + 30)
        startups.append((ready - began) * 1000)
        rss_at_ready = rss_kib(process.pid)
        if stop(process) != 0:
            sys.exit("the gateway did not exit 0 on SIGTERM")

    # Idle: the simulated default (4 on-board chips, 8 fleet sensors every 5 s).
    process = start(args.binary, {}, path)
    wait_ready(sock, time.monotonic() + 30)
    time.sleep(5)
    idle_io_start, idle_start = io(process.pid), time.monotonic()
    time.sleep(args.idle_seconds)
    idle = memory(process.pid)
    idle_io_end, idle_elapsed = io(process.pid), time.monotonic() - idle_start
    stop(process)
    startup_row = (f"| start-up to READY=1 (median of {args.runs}) | {statistics.median(startups):.0f} ms "
                   f"(min {min(startups):.0f}, max {max(startups):.0f}) |")
    idle_figures = (f"{idle['VmRSS'] / 1024:.1f} MiB (RssAnon {idle['RssAnon'] / 1024:.1f}, RssFile {idle['RssFile'] / 1024:.1f}, "
                    f"RssShmem {idle['RssShmem'] / 1024:.1f}; {idle['Threads']} threads)")
    if args.idle_only:
        print(startup_row)
        print(f"| idle RSS after {args.idle_seconds + 5} s | {idle_figures} |")
        return

    # 100 readings/s: 10 fleet sensors every 100 ms.
    process = start(args.binary, {"FLOXIDE_SIMULATION__FLEETSENSORS": "10", "FLOXIDE_SIMULATION__FLEETINTERVAL": "00:00:00.100"}, path)
    wait_ready(sock, time.monotonic() + 30)
    time.sleep(5)
    busy_io_start, busy_start = io(process.pid), time.monotonic()
    time.sleep(args.idle_seconds)
    busy_io_end, busy_elapsed = io(process.pid), time.monotonic() - busy_start
    stop(process)

    # Soak: args.soak_rate readings/s.
    # The fleet's interval is at least 100 ms, so the soak widens the fleet: rate/10 sensors every 100 ms.
    soak_env = {"FLOXIDE_SIMULATION__FLEETSENSORS": str(max(8, args.soak_rate // 10)), "FLOXIDE_SIMULATION__FLEETINTERVAL": "00:00:00.100"}
    process = start(args.binary, soak_env, path)
    wait_ready(sock, time.monotonic() + 30)
    samples = []
    soak_start = time.monotonic()
    while time.monotonic() - soak_start < args.soak_seconds:
        time.sleep(args.soak_seconds / 12)
        samples.append(rss_kib(process.pid))
    stop(process)

    per_hour = lambda start, end, elapsed, key: (end[key] - start[key]) * 3600 / elapsed
    print(startup_row)
    print(f"| RSS at READY | {rss_at_ready / 1024:.1f} MiB |")
    print(f"| idle RSS, simulated default (12 sensors), after {args.idle_seconds + 5} s | {idle_figures} |")
    print(f"| soak RSS every {args.soak_seconds / 12:.0f} s at {args.soak_rate}/s ({args.soak_rate * args.soak_seconds} readings) | "
          + ", ".join(f"{kib / 1024:.1f}" for kib in samples) + " MiB |")
    print(f"| disk writes per hour, idle (write_bytes / wchar) | {per_hour(idle_io_start, idle_io_end, idle_elapsed, 'write_bytes'):.0f} B / {per_hour(idle_io_start, idle_io_end, idle_elapsed, 'wchar') / 1024:.0f} KiB |")
    print(f"| disk writes per hour, 100 readings/s (write_bytes / wchar) | {per_hour(busy_io_start, busy_io_end, busy_elapsed, 'write_bytes'):.0f} B / {per_hour(busy_io_start, busy_io_end, busy_elapsed, 'wchar') / 1024:.0f} KiB |")


CONFIG = ""
EXTRA_ARGS = []
if __name__ == "__main__":
    main()
