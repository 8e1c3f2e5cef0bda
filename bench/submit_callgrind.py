#!/usr/bin/env python3
"""Instructions Redis runs per submission-script call, by variant (valgrind's callgrind: deterministic,
unlike CPU time on a shared 2-core machine, where rounds of the same script differ by +-10 %).

    python3 bench/submit_callgrind.py PORT CALLS NAME=SOURCE[:LAYOUT] ...

Each variant gets its own redis-server under callgrind (PORT, PORT+1, ...), CALLS warm-up calls that
fill the per-IP rings, then CALLS measured calls (instrumentation on only for those), all built as
bench/submit_script.py builds them (same env: IPMAX, IPS, FAILMAX, IDEM; SOURCE and LAYOUT as there,
the library put in front). Prints instructions per call; KEEP=1 keeps the callgrind files in /tmp for
callgrind_annotate. Needs valgrind (Debian: apt-get install valgrind). ~10 s per variant of 1,000 calls.
"""
import os, sys, subprocess, time, importlib.util
spec = importlib.util.spec_from_file_location('ss', os.path.join(os.path.dirname(os.path.abspath(__file__)), 'submit_script.py'))
ss = importlib.util.module_from_spec(spec); spec.loader.exec_module(ss)
port0, calls = int(sys.argv[1]), int(sys.argv[2])
extra = os.environ.get('REDIS_ARGS', '').split()
for k, v in enumerate(sys.argv[3:]):
    name, f = v.split('=', 1)
    layout = 'v2'
    if f.endswith((':v1', ':v2', ':v3', ':v5', ':v6')):
        f, layout = f[:-3], f[-2:]
    port = port0 + k
    d = '/tmp/cg-%d' % port; os.makedirs(d, exist_ok=True)
    out = d + '/cg.out'
    p = subprocess.Popen(['valgrind', '--tool=callgrind', '--instr-atstart=no', '--callgrind-out-file=' + out,
                          'redis-server', '--port', str(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', d] + extra,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            c = ss.Conn(port); break
        except OSError:
            time.sleep(0.2)
    src = ss.source(f, layout)
    sha = c.call('SCRIPT', 'LOAD', src).decode()
    now = int(time.time() * 1000)
    # warm: a first batch (rings filled like a busy address), then the measured one
    ss.seed(c, 0, 2 * calls)
    c.pipeline([ss.command(layout, sha, i, now) for i in range(0, calls)])
    cmds = [ss.command(layout, sha, i, now) for i in range(calls, 2 * calls)]
    subprocess.check_call(['callgrind_control', '-i', 'on', str(p.pid)], stdout=subprocess.DEVNULL)
    replies = c.pipeline(cmds)
    subprocess.check_call(['callgrind_control', '-i', 'off', str(p.pid)], stdout=subprocess.DEVNULL)
    ok = sum(1 for x in replies if isinstance(x, list) and x and x[0] == b'OK')
    subprocess.check_call(["callgrind_control", "-d", str(p.pid)], stdout=subprocess.DEVNULL)
    c.s.sendall(ss.resp("SHUTDOWN", "NOSAVE"))
    p.wait()
    tot = 0
    for fn in os.listdir(d):
        if fn.startswith('cg.out'):
            t = 0
            for line in open(d + '/' + fn):
                if line.startswith('summary:') or line.startswith('totals:'):
                    t = max(t, int(line.split()[1]))
            tot += t
            if os.environ.get('KEEP'): os.system('cp %s/%s /tmp/cg-keep-%s-%s' % (d, fn, name, fn))
    print('%-10s %8.0f instructions/call  (%d of %d OK)' % (name, tot / calls, ok, calls), flush=True)
    for fn in os.listdir(d):
        os.remove(d + '/' + fn)
