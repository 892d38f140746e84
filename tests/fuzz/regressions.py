"""The regression inputs of tests/fuzz/regressions/TARGET/: each file is one input, except
NAME.gen.py, a script whose standard output is the input NAME (for inputs too big to keep
in git, such as a script of 60,000 commands). Generated inputs are written once under
$BUILD/fuzz-regressions/TARGET/ and made again when their script changes."""

import glob
import os
import subprocess
import sys

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "regressions")


def targets():
    """The names of the targets that have a regressions folder."""
    return sorted(os.path.basename(d[:-1]) for d in glob.glob(os.path.join(HERE, "*", "")))


def inputs(build, target):
    """The paths of TARGET's regression inputs, generated ones made first."""
    out = []
    for p in sorted(glob.glob(os.path.join(HERE, target, "*"))):
        if not p.endswith(".gen.py"):
            out.append(p)
            continue
        dest = os.path.join(build, "fuzz-regressions", target, os.path.basename(p)[:-len(".gen.py")])
        if not os.path.exists(dest) or os.path.getmtime(dest) < os.path.getmtime(p):
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            with open(dest + ".tmp", "wb") as f:
                subprocess.run([sys.executable, "-B", p], stdout=f, check=True)
            os.replace(dest + ".tmp", dest)
        out.append(dest)
    return out
