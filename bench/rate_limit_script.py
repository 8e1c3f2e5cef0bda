#!/usr/bin/env python3
"""Redis CPU per call of the per-IP limiter script: the header ring of revision OLD (lua/lib/sliding_window.lua
+ lua/sliding_window.lua, default f318c72) against the work tree's hit log (lua/lib/hit_log.lua +
lua/rate_limit.lua), alternating rounds on one private Redis, calls spread over IPS client addresses
(env, default 2000) with the limit MAX per WINDOW ms (env, default 600 per 60000: the captcha bucket) so that
busy clients' logs are full, as under a flood. Prints Redis CPU (utime+stime from /proc) per call per round
and the mean ratio.

    python3 bench/rate_limit_script.py PORT CALLS ROUNDS [OLD]
"""
import os, sys, subprocess, time, tempfile, importlib.util
spec = importlib.util.spec_from_file_location('ss', os.path.join(os.path.dirname(os.path.abspath(__file__)), 'submit_script.py'))
ss = importlib.util.module_from_spec(spec); spec.loader.exec_module(ss)
port, calls, rounds = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
old_rev = sys.argv[4] if len(sys.argv) > 4 else 'f318c72'
ips, mx, window = int(os.environ.get('IPS', '2000')), int(os.environ.get('MAX', '600')), int(os.environ.get('WINDOW', '60000'))
d = tempfile.mkdtemp()
p = subprocess.Popen(['redis-server', '--port', str(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', d],
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
for _ in range(100):
    try:
        c = ss.Conn(port); break
    except OSError:
        time.sleep(0.1)
git = lambda path: subprocess.check_output(['git', 'show', old_rev + ':' + path], text=True)
old_src = git('src/main/resources/lua/lib/sliding_window.lua') + '\n' + git('src/main/resources/lua/sliding_window.lua')
new_src = open('src/main/resources/lua/lib/hit_log.lua').read() + '\n' + open('src/main/resources/lua/rate_limit.lua').read()
old_sha = c.call('SCRIPT', 'LOAD', old_src).decode(); new_sha = c.call('SCRIPT', 'LOAD', new_src).decode()
tick = os.sysconf('SC_CLK_TCK')
def cpu():
    f = open('/proc/%d/stat' % p.pid).read().split(')')[1].split()
    return int(f[11]) + int(f[12])
def batch(name, r):
    now = int(time.time() * 1000)
    if name == 'old':
        return [ss.resp('EVALSHA', old_sha, 1, 'yzt:rl2:captcha:%s' % ss.tok('ip%d' % (i % ips)), window, mx, '') for i in range(calls)]
    return [ss.resp('EVALSHA', new_sha, 1, 'yzt:rl4:captcha:%s' % ss.tok('ip%d' % (i % ips)), window, mx, '%013d' % (now + i // 1000)) for i in range(calls)]
res = {'old': [], 'new': []}
print('command: python3 bench/rate_limit_script.py %d %d %d %s   IPS=%d MAX=%d WINDOW=%d' % (port, calls, rounds, old_rev, ips, mx, window))
for name in ('old', 'new'):
    c.pipeline(batch(name, 0))  # warm: every client's log filled once
for r in range(rounds):
    for name in ('old', 'new'):
        cmds = batch(name, r)
        c0 = cpu(); replies = c.pipeline(cmds); c1 = cpu()
        us = (c1 - c0) / tick / calls * 1e6
        res[name].append(us)
        allowed = sum(1 for x in replies if isinstance(x, list) and x and x[0] == 1)
        print('  round %d %-4s Redis CPU %5.1f us/call  (%d of %d allowed)' % (r + 1, name, us, allowed, calls), flush=True)
mo, mn = sum(res['old']) / rounds, sum(res['new']) / rounds
print('mean old %.1f us/call, new %.1f us/call: new/old %.2f' % (mo, mn, mn / mo))
c.s.sendall(ss.resp('SHUTDOWN', 'NOSAVE')); p.wait()
