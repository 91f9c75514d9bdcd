#!/usr/bin/env python3
"""fleet-sizing.py: what Prometheus needs for a fleet of sakimori agents,
and what a central syslog server receives from them, from the figures of
one real agent that the test suite measures (tests/integration/fleet.sh:
the series of one scrape, its size in bytes, the label pairs of an average
series; tests/integration/fleet_syslog.sh: the bytes of one alert event's
RFC 5424 message on the wire, its octet count included) and the figures
cited in docs/fleet.md:

- disk: 1 to 2 bytes per sample (Prometheus's documentation, Storage,
  "Operational aspects"); 2 is taken;
- memory: Prometheus's documentation gives no figure per series for its
  2.x storage; the model of Robust Perception ("How much RAM does
  Prometheus 2.x need for cardinality and ingestion?") is used: 732 bytes
  per series and 32 per label pair, the samples of 3 hours at 1.5 times
  their size in chunks, all doubled for Go's garbage collector;
- syslog: a problem is two events (its open and its resolve), one message
  each; the problems per host and day are an assumption (--problems).

    fleet-sizing.py [--series N --scrape-bytes B --label-pairs L]
                    [--syslog-bytes S [--problems 5]]
                    [--hosts 10000] [--interval 30] [--retention-days 15]
"""
import argparse

BYTES_PER_SAMPLE_DISK = 2.0  # documentation: "around 1-2 bytes per sample"
SERIES_BYTES = 732           # Robust Perception's model, per series
LABEL_PAIR_BYTES = 32        # ... per label pair
HEAD_HOURS = 3               # ... samples kept in memory, at most
CHUNK_OVERHEAD = 1.5         # ... 192 B of chunk for 128 B of data
GC_FACTOR = 2                # ... Go's garbage collector
EVENTS_PER_PROBLEM = 2       # its open and its resolve


def iec(n):
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if n < 1024 or unit == "TiB":
            return f"{n:.1f} {unit}" if unit != "B" else f"{n:.0f} B"
        n /= 1024.0


def prometheus_rows(o):
    series = o.series * o.hosts
    samples_per_s = series / o.interval
    cardinality = series * (SERIES_BYTES + LABEL_PAIR_BYTES * o.label_pairs)
    head = samples_per_s * HEAD_HOURS * 3600 * BYTES_PER_SAMPLE_DISK * CHUNK_OVERHEAD
    ram = (cardinality + head) * GC_FACTOR
    disk = samples_per_s * o.retention_days * 86400 * BYTES_PER_SAMPLE_DISK
    net = o.scrape_bytes * o.hosts / o.interval
    return [
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


def syslog_rows(o):
    per_day = o.hosts * o.problems * EVENTS_PER_PROBLEM
    bytes_day = per_day * o.syslog_bytes
    return [
        ("syslog bytes per event (measured)", f"{o.syslog_bytes:.0f}"),
        ("problems per host per day (assumed)", f"{o.problems:g}"),
        ("syslog messages", f"{per_day:.0f} a day, {per_day / 86400:.2f}/s on average"),
        ("syslog traffic", f"{iec(bytes_day)} a day, {iec(bytes_day / 86400)}/s on average"),
        ("syslog, every host at once", f"{o.hosts} messages, {iec(o.hosts * o.syslog_bytes)}"),
    ]


def main():
    a = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    a.add_argument("--series", type=int)
    a.add_argument("--scrape-bytes", type=int)
    a.add_argument("--label-pairs", type=float)
    a.add_argument("--syslog-bytes", type=float)
    a.add_argument("--problems", type=float, default=5.0,
                   help="problems per host per day (an assumption)")
    a.add_argument("--hosts", type=int, default=10000)
    a.add_argument("--interval", type=float, default=30.0)
    a.add_argument("--retention-days", type=float, default=15.0)
    o = a.parse_args()
    prom = [o.series, o.scrape_bytes, o.label_pairs]
    if any(v is not None for v in prom) and any(v is None for v in prom):
        a.error("--series, --scrape-bytes and --label-pairs go together")
    if prom[0] is None and o.syslog_bytes is None:
        a.error("give the measured figures: --series, --scrape-bytes and "
                "--label-pairs, or --syslog-bytes, or all of them")
    if o.hosts <= 0 or o.interval <= 0 or o.problems < 0 or any(
            v is not None and v <= 0 for v in prom + [o.syslog_bytes]):
        a.error("the figures must be positive")
    rows = [("hosts", f"{o.hosts}")]
    if prom[0] is not None:
        rows += prometheus_rows(o)
    if o.syslog_bytes is not None:
        rows += syslog_rows(o)
    w = max(len(k) for k, _ in rows)
    for k, v in rows:
        print(f"{k:<{w}}  {v}")


if __name__ == "__main__":
    main()
