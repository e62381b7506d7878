"""check_phases.py IR PHASES - checks an owg-gen phase file against the IR
of its workflow: four phases of 0.25, each setting the same control
blocks and tasks; per block, every arm's mean over the phases is its
declared probability and the phases differ; per task the time factors
average to 1."""
import re
import sys

ir_path, ph_path = sys.argv[1], sys.argv[2]

declared = {}  # control block name -> declared arm probabilities
tasks = set()
for line in open(ir_path):
    m = re.match(r'node %\d+ (branch|switch|exit|loop|fork|entry|tb) "([^"]+)"', line)
    if not m:
        continue
    kind, name = m.groups()
    if kind == "tb":
        tasks.add(name)
    elif kind in ("branch", "switch", "exit"):
        declared[name] = [float(p) for p in re.findall(r" p ([0-9.e-]+)\)", line)]

phases = []  # (share, {name: [probs]}, {task: factor})
for line in open(ph_path):
    line = line.split("#", 1)[0].split()
    if not line:
        continue
    if line[0] == "phase":
        assert line[2] == "share", line
        phases.append((float(line[3]), {}, {}))
    elif line[0] == "prob":
        assert line[1] in declared, "prob on %s, no branch/switch/exit" % line[1]
        phases[-1][1][line[1]] = [float(x) for x in line[2:]]
    elif line[0] == "time":
        assert line[1] in tasks, "time on %s, no task" % line[1]
        phases[-1][2][line[1]] = float(line[2])
    else:
        raise AssertionError("unexpected line %r" % line)

assert len(phases) == 4 and all(p[0] == 0.25 for p in phases), [p[0] for p in phases]
blocks = set(phases[0][1])
vtasks = set(phases[0][2])
assert blocks and vtasks, "nothing bursty or nothing volatile"
for share, probs, times in phases:
    assert set(probs) == blocks and set(times) == vtasks
for b in blocks:
    arms = [p[1][b] for p in phases]
    for ps in arms:
        assert len(ps) == len(declared[b]) and abs(sum(ps) - 1) < 1e-12, (b, ps)
    for a, want in enumerate(declared[b]):
        mean = sum(0.25 * ps[a] for ps in arms)
        assert abs(mean - want) < 1e-12, (b, a, mean, want)
    rare = min(range(len(declared[b])), key=lambda a: declared[b][a])
    lo = min(ps[rare] for ps in arms)
    hi = max(ps[rare] for ps in arms)
    assert hi >= 12 * lo - 1e-12, (b, lo, hi)
for t in vtasks:
    mean = sum(0.25 * p[2][t] for p in phases)
    assert abs(mean - 1) < 1e-12, (t, mean)
print("ok: %d bursty blocks, %d volatile tasks" % (len(blocks), len(vtasks)))
