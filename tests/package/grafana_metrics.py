#!/usr/bin/env python3
"""grafana_metrics.py BINARY DASHBOARD: every metric a query of the Grafana dashboard uses is
in a real /metrics response. Starts BINARY headless with --listen 127.0.0.1:0 twice (a
simulation, and a --watch of an SQLite jobs table: each mode exports metrics the other does
not), scrapes /metrics, and compares the names."""
import json, os, re, sqlite3, subprocess, sys, tempfile, time, urllib.request

binary, dashboard = sys.argv[1], sys.argv[2]
PROMQL_WORDS = {"sum", "max", "min", "avg", "count", "by", "without", "rate", "irate",
                "increase", "on", "ignoring", "group_left", "group_right", "and", "or", "unless",
                "offset", "bool", "topk", "bottomk", "label_values", "histogram_quantile"}


def queries(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("expr", "definition") and isinstance(value, str):
                yield value
            elif key == "query" and isinstance(value, str):
                yield value
            else:
                yield from queries(value)
    elif isinstance(node, list):
        for item in node:
            yield from queries(item)


def metric_names(expr):
    expr = re.sub(r'\{[^}]*\}', '', expr)      # label matchers
    expr = re.sub(r'\[[^\]]*\]', '', expr)     # ranges
    expr = re.sub(r'\$\w+', '', expr)           # Grafana variables
    return {w for w in re.findall(r'[a-zA-Z_:][a-zA-Z0-9_:]*', expr)
            if w not in PROMQL_WORDS and w.startswith("stickyboard_")}


def scrape(args, tmp):
    env = dict(os.environ, XDG_CONFIG_HOME=tmp, XDG_DATA_HOME=tmp, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.Popen([binary, "--headless", "--listen", "127.0.0.1:0", "--duration", "20"] + args,
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, env=env, text=True)
    try:
        deadline = time.time() + 15
        url = None
        while time.time() < deadline and url is None:
            line = proc.stderr.readline()
            if not line:
                break
            m = re.search(r'serving (http://\S+?)/metrics', line)
            if m:
                url = m.group(1)
        if url is None:
            sys.exit(f"grafana_metrics: {binary} {' '.join(args)} never said where it serves")
        time.sleep(1.5)  # let the simulation produce events, writes and backends
        with urllib.request.urlopen(url + "/metrics", timeout=10) as answer:
            body = answer.read().decode()
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    return {line.split()[2] for line in body.splitlines() if line.startswith("# TYPE ")}


with tempfile.TemporaryDirectory() as tmp:
    db = os.path.join(tmp, "jobs.db")
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE jobs(id TEXT PRIMARY KEY, worker_id TEXT, last_backend_id TEXT)")
    con.executemany("INSERT INTO jobs VALUES (?, ?, ?)", [("j1", "w1", "b1"), ("j2", "w2", "b2")])
    con.commit()
    con.close()
    exported = scrape(["--backends", "3", "--jobs", "10"], tmp) | scrape(["--watch", "sqlite:" + db], tmp)

used = set()
for q in queries(json.load(open(dashboard))):
    used |= metric_names(q)
print("dashboard uses:", " ".join(sorted(used)))
print("/metrics has:  ", " ".join(sorted(exported)))
missing = sorted(used - exported)
if not used:
    sys.exit("grafana_metrics: the dashboard has no queries over stickyboard_ metrics")
if missing:
    sys.exit("grafana_metrics: the dashboard queries metrics /metrics does not have: " + ", ".join(missing))
print(f"ok: all {len(used)} metric names exist")
