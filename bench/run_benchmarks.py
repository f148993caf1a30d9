#!/usr/bin/env python3
"""Times every phase of scgraph on generated networks and, in the same run, the Python baselines.

    bench/run_benchmarks.py [--build build] [--sizes 10000,100000,1000000] [--work DIR]
                            [--baselines DIR] [--baseline-budget S] [--all-up-to N]
                            [--report-up-to N]

For each size it generates a network with bench/generate_network (once, kept in --work; every
edge at efficiency 1, because the baselines ignore efficiencies), runs
bench/bench_phases on it (--check-naive on sizes up to 100 k, --all up to --all-up-to nodes), runs
every baseline_*.py of --baselines on the same files when given (their --results are then checked
against scgraph's knockouts and bans), and prints one table per size: seconds and peak memory of
each phase, and the ratio baseline time / scgraph time. Ratios are what to quote: the machines are
shared and noisy, and both sides run minutes apart at most. The raw JSON lines go to
DIR/results-SIZE.jsonl. Exit status 1 when a cross-check fails. Every tool starts with the
network's files in the page cache (read once just before it runs): a baseline that used many GB
may otherwise leave the next tool to read them from disk.
"""
import argparse
import glob
import json
import os
import subprocess
import sys

# (row label, scgraph phases, baseline phases): seconds are summed over the listed phases.
ROWS = [
    ("load + validate + build", ["load_validate_build"], ["load", "build"]),
    ("reliance, every node", ["reliance"], ["topo", "reliance"]),
    ("every country's ban", ["ban_every_country"], ["ban"]),
    ("chokepoints: certified top K", ["certified_top_k"], []),
    ("chokepoints: every node exactly", ["all_nodes_exact"], []),
    ("single-node knockouts, the baseline's 200 (by out-degree), one thread, four to a wave", ["knockouts_baseline_nodes"], ["knockout"]),
    ("betweenness as the chokepoint table shows it (exact up to 20 k nodes)", ["structure"], []),
    ("betweenness from 256 sampled sources (the baselines' estimator)", ["structure_sampled_256"], ["betweenness"]),
    ("report (aggregated map)", ["report"], []),
]


def run_lines(command, log):
    """Runs a command, returns its JSON lines; stderr goes to the terminal."""
    print("$ " + " ".join(command), file=sys.stderr, flush=True)
    proc = subprocess.run(command, stdout=subprocess.PIPE, text=True)
    records = []
    with open(log, "a") as f:
        for line in proc.stdout.splitlines():
            line = line.strip()
            if not line.startswith("{"):
                continue
            f.write(line + "\n")
            records.append(json.loads(line))
    return proc.returncode, records


def warm_cache(data):
    """Reads the network's CSV files once, so that the next tool finds them in the page cache."""
    for name in ("nodes.csv", "edges.csv"):
        with open(os.path.join(data, name), "rb") as f:
            while f.read(1 << 24):
                pass


def seconds(records, phases):
    found = [r for r in records if r.get("phase") in phases]
    if not found or len({r["phase"] for r in found}) < len(phases):
        return None
    return sum(r.get("seconds_extrapolated", r["seconds"]) for r in found)


def peak_mb(records, phases):
    found = [r.get("peak_rss_mb", 0) for r in records if r.get("phase") in phases]
    return max(found) if found else None


