#!/usr/bin/env python3
"""Redis cost of the query submission script alone (issue 11), variants side by side.

    python3 bench/submit_script.py PORT CALLS ROUNDS NAME=SOURCE[:LAYOUT] ...

SOURCE is a file, or REV:path for a committed version (read with git show), of the script body;
lua/lib/sliding_window.lua of the same revision (or the work tree for a file) is put in front, as
RedisScript does. LAYOUT names the KEYS/ARGV layout of that version ("v1": 7 keys, 17 args as at
adac638; "v2"; "v3": 6 keys, 12 args; "v5": v3's keys, 7 args, the limits written in front of the
script as constants, as RedisScript does with the node's configuration; "v6": v5 without the record's
expiry argument, JOB_TTL_MS a constant). Every call submits a new number whose code was seeded before the
round (seeding is not measured), all from one client address whose per-IP limits are `IPMAX`
(env, default 1000000000, as bench/side-by-side.sh lifts them) or realistic (IPMAX=120 with
IPS=1000 addresses taking turns). Calls are pipelined over one connection, 64 in flight.
Env REDIS_CONFIG=name=value,... sets Redis options first (e.g. latency-tracking=no); NOLIB=1 leaves
the library out of file variants (for floor measurements).
Prints per round and variant: Redis CPU per call (utime+stime of redis-server from /proc, so
parsing and replies included) and EVALSHA time per call (INFO commandstats, inside the script).
"""
import os, socket, subprocess, sys, time, hashlib, base64, hmac

TICK = os.sysconf('SC_CLK_TCK')
IPMAX = int(os.environ.get('IPMAX', '1000000000'))
IPS = int(os.environ.get('IPS', '1'))
IDEM = os.environ.get('IDEM', '0') == '1'


def resp(*parts):
    out = [b'*%d\r\n' % len(parts)]
    for p in parts:
        if not isinstance(p, bytes):
            p = str(p).encode()
        out.append(b'$%d\r\n%s\r\n' % (len(p), p))
    return b''.join(out)


class Conn:
    def __init__(self, port):
        self.s = socket.create_connection(('127.0.0.1', port))
        self.buf = b''

    def _recv(self):
        data = self.s.recv(1 << 20)
        if not data:
            raise EOFError('redis closed the connection')
        self.buf += data

    def _line(self):
        while b'\r\n' not in self.buf:
            self._recv()
        line, self.buf = self.buf.split(b'\r\n', 1)
        return line

    def _need(self, n):
        while len(self.buf) < n:
            self._recv()

    def read(self):
        line = self._line()
        t, rest = line[:1], line[1:]
        if t in (b'+', b'-', b':'):
            return rest if t != b':' else int(rest)
        if t == b'$':
            n = int(rest)
            if n < 0:
                return None
            self._need(n + 2)
            v, self.buf = self.buf[:n], self.buf[n + 2:]
            return v
        if t == b'*':
            n = int(rest)
            return None if n < 0 else [self.read() for _ in range(n)]
        raise ValueError(line)

    def call(self, *parts):
        self.s.sendall(resp(*parts))
        return self.read()

    def pipeline(self, cmds, depth=64):
        out = []
        sent = 0
        got = 0
        while got < len(cmds):
            if sent < len(cmds) and sent - got < depth:
                chunk = cmds[sent:min(len(cmds), sent + depth - (sent - got))]
                self.s.sendall(b''.join(chunk))
                sent += len(chunk)
            else:
                out.append(self.read())
                got += 1
        return out


def constants():
    # what RedisScript writes in front for layout v5: each constant as a number and as a string
    values = [('WINDOW_MS', 86400000), ('IP_WINDOW_MS', 60000), ('IP_MAX', IPMAX), ('FAIL_WINDOW_MS', 3600000),
              ('FAIL_MAX', int(os.environ.get('FAILMAX', '1000000000'))), ('IDEMPOTENCY_TTL_MS', 86400000),
              ('JOB_TTL_MS', 172800000 + 604800000)]
    return ''.join("local %s, %s_S = %d, '%d'\n" % (n, n, v, v) for n, v in values)


