#!/usr/bin/env python3
"""fleet-sizing.py: what Prometheus needs for a fleet of sakimori agents,
from the figures of one real agent that tests/integration/fleet.sh
measures (the series of one scrape, its size in bytes, the label pairs of
an average series) and the figures cited in docs/fleet.md:

- disk: 1 to 2 bytes per sample (Prometheus's documentation, Storage,
  "Operational aspects"); 2 is taken;
- memory: Prometheus's documentation gives no figure per series for its
  2.x storage; the model of Robust Perception ("How much RAM does
  Prometheus 2.x need for cardinality and ingestion?") is used: 732 bytes
  per series and 32 per label pair, the samples of 3 hours at 1.5 times
  their size in chunks, all doubled for Go's garbage collector.

    fleet-sizing.py --series N --scrape-bytes B --label-pairs L
                    [--hosts 10000] [--interval 30] [--retention-days 15]
"""
import argparse

BYTES_PER_SAMPLE_DISK = 2.0  # documentation: "around 1-2 bytes per sample"
SERIES_BYTES = 732           # Robust Perception's model, per series
LABEL_PAIR_BYTES = 32        # ... per label pair
HEAD_HOURS = 3               # ... samples kept in memory, at most
CHUNK_OVERHEAD = 1.5         # ... 192 B of chunk for 128 B of data
GC_FACTOR = 2                # ... Go's garbage collector


def iec(n):
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if n < 1024 or unit == "TiB":
            return f"{n:.1f} {unit}" if unit != "B" else f"{n:.0f} B"
        n /= 1024.0


def main():
    a = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    a.add_argument("--series", type=int, required=True)
    a.add_argument("--scrape-bytes", type=int, required=True)
    a.add_argument("--label-pairs", type=float, required=True)
    a.add_argument("--hosts", type=int, default=10000)
    a.add_argument("--interval", type=float, default=30.0)
    a.add_argument("--retention-days", type=float, default=15.0)
    o = a.parse_args()
    if o.series <= 0 or o.scrape_bytes <= 0 or o.hosts <= 0 or o.interval <= 0:
        a.error("the figures must be positive")
    series = o.series * o.hosts
    samples_per_s = series / o.interval
    cardinality = series * (SERIES_BYTES + LABEL_PAIR_BYTES * o.label_pairs)
    head = samples_per_s * HEAD_HOURS * 3600 * BYTES_PER_SAMPLE_DISK * CHUNK_OVERHEAD
    ram = (cardinality + head) * GC_FACTOR
    disk = samples_per_s * o.retention_days * 86400 * BYTES_PER_SAMPLE_DISK
    net = o.scrape_bytes * o.hosts / o.interval
    rows = [
        ("hosts", f"{o.hosts}"),
        ("series per agent (measured)", f"{o.series}"),
        ("bytes per scrape (measured)", f"{o.scrape_bytes}"),
        ("label pairs per series (measured)", f"{o.label_pairs:.1f}"),
        ("scrape interval", f"{o.interval:g} s"),
        ("active series", f"{series}"),
        ("samples per second", f"{samples_per_s:.0f}"),
        ("memory, series", iec(cardinality * GC_FACTOR)),
        ("memory, samples of 3 h", iec(head * GC_FACTOR)),
        ("memory, total", iec(ram)),
        (f"disk for {o.retention_days:g} days", iec(disk)),
        ("scrape traffic", f"{iec(net)}/s ({net * 8 / 1e6:.1f} Mbit/s)"),
    ]
    w = max(len(k) for k, _ in rows)
    for k, v in rows:
        print(f"{k:<{w}}  {v}")


if __name__ == "__main__":
    main()
