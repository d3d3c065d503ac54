#!/usr/bin/env python3
"""Two commands timed in alternation, so both see the same machine.

    bench/paired.py RUNS 'COMMAND A' 'COMMAND B'

Runs one warm-up of each, then RUNS pairs, alternating which goes first (A B, B A, A B, ...), each command's
output thrown away and its exit code ignored (an audit with findings exits 1). Prints one line:

    A_MEDIAN_S B_MEDIAN_S MEDIAN_OF_PAIR_RATIOS MIN_RATIO MAX_RATIO

hyperfine runs all of one command's runs, then all of the other's: on a machine whose speed drifts within a
minute (a shared 2-CPU machine does), the two blocks can see different machines. Each pair here runs within a
second, and the ratio is taken pair by pair.
"""

import shlex
import statistics
import subprocess
import sys
import time


def timed(command):
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    runs = int(sys.argv[1])
    a, b = shlex.split(sys.argv[2]), shlex.split(sys.argv[3])
    timed(a)
    timed(b)
    times_a, times_b, ratios = [], [], []
    for run in range(runs):
        if run % 2 == 0:
            ta, tb = timed(a), timed(b)
        else:
            tb, ta = timed(b), timed(a)
        times_a.append(ta)
        times_b.append(tb)
        ratios.append(ta / tb)
    print(
        f"{statistics.median(times_a):.4f} {statistics.median(times_b):.4f} "
        f"{statistics.median(ratios):.3f} {min(ratios):.3f} {max(ratios):.3f}"
    )


if __name__ == "__main__":
    main()
