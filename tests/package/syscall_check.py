#!/usr/bin/env python3
"""syscall_check.py UNIT BINARY: every system call the exporter's command line makes is
allowed by the unit's SystemCallFilter= lines, and every socket family by its
RestrictAddressFamilies= (systemd-analyze syscall-filter gives the
groups). A refused call would fail with EPERM (SystemCallErrorNumber=EPERM) where Qt may
not expect it; this runs a headless --watch --listen with a scrape of /metrics under strace
and names any such call."""
import os, re, sqlite3, subprocess, sys, tempfile, time, urllib.request

unit, binary = sys.argv[1], sys.argv[2]

groups, current = {}, None
for line in subprocess.run(["systemd-analyze", "syscall-filter", "--no-pager"], capture_output=True,
                           text=True, check=True).stdout.splitlines():
    if line.startswith("@"):
        current = groups.setdefault(line.strip(), set())
    elif current is not None and line.strip() and not line.strip().startswith("#"):
        current.add(line.strip())


def expand(name, seen=()):
    if not name.startswith("@"):
        return {name}
    out = set()
    for item in groups.get(name, ()):
        if item not in seen:
            out |= expand(item, seen + (name,))
    return out


allowed = set()
filters = re.findall(r"^SystemCallFilter=(.*)$", open(unit).read(), re.M)
if not filters:
    sys.exit(f"syscall_check: {unit} has no SystemCallFilter=")
for value in filters:  # systemd applies them in order: an allow list, then ~deny lists
    deny = value.startswith("~")
    names = set()
    for word in value.lstrip("~").split():
        names |= expand(word)
    allowed = (allowed - names) if deny else (allowed | names)
env = {k: v for k, v in re.findall(r"(QT_[A-Z_]+)=(\S+)", "\n".join(re.findall(r"^Environment=(.*)$", open(unit).read(), re.M)))}

with tempfile.TemporaryDirectory() as tmp:
    db = os.path.join(tmp, "jobs.db")
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE jobs(id TEXT PRIMARY KEY, last_backend_id TEXT)")
    con.execute("INSERT INTO jobs VALUES ('j1', 'b1')")
    con.commit()
    con.close()
    trace = os.path.join(tmp, "trace")
    run_env = dict(os.environ, XDG_CONFIG_HOME=tmp, XDG_DATA_HOME=tmp, **env)
    run_env.pop("QT_QPA_PLATFORM", None)
    proc = subprocess.Popen(["strace", "-f", "-qq", "-o", trace, binary, "--headless", "--watch", "sqlite:" + db,
                             "--listen", "127.0.0.1:0", "--duration", "4"],
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, env=run_env, text=True)
    url = None
    for line in proc.stderr:
        m = re.search(r"serving (http://\S+?)/metrics", line)
        if m:
            url = m.group(1)
            break
    if url:
        time.sleep(0.5)
        urllib.request.urlopen(url + "/metrics", timeout=10).read()
        urllib.request.urlopen(url + "/healthz", timeout=10).read()
    proc.stderr.read()
    proc.wait(timeout=30)
    if not url or proc.returncode != 0:
        sys.exit(f"syscall_check: the headless watch failed (exit {proc.returncode})")
    used, families = set(), set()
    for line in open(trace):
        m = re.match(r"\d+\s+([a-z0-9_]+)\((\w*)", line)
        if m:
            used.add(m.group(1))
            if m.group(1) in ("socket", "socketpair"):
                families.add(m.group(2))
used.discard("execve")  # the exec that starts the service happens before the filter applies
if os.geteuid() == 0:
    # SQLite fchown()s a -wal or -journal file it creates only when its euid is 0 (so root
    # leaves no root-owned file beside a user's database); the service never runs as root
    # (DynamicUser=yes), so the call is this test's, not the service's. Watch mode's own
    # history file (--history) is such a SQLite file.
    used -= {"fchown", "fchown32"}
refused = sorted(used - allowed)
restricted = re.findall(r"^RestrictAddressFamilies=(.*)$", open(unit).read(), re.M)
if restricted:
    refused += [f"socket({f})" for f in sorted(families - set(restricted[-1].split()))]
print("socket families:", " ".join(sorted(families)))
print(f"{len(used)} distinct system calls, {len(allowed)} allowed by the unit")
if refused:
    sys.exit("syscall_check: the unit's SystemCallFilter= refuses: " + ", ".join(refused))
print("ok: all allowed")
