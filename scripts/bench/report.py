"""Turns scripts/bench/run's measurements into the benchmark tables (docs/benchmarks.md).

usage: report.py DATA_DIR OUT_MD

DATA_DIR holds hyperfine's results.json (the bench file) and results-dense.json (the dense
stream), rss.tsv (peak RSS per command), startup.json, inputs.tsv (the file each command
read, and the version 2 flags that were on) and profile-*.txt. MB/s and lines/s of a command
are of the file it read. Every ratio is within one hyperfine run: a command against the pipe
limit (`cat | wc -l`) of its own stream, or against a peer on the same stream.

Everything in OUT_MD from the line `<!-- hand-written -->` on is kept as it is: the
measurements that are not timings (instruction counts, the assembly of the SIMD kernel, the
design notes) live there.
"""
import datetime
import json
import os
import platform
import subprocess
import sys

data, out_path = sys.argv[1:3]
MARK = "<!-- hand-written -->"


def load(name):
    path = os.path.join(data, name)
    return json.load(open(path))["results"] if os.path.exists(path) else []


results = {r["command"]: r for r in load("results.json") + load("results-dense.json")}
rss = dict(line.rstrip("\n").split("\t", 1) for line in open(os.path.join(data, "rss.tsv"))
           if "\t" in line)
startup = {r["command"]: r for r in load("startup.json")}
inputs = dict(line.rstrip("\n").split("\t", 1) for line in open(os.path.join(data, "inputs.tsv"))
              if "\t" in line)
v2_text = inputs.pop("version 2 flags", "none")

sizes = {}


def measure(path):
    if path not in sizes:
        with open(path, "rb") as f:
            count = sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))
        sizes[path] = (os.path.getsize(path), count)
    return sizes[path]


def median(name):
    return results[name]["median"] if name in results else None


def mbps(name):
    m = median(name)
    return measure(inputs[name])[0] / m / 1e6 if m else None


def ratio(a, b):
    """How many times as fast as b a is (b's time over a's)."""
    ma, mb = median(a), median(b)
    return mb / ma if ma and mb else None


def cell(text):
    return text.replace("|", "\\|")


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout.strip()
    except OSError:
        return "?"


def table(names):
    rows = []
    for name in names:
        r = results[name]
        pipe = "cat | wc -l" + (name[name.index(" ("):] if name.endswith(")") and " (" in name
                                and not name.endswith("(raw bodies)") else "")
        of_pipe = ratio(pipe, name)
        rows.append(
            f"| {cell(name)} | {r['median']:.3f} | {r['stddev'] or 0:.3f} | {mbps(name):,.0f} | "
            f"{measure(inputs[name])[1] / r['median'] / 1e6:.2f} M | "
            f"{'' if of_pipe is None or name.endswith('(raw bodies)') else f'{100 / of_pipe:.0f}%'}"
            f" | {rss.get(name, '?')} |")
    return ("| command | median s | ± s | MB/s | lines/s | of pipe limit | peak RSS KiB |\n"
            "|---|---:|---:|---:|---:|---:|---:|\n" + "\n".join(rows))


bench_names = [n for n in results if "(dense" not in n]
dense_names = [n for n in results if "(dense" in n]
checks = []


def target(label, value, goal, fmt="{:.0f}", better="higher"):
    if value is None:
        checks.append(f"| {cell(label)} | n/a (not measured) | {goal} | – |")
        return
    ok = value >= goal if better == "higher" else value <= goal
    checks.append(f"| {cell(label)} | {fmt.format(value)} | {goal} | {'met' if ok else 'NOT MET'} |")


def share(name, pipe):
    r = ratio(pipe, name)
    return 100 / r if r else None


for suffix, label in (("", "bench file"), (" (dense)", "dense stream")):
    pipe = "cat | wc -l" + suffix
    target(f"wa-validate, % of pipe limit, {label}", share("wa-validate" + suffix, pipe), 80)
    if suffix:
        target("wa-validate, % of pipe limit, dense stream with batches",
               share("wa-validate (dense, batched)", "cat | wc -l (dense, batched)"), 80)
    target(f"wa-aggregate, % of pipe limit, {label}", share("wa-aggregate" + suffix, pipe), 50)
    if suffix:
        target("wa-aggregate with version 2 features, % of pipe limit, dense stream",
               share("wa-aggregate, version 2 features (dense)", pipe), 37.5, "{:.1f}")
    target(f"wa-validate | wa-aggregate vs DuckDB count by event, 2 threads (×), {label}",
           ratio("wa-validate | wa-aggregate" + suffix, "duckdb group by" + suffix), 1.5,
           "{:.2f}")
    target(f"wa-validate | wa-aggregate vs DuckDB dashboard in SQL, 2 threads (×), {label}",
           ratio("wa-validate | wa-aggregate" + suffix, "duckdb dashboard" + suffix), 5,
           "{:.2f}")
target("wa-validate vs jq filter (×)", ratio("wa-validate", "jq filter"), 30, "{:.1f}")
target("wa-validate vs Python+orjson (×)", ratio("wa-validate", "python+orjson count"), 4, "{:.1f}")
for tool, s in startup.items():
    target(f"{tool} start-up (ms)", s["median"] * 1000, 2, "{:.2f}", better="lower")
v_rss = rss.get("wa-validate")
target("wa-validate peak RSS (MB)", int(v_rss) / 1024 if v_rss and v_rss.isdigit() else None,
       16, "{:.1f}", better="lower")


