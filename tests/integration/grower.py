#!/usr/bin/env python3
# grower.py - a process whose memory grows by RATE MiB a second (pages
# written, so they are resident) until it gets SIGUSR1; then it holds what
# it has and sleeps until killed.  For memory_leak.sh.
import signal
import sys
import time

rate = float(sys.argv[1]) if len(sys.argv) > 1 else 10.0
step = 0.1
chunk = int(rate * 1048576 * step)
held = []
growing = True


def stop(signum, frame):
    global growing
    growing = False


signal.signal(signal.SIGUSR1, stop)
next_t = time.monotonic()
while True:
    if growing:
        held.append(b"\x01" * chunk)
    next_t += step
    time.sleep(max(0.0, next_t - time.monotonic()))