def source(spec, layout='v2'):
    if layout in ('v5', 'v6'):
        return constants() + source(spec)
    # the library the script body uses, of the same revision (or the work tree for a file), in front
    if os.path.exists(spec):
        body = open(spec).read()
        lib = library(body)
        lib = '' if os.environ.get('NOLIB') or lib is None else open('src/main/resources/lua/' + lib + '.lua').read()
        return lib + '\n' + body + '\n'
    rev, path = spec.split(':', 1)
    body = subprocess.check_output(['git', 'show', spec], text=True)
    lib = library(body)
    lib = '' if lib is None else subprocess.check_output(['git', 'show', rev + ':src/main/resources/lua/' + lib + '.lua'], text=True)
    return lib + '\n' + body + '\n'


def library(body):
    # the library a script body calls, or None (bench/baseline/floor-*.lua call none)
    if 'log_read_pair' in body:
        return 'lib/hit_log'
    if 'sliding_window_hit' in body or 'ring_' in body:
        return 'lib/sliding_window'  # revisions before 993f580
    return None


def tok(s):
    return base64.urlsafe_b64encode(hashlib.sha256(s.encode()).digest()[:16]).rstrip(b'=').decode()


CODE_HASH = base64.urlsafe_b64encode(hashlib.sha256(b'code').digest()).rstrip(b'=').decode()
SEALED = 'AbCdEf:' + base64.b64encode(os.urandom(12 + 45 + 16)).decode()


def command(layout, sha, i, now):
    phone = tok('phone:%d' % i)
    qid = tok('q%d' % i)
    ip = tok('ip:%d' % (i % IPS))
    idem_key = 'yzt:idem:' + tok('idem%d' % i) if IDEM else 'yzt:idem:none'
    answer = '{"queryId":"%s","status":"ACCEPTED","senderNumber":"10699000","deadline":"2026-12-04T06:00:00Z"}' % qid
    failmax = int(os.environ.get('FAILMAX', '1000000000'))
    if layout == 'v6':  # v5 without the record's expiry argument (JOB_TTL_MS)
        keys = ['yzt:code:' + phone, 'yzt:win:' + phone, 'yzt:job:' + qid, 'yzt:jobs',
                'yzt:rl4:queries:' + ip, 'yzt:rl4:codeFailures:' + ip]
        args = [CODE_HASH, qid, now, now + 172800000, SEALED, '0123456789abcdef']
        if IDEM:
            keys.append(idem_key)
            args += [CODE_HASH, answer]
        return resp('EVALSHA', sha, len(keys), *keys, *args)
    if layout == 'v5':  # v3 with the configuration's numbers as constants of the script
        keys = ['yzt:code:' + phone, 'yzt:win:' + phone, 'yzt:job:' + qid, 'yzt:jobs',
                'yzt:rl4:queries:' + ip, 'yzt:rl4:codeFailures:' + ip]
        args = [CODE_HASH, qid, now, now + 172800000, now + 172800000 + 604800000, SEALED, '0123456789abcdef']
        if IDEM:
            keys.append(idem_key)
            args += [CODE_HASH, answer]
        return resp('EVALSHA', sha, len(keys), *keys, *args)
    if layout == 'v3':  # optional idempotency last, the caller's clock, hit logs under rl4
        keys = ['yzt:code:' + phone, 'yzt:win:' + phone, 'yzt:job:' + qid, 'yzt:jobs',
                'yzt:rl4:queries:' + ip, 'yzt:rl4:codeFailures:' + ip]
        args = [CODE_HASH, qid, 86400000, now, now + 172800000, now + 172800000 + 604800000, SEALED,
                '0123456789abcdef', 60000, IPMAX, 3600000, failmax]
        if IDEM:
            keys.append(idem_key)
            args += [CODE_HASH, answer, 86400000]
        return resp('EVALSHA', sha, len(keys), *keys, *args)
    keys = [idem_key, 'yzt:code:' + phone, 'yzt:win:' + phone, 'yzt:job:' + qid, 'yzt:jobs',
            'yzt:rl2:queries:' + ip]
    args = ['1' if IDEM else '0', CODE_HASH if IDEM else '', CODE_HASH, qid, 86400000, now, now + 172800000,
            now + 172800000 + 604800000, SEALED, '0123456789abcdef', answer if IDEM else '', 86400000, 60000, IPMAX]
    if layout == 'v1':
        keys.append('yzt:rl2:codeFailures:' + ip)
        args += [os.urandom(8).hex(), 3600000, 1000000000]
    else:
        keys.append('yzt:rl3:codeFailures:' + ip)
        args += [3600000, failmax]
    return resp('EVALSHA', sha, len(keys), *keys, *args)