def cpu_seconds(name):
    r = results.get(name)
    return r["user"] + r["system"] if r else None


notes = []
for suffix in ("", " (dense)"):
    pipe, duck = "wa-validate | wa-aggregate" + suffix, "duckdb group by" + suffix
    if median(pipe) and median(duck):
        cores = os.cpu_count() or 1
        cpu_s = cpu_seconds(pipe)
        notes.append(
            f"- `{pipe}`: {median(pipe):.3f} s; 1.5× DuckDB's count means ≤ "
            f"{median(duck) / 1.5:.3f} s. The two processes use {cpu_s:.3f} CPU-seconds, so on "
            f"{cores} cores the pipeline cannot finish in less than {cpu_s / cores:.3f} s; "
            f"wa-aggregate alone takes {median('wa-aggregate' + suffix) or 0:.3f} s.")
cached, plain = median("wa-aggregate --state-horizon 1m"), median("wa-aggregate")
if cached and plain:
    notes.append(
        f"- Of wa-aggregate's {plain:.3f} s on the bench file, {plain - cached:.3f} s go with "
        f"state that does not stay in the caches: with it kept small (`--state-horizon 1m`) "
        f"it takes {cached:.3f} s, wa-validate alone {median('wa-validate') or 0:.3f} s.")
single = median("duckdb group by, 1 thread")
if single and median("wa-validate | wa-aggregate"):
    notes.append(
        f"- Held to one thread, as each process of the pipeline is, DuckDB's count takes "
        f"{single:.3f} s: the pipeline is {single / median('wa-validate | wa-aggregate'):.2f}× "
        "as fast as that.")


def profile(name):
    path = os.path.join(data, f"profile-{name}.txt")
    if not os.path.exists(path) or os.path.getsize(path) == 0:
        return f"(no profile of {name}: perf unavailable)"
    return "```\n" + open(path).read().rstrip("\n") + "\n```"


def describe(path, what):
    size, lines = measure(path)
    return f"`{path}`, {size / 1e6:.0f} MB, {lines:,} lines, {size / lines:.0f} bytes a line ({what})"


bench_file = inputs.get("wa-validate")
dense_file = inputs.get("wa-validate (dense)")
batched_file = inputs.get("wa-validate (dense, batched)")
meta_file = inputs.get("wa-convert (raw bodies)")
commit = sh("git rev-parse --short HEAD")
dirty = (" (with uncommitted changes to the sources)"
         if sh("git status --porcelain --untracked-files=no -- Sources Package.swift") else "")
runs = len(next(iter(results.values()))["times"])
inputs_text = "\n".join(f"  - {x}" for x in filter(None, [
    bench_file and describe(bench_file, "scripts/watools/gen_events.py --seed 7, 28 days"),
    dense_file and describe(dense_file, "--seed 8, 14 days, BSUID users, pricing, assignments, "
                            "campaigns"),
    batched_file and describe(batched_file, "the dense stream with a quarter of its lines in "
                              "batches: --batch-share 0.25"),
    meta_file and describe(meta_file, "raw webhook bodies for wa-convert, gen_meta.py --seed 7"),
]))
kept = ""
if os.path.exists(out_path):
    old = open(out_path).read()
    # From the mark on; in a page written before it existed, from the instruction counts.
    for start in (MARK, "\n## Instruction counts"):
        if start in old:
            kept = old[old.index(start):].lstrip("\n")
            break
text = f"""# Benchmarks

Made by `scripts/bench/run` (hyperfine, medians of {runs} runs after a warm-up, files in the
page cache). Re-run it to refresh the tables; the sections from "{MARK[5:-4]}" on are kept.

- Date: {datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}
- Commit: {commit}{dirty}
- Machine: {os.cpu_count()} cores, {sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").strip()},
  Linux {platform.release()}
- Inputs:
{inputs_text}
- Version 2 features on in the "version 2 features" row: {v2_text}
- Peers: {sh('jq --version')}, orjson {sh("python3 -c 'import orjson; print(orjson.__version__)'")},
  DuckDB {sh("python3 -c 'import duckdb; print(duckdb.__version__)'")} (2 threads unless said);
  the dashboard in SQL is scripts/bench/dashboard.sql (what it covers is at its top)

"Of pipe limit" is the command's throughput over `cat FILE | wc -l`'s on the same file in
the same run (this machine's speed drifts by more than 1.5× from hour to hour, so only
ratios within one run mean anything). Peak RSS of a pipeline is its largest process.

## The bench file

{table(bench_names)}

## The dense stream

{table(dense_names)}

## Targets (issues 7 and 21)

| target | measured | goal | |
|---|---:|---:|---|
""" + "\n".join(checks) + """

## Reading the targets

""" + "\n".join(notes) + """

## Where the time goes

Sampled with `perf record -e cpu-clock` (share of samples per function, Swift names
demangled).

wa-validate, bench file:

""" + profile("wa-validate") + """

wa-validate, dense stream with batches:

""" + profile("wa-validate-dense") + """

wa-aggregate, bench file:

""" + profile("wa-aggregate") + """

wa-aggregate, dense stream:

""" + profile("wa-aggregate-dense") + """

wa-aggregate with the version 2 features, dense stream:

""" + profile("wa-aggregate-v2") + "\n"
if kept:
    text += "\n" + kept
open(out_path, "w").write(text)
print(text)
