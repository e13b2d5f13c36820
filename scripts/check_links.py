#!/usr/bin/env python3
"""Checks that every relative link in README.md and docs/ names a file or
folder of the repository. Prints the broken ones; exits 1 if there are any.

    check_links.py REPOSITORY
"""
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1])
pages = [root / "README.md"] + sorted((root / "docs").rglob("*.md"))
broken = []
for page in pages:
    text = page.read_text()
    # Links outside code blocks: [text](target)
    text = re.sub(r"```.*?```", "", text, flags=re.S)
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z]+:", target) or target.startswith("#"):
            continue
        path = (page.parent / target.split("#")[0]).resolve()
        if not path.exists():
            broken.append(f"{page.relative_to(root)}: {target}")
for line in broken:
    print("broken link:", line)
sys.exit(1 if broken else 0)
