"""Checks owgrun --stats=json output: one object (or, with --array, an
array of one object per policy), every key of owgrun(1) there, with the
type and range it must have.  Prints one line per object, for FileCheck.

usage: check_stats.py STATS.json [--array]
"""
import json
import sys

NUMBERS = ["rate", "makespan", "lb", "makespan_over_lb", "throughput", "latency_mean", "latency_p50",
           "latency_p95", "latency_p99", "utilisation", "idle_with_backlog", "idle_backlog_pea_seconds",
           "busy_pea_seconds", "bytes_moved", "first_arrival", "last_finish"]
COUNTS = ["seed", "faults", "requests", "migrations", "reconfigurations", "control_messages", "tasks_run",
          "tasks_lost", "events", "peas", "failed_peas"]
STRINGS = ["workflow", "fabric", "policy"]


def check(o):
    for k in STRINGS:
        assert isinstance(o[k], str) and o[k], k
    if "error" in o:
        assert isinstance(o["error"], str) and o["error"], "error"
        return "%s error" % o["policy"]
    for k in NUMBERS:
        assert isinstance(o[k], (int, float)) and o[k] >= 0, k
    for k in COUNTS:
        assert isinstance(o[k], int) and o[k] >= 0, k
    assert o["phases"] is None or isinstance(o["phases"], str)
    assert set(o["octopus"]) == {"discriminate", "adaptive", "proactive", "diffusion"}
    assert all(isinstance(v, bool) for v in o["octopus"].values())
    assert set(o["tuning"]) == {"reactive_threshold", "reactive_cooldown", "steal_hops", "diffusion_margin"}
    assert o["lb"] <= o["makespan"] * (1 + 1e-12), "LB above the makespan"
    assert abs(o["makespan_over_lb"] - o["makespan"] / o["lb"]) < 1e-9
    assert o["latency_p50"] <= o["latency_p95"] <= o["latency_p99"]
    assert 0 <= o["utilisation"] <= 1 and 0 <= o["idle_with_backlog"] <= 1
    assert abs(o["throughput"] - o["requests"] / o["makespan"]) < 1e-6 * o["throughput"]
    line = "%s requests %d tasks %d" % (o["policy"], o["requests"], o["tasks_run"])
    if "speedup_over_static" in o:
        line += " speed-up %.2f" % o["speedup_over_static"]
    return line


def main():
    with open(sys.argv[1]) as f:
        data = json.load(f)
    objs = data if "--array" in sys.argv else [data]
    assert isinstance(objs, list) and all(isinstance(o, dict) for o in objs)
    for o in objs:
        print(check(o))


main()
