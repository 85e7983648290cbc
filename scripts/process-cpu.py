#!/usr/bin/env python3
"""Prints, every second, the CPU (in cores) of processes picked by their command line, and each one's total at the end.

Usage: scripts/process-cpu.py LABEL=TEXT [LABEL=TEXT ...]
A process belongs to the first LABEL whose TEXT is in its command line (e.g. par=bench-msnap/ dbz=bench-msnap-dbz/
suite=bench.Suite mariadb=mariadbd). Samples until every process it has seen has exited, then prints the CPU seconds
per label: docs/performance.md quotes these totals for a benchmark row, where a rate alone moves with the machine.
Linux only (reads /proc/<pid>/stat); a process's last second before it exits is not counted.
"""
import os
import sys
import time

HZ = os.sysconf('SC_CLK_TCK')


def sample(labels):
    found = {}
    for pid in os.listdir('/proc'):
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            cmd = open(f'/proc/{pid}/cmdline', 'rb').read().decode(errors='ignore').replace('\0', ' ')
            fields = open(f'/proc/{pid}/stat').read().rsplit(')', 1)[1].split()
        except OSError:
            continue
        for label, text in labels:
            if text in cmd:
                found[pid] = (label, int(fields[11]) + int(fields[12]))  # utime + stime, in ticks
                break
    return found


def main():
    labels = [a.split('=', 1) for a in sys.argv[1:]]
    if not labels or any(len(l) != 2 for l in labels):
        sys.exit(__doc__)
    totals = {label: 0.0 for label, _ in labels}
    before = sample(labels)
    seen = bool(before)
    while True:
        time.sleep(1)
        now = sample(labels)
        second = {}
        for pid, (label, ticks) in now.items():
            second[label] = second.get(label, 0.0) + (ticks - before.get(pid, (label, ticks))[1]) / HZ
        for label, cores in second.items():
            totals[label] += cores
        before = now
        if now:
            seen = True
            print(time.strftime('%H:%M:%S'), ' '.join(f'{l}={c:.2f}' for l, c in sorted(second.items())), flush=True)
        elif seen:
            break
    print('total CPU seconds:', ' '.join(f'{l}={c:.1f}' for l, c in totals.items()), flush=True)


if __name__ == '__main__':
    main()
