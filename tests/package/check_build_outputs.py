#!/usr/bin/env python3
"""check_build_outputs.py BINARY BUILD_DIR SOURCE_DIR: --version names the version and, in a
git checkout, the commit (git describe); the man page names every option --help names (both
come from one QCommandLineParser table, through help2man); the hicolor PNGs were rendered at
their sizes, not blank."""
import gzip, os, re, struct, subprocess, sys, zlib

binary, build, source = sys.argv[1], sys.argv[2], sys.argv[3]
errors = []

version_line = subprocess.run([binary, "--version"], capture_output=True, text=True, check=True).stdout.strip()
print("--version:", version_line)
head = subprocess.run(["git", "-C", source, "rev-parse", "--short=7", "HEAD"], capture_output=True, text=True)
if head.returncode == 0:
    # CMake re-runs git describe when HEAD moves, so a build after a commit names that commit.
    m = re.fullmatch(r"stickyboard \d+\.\d+\.\d+ \(git (\S+)\)", version_line)
    if not m or head.stdout.strip() not in m.group(1):
        errors.append(f"--version says '{version_line}', not the checkout's commit {head.stdout.strip()}")
elif not re.fullmatch(r"stickyboard \d+\.\d+\.\d+", version_line):
    errors.append(f"--version says '{version_line}'")

help_text = subprocess.run([binary, "--help"], capture_output=True, text=True, check=True).stdout
options = sorted(set(re.findall(r'--([a-z][a-z-]+)', help_text)))
man_path = os.path.join(build, "man", "stickyboard.1.gz")
if not os.path.exists(man_path):
    errors.append(f"no man page at {man_path} (is help2man installed?)")
else:
    man = gzip.open(man_path, "rt").read().replace("\\-", "-")
    if not man.startswith(".\\\"") or ".TH STICKYBOARD \"1\"" not in man:
        errors.append("the man page has no .TH STICKYBOARD 1 header")
    missing = [o for o in options if "--" + o not in man]
    if missing:
        errors.append("the man page lacks options --help has: " + ", ".join(missing))
    version = subprocess.run([binary, "--version"], capture_output=True, text=True).stdout.split()[1]
    if version not in man:
        errors.append(f"the man page does not name version {version}")
    print(f"man page: {len(options)} options, version {version}")

for size in (16, 22, 24, 32, 48, 64, 128, 256):
    path = os.path.join(build, "icons", "hicolor", f"{size}x{size}", "apps", "stickyboard.png")
    try:
        data = open(path, "rb").read()
    except OSError as e:
        errors.append(f"{path}: {e}")
        continue
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        errors.append(f"{path}: not a PNG")
        continue
    w, h, depth, colour = struct.unpack(">IIBB", data[16:26])
    if (w, h) != (size, size) or depth != 8 or colour != 6:
        errors.append(f"{path}: {w}x{h} depth {depth} colour type {colour}, want {size}x{size} RGBA")
        continue
    # A blank (all transparent) image decompresses to zeros whatever the row filters.
    idat, i = b"", 8
    while i < len(data):
        length, kind = struct.unpack(">I4s", data[i:i + 8])
        if kind == b"IDAT":
            idat += data[i + 8:i + 8 + length]
        i += 12 + length
    if not any(zlib.decompress(idat)):
        errors.append(f"{path}: blank")
        continue
    print(f"icon {size}x{size}: ok")

if errors:
    sys.exit("\n".join(errors))