def seed(c, start, n):
    cmds = []
    for i in range(start, start + n):
        k = 'yzt:code:' + tok('phone:%d' % i)
        cmds.append(resp('HSET', k, 'h', CODE_HASH, 'a', 5))
        cmds.append(resp('EXPIRE', k, 3600))
    c.pipeline(cmds, 512)


def main():
    port, calls, rounds = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    variants = []
    for v in sys.argv[4:]:
        name, spec = v.split('=', 1)
        layout = 'v2'
        if spec.endswith((':v1', ':v2', ':v3', ':v5', ':v6')):
            spec, layout = spec[:-3], spec[-2:]
        variants.append((name, source(spec, layout), layout))
    d = '/tmp/submit-script-%d' % port
    os.makedirs(d, exist_ok=True)
    subprocess.check_call(['redis-server', '--port', str(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no',
                           '--dir', d, '--daemonize', 'yes', '--logfile', d + '/redis.log'])
    time.sleep(0.3)
    c = Conn(port)
    try:
        pid = int([l for l in c.call('INFO', 'server').decode().split('\r\n') if l.startswith('process_id:')][0].split(':')[1])
        for kv in filter(None, os.environ.get('REDIS_CONFIG', '').split(',')):  # e.g. latency-tracking=no
            c.call('CONFIG', 'SET', *kv.split('=', 1))
        shas = [c.call('SCRIPT', 'LOAD', src).decode() for _, src, _ in variants]
        nxt = 0
        totals = {}
        print('command: python3 bench/submit_script.py %s   IPMAX=%d IPS=%d IDEM=%d   load %s' % (
            ' '.join(sys.argv[1:]), IPMAX, IPS, IDEM, open('/proc/loadavg').read().split()[0]))
        for r in range(rounds + 1):  # round 0 warms up and fills the rings
            for (name, _, layout), sha in zip(variants, shas):
                seed(c, nxt, calls)
                now = int(time.time() * 1000)
                cmds = [command(layout, sha, i, now) for i in range(nxt, nxt + calls)]
                c.call('CONFIG', 'RESETSTAT')
                cpu0 = sum(int(x) for x in open('/proc/%d/stat' % pid).read().split(')')[1].split()[11:13])
                replies = c.pipeline(cmds)
                cpu1 = sum(int(x) for x in open('/proc/%d/stat' % pid).read().split(')')[1].split()[11:13])
                stats = c.call('INFO', 'commandstats').decode()
                ok = sum(1 for x in replies if isinstance(x, list) and x and x[0] == b'OK')
                line = [l for l in stats.split('\r\n') if l.startswith('cmdstat_evalsha:')][0]
                usec = int(line.split('usec=')[1].split(',')[0])
                inner = sum(int(l.split('calls=')[1].split(',')[0]) for l in stats.split('\r\n')
                            if l.startswith('cmdstat_') and not l.startswith(('cmdstat_evalsha', 'cmdstat_config')))
                nxt += calls
                if ok != calls:
                    print('  %s: only %d of %d OK, e.g. %r' % (name, ok, calls, [x for x in replies if x[0] != b'OK'][:1]))
                if r == 0:
                    continue
                cpu_us = (cpu1 - cpu0) / TICK * 1e6 / calls
                t = totals.setdefault(name, [0, 0, 0])
                t[0] += cpu_us; t[1] += usec / calls; t[2] += 1
                print('  round %d %-8s Redis CPU %5.1f us/call  EVALSHA %5.1f us/call  %.1f inner commands/call' % (
                    r, name, cpu_us, usec / calls, (inner - calls) / calls if False else inner / calls))
        for name, (cpu, us, n) in totals.items():
            print('mean %-8s Redis CPU %5.1f us/call  EVALSHA %5.1f us/call' % (name, cpu / n, us / n))
    finally:
        try:
            Conn(port).s.sendall(resp('SHUTDOWN', 'NOSAVE'))
        except OSError:
            pass


if __name__ == '__main__':
    main()
