"""Checks an owgrun --trace file against the run's --stats=json and the
workflow's IR as JSON (owgc --emit=json): the Chrome trace-event object
format, one complete ("X", category task) event per task execution, named
after a task of the workflow, times and durations not negative, requests
below the limit; metadata naming clusters and PEAs; executions cut short
by a failure, and the failures.  Prints a summary for
FileCheck.

usage: check_trace.py TRACE.json STATS.json WF.json TRACED_REQUESTS
"""
import json
import sys


def main():
    with open(sys.argv[1]) as f:
        trace = json.load(f)
    with open(sys.argv[2]) as f:
        stats = json.load(f)
    with open(sys.argv[3]) as f:
        wf = json.load(f)
    limit = int(sys.argv[4])
    tasks = {n["name"] for n in wf["nodes"] if n["kind"] == "tb"}
    assert trace["displayTimeUnit"] == "ms"
    ev = trace["traceEvents"]
    assert isinstance(ev, list) and ev
    for e in ev:
        assert e["ph"] in ("X", "i", "M", "b", "e"), e
        assert isinstance(e["pid"], int) and isinstance(e["tid"], int), e
        assert e["pid"] > 0 and (e["tid"] > 0 or e["ph"] == "M"), e
        if e["ph"] != "M":
            assert e["ts"] >= 0, e
    x = [e for e in ev if e["ph"] == "X"]
    run = [e for e in x if e["cat"] == "task"]
    for e in x:
        assert e["dur"] >= 0, e
    for e in run:
        assert e["name"] in tasks, e["name"]
        a = e["args"]
        assert 0 <= a["request"] < limit and a["exec"] >= 0 and a["wait"] >= 0, e
        assert a["peas"][0] + 1 == e["tid"], e
    for e in x:
        if e["cat"] == "wait":
            assert e["name"] == "wait" and e["args"]["task"] in tasks, e
    # slices of one PEA never overlap partly: Perfetto nests them
    tracks = {}
    for e in x:
        tracks.setdefault((e["pid"], e["tid"]), []).append((e["ts"], e["ts"] + e["dur"]))
    for t in tracks.values():
        t.sort()
        for a, b in zip(t, t[1:]):
            assert b[0] >= a[1] - 1e-9, (a, b)
    names = {(e["pid"], e["tid"]) for e in ev if e["ph"] == "M" and e["name"] == "thread_name"}
    assert all(k in names for k in tracks), "a PEA without a name"
    procs = [e["args"]["name"] for e in ev if e["ph"] == "M" and e["name"] == "process_name"]
    begins = [e for e in ev if e["ph"] == "b"]
    print("task events %d, tasks run %d" % (len(run), stats["tasks_run"]))
    print("requests traced %d" % len(begins))
    lost = [e for e in x if e["cat"] == "lost"]
    assert all(e["args"]["lost"] is True and e["name"] in tasks for e in lost)
    print("lost events %d, tasks lost %d" % (len(lost), stats["tasks_lost"]))
    fails = [e for e in ev if e["ph"] == "i" and e["cat"] == "fault"]
    print("failures %d, failed PEAs %d" % (len(fails), stats["failed_peas"]))
    print("processes: %s" % ", ".join(sorted(set(p.split()[0] for p in procs))))
    print("control events %d" % sum(1 for e in ev if e["ph"] == "i" and e["cat"] == "control"))


main()
