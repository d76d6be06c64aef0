#!/usr/bin/env python3
"""Cold start of the release app to a usable window, and idle memory (PSS) of all its
processes with a project open. Runs the real binary under a private Xvfb and AURA_HOME.

usage: startup.py APP_BIN [--runs N]
"""
import argparse, os, re, shutil, signal, statistics, subprocess, sys, tempfile, time
from pathlib import Path

READY = re.compile(r'ui ready.*?screen=(\S+).*?ms="?([\d.]+)')


def free_display():
    for n in range(90, 200):
        if not Path(f"/tmp/.X11-unix/X{n}").exists() and not Path(f"/tmp/.X{n}-lock").exists():
            return n
    raise SystemExit("no free X display number")


def descendants(pid):
    """pid and every process below it (WebKit's web and network processes)."""
    children = {}
    for p in Path("/proc").iterdir():
        if p.name.isdigit():
            try:
                ppid = int((p / "stat").read_text().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(p.name))
            except (OSError, IndexError, ValueError):
                pass
    out, todo = [], [pid]
    while todo:
        cur = todo.pop()
        out.append(cur)
        todo.extend(children.get(cur, []))
    return out


def pss_kb(pid):
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def comm(pid):
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return "?"


def one_run(app, env, project, measure_memory):
    logs = Path(env["AURA_HOME"]) / "logs"
    shutil.rmtree(logs, ignore_errors=True)
    t0 = time.monotonic()
    proc = subprocess.Popen([app, str(project)], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        ready = None
        deadline = t0 + 60
        while time.monotonic() < deadline and ready is None:
            for f in logs.glob("*.log") if logs.exists() else []:
                for m in READY.finditer(f.read_text(errors="replace")):
                    if m.group(1).strip('"') == "project":
                        ready = (time.monotonic() - t0) * 1000, float(m.group(2))
            time.sleep(0.01)
        if ready is None:
            raise SystemExit("the window never reported ready (see the log dir)")
        mem = None
        if measure_memory:
            time.sleep(5)  # idle: let the start-up work settle
            procs = descendants(proc.pid)
            mem = [(comm(p), pss_kb(p)) for p in procs]
        return ready, mem
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("app")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="aura-bench-start-"))
    display = free_display()
    xvfb = subprocess.Popen(["Xvfb", f":{display}", "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(0.5)
        project = tmp / "project"
        project.mkdir()
        (project / "main.py").write_text("def main():\n    print('hello')\n\nmain()\n")
        env = {k: v for k, v in os.environ.items() if k != "WAYLAND_DISPLAY"}
        env.update(DISPLAY=f":{display}", AURA_HOME=str(tmp / "home"), HOME=str(tmp / "home/home"),
                   XDG_DATA_HOME=str(tmp / "home/home/.local/share"), XDG_CACHE_HOME=str(tmp / "home/home/.cache"))
        one_run(args.app, env, project, False)  # warm the disk cache; the first run also creates the DB
        walls, inner = [], []
        mem = None
        for i in range(args.runs):
            (wall, ms), m = one_run(args.app, env, project, i == args.runs - 1)
            walls.append(wall)
            inner.append(ms)
            mem = m or mem
        print(f"start to usable window (project open), {args.runs} runs:")
        print(f"  wall (spawn -> ui ready seen)   median {statistics.median(walls):7.0f} ms   min {min(walls):.0f}  max {max(walls):.0f}")
        print(f"  in-process (main -> ui ready)   median {statistics.median(inner):7.0f} ms   budget 800 ms")
        total = sum(kb for _, kb in mem) / 1024
        print(f"idle memory with a project open (PSS, all processes): {total:.0f} MB   budget 250 MB")
        for name, kb in sorted(mem, key=lambda x: -x[1]):
            print(f"  {name:<24} {kb / 1024:7.1f} MB")
    finally:
        xvfb.terminate()
        xvfb.wait()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