def fmt_s(x):
    return "-" if x is None else (f"{x:.3f}" if x < 10 else f"{x:.1f}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default="build")
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--work", default="/tmp/scgraph-bench")
    ap.add_argument("--baselines", help="folder holding baseline_*.py scripts (python-igraph, NetworkX)")
    ap.add_argument("--baseline-budget", type=float, default=60,
                    help="seconds a baseline may spend on one long phase before extrapolating")
    ap.add_argument("--all-up-to", type=int, default=100000, help="run --all (every node exactly) up to this size")
    ap.add_argument("--report-up-to", type=int, default=10000,
                    help="write the whole report (the report phase) up to this size")
    ap.add_argument("--threads", type=int, default=0)
    args = ap.parse_args()

    os.makedirs(args.work, exist_ok=True)
    failed = False
    for n in [int(s) for s in args.sizes.split(",")]:
        # The baselines leave out the efficiency column (every edge counts fully), so the networks
        # compared are generated with every efficiency 1: then both must agree to 1e-9.
        data = os.path.join(args.work, f"net{n}-eff1")
        log = os.path.join(args.work, f"results-{n}.jsonl")
        open(log, "w").close()
        if not os.path.exists(os.path.join(data, "edges.csv")):
            subprocess.run([os.path.join(args.build, "bench", "generate_network"), "--nodes", str(n),
                            "--reduced-efficiency", "0", "--out", data],
                           check=True)
        tools = {}
        baseline_results = []
        for script in sorted(glob.glob(os.path.join(args.baselines, "baseline_*.py"))) if args.baselines else []:
            name = os.path.basename(script)[len("baseline_"):-3]
            results = os.path.join(args.work, f"{name}-{n}.json")
            b = str(args.baseline_budget)
            warm_cache(data)
            rc, records = run_lines(["/usr/bin/python3", script, data, "--skip", "dominators", "--results", results,
                                     "--knockout-budget", b, "--ban-budget", b, "--betweenness-budget", b], log)
            if rc == 0 and records:
                tools[name] = records
                baseline_results.append(results)
            else:
                # A fresh machine lacks the baselines' Python packages: say how to install them, not only that it failed.
                print(f"baseline {name} failed (exit {rc}, its error above); left out. "
                      "scripts/deps.sh --with-baselines installs the Python packages the baselines need",
                      file=sys.stderr)
        top = 10 if n <= 100000 else 100
        command = [os.path.join(args.build, "bench", "bench_phases"), data, "--top", str(top),
                   "--threads", str(args.threads)]
        if n <= 100000:
            command.append("--check-naive")
        if n <= args.all_up_to:
            command.append("--all")
        for results in baseline_results[:1]:
            command += ["--check-against", results]
        if n <= args.report_up_to:
            command += ["--report", os.path.join(args.work, f"report-{n}")]
        warm_cache(data)
        rc, mine = run_lines(command, log)
        if rc != 0:
            failed = True
            print(f"bench_phases exited {rc} at {n} nodes: a cross-check failed", file=sys.stderr)

        load = next((r for r in mine if r.get("phase") == "load_validate_build"), {})
        print(f"\n## {n:,} nodes, {load.get('edges', 0):,} edges ({load.get('bytes', 0) / 1e6:.0f} MB of CSV)\n")
        header = "| phase | scgraph s | scgraph peak MB |"
        for name in tools:
            header += f" {name} s | ratio |"
        print(header)
        print("|---" * (3 + 2 * len(tools)) + "|")
        for label, ours, theirs in ROWS:
            s = seconds(mine, ours) if ours else None
            note = ""
            # scgraph knocks out only the nodes the first baseline finished within its budget;
            # the baselines extrapolate to all of theirs, so scgraph's time is scaled the same way.
            done = next((r.get("knockouts") for r in mine if r.get("phase") in ours and "knockouts" in r), None)
            total = next((r.get("total") for rs in tools.values() for r in rs if r.get("phase") in theirs and "total" in r), None)
            if s is not None and done and total and done < total:
                s *= total / done
                note = f" (extrapolated from {done} of {total})"
            line = f"| {label}{note} | {fmt_s(s)} | {fmt_s(peak_mb(mine, ours)) if ours else '-'} |"
            shown = s is not None
            for name, records in tools.items():
                t = seconds(records, theirs) if theirs else None
                shown = shown or t is not None
                ratio = f"{t / s:.1f}x" if s and t else "-"
                line += f" {fmt_s(t)} | {ratio} |"
            if shown:
                print(line)
        checks = [r for r in mine if r.get("phase", "").startswith("check")]
        for r in checks:
            print(f"\n{r['phase']}: " + ", ".join(f"{k} {v}" for k, v in r.items() if k not in ("tool", "phase")))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
