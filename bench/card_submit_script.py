#!/usr/bin/env python3
"""Redis cost of an accepted phone-card submission (lua/card_submit.lua) beside an accepted
internet-account submission (lua/query_submit.lua), as the service runs them (issue 25).

    python3 bench/card_submit_script.py PORT CALLS ROUNDS

Against a redis-server already listening on 127.0.0.1:PORT (a throw-away one: it is flushed). Each
script is loaded as RedisScript loads it (the node's limits written in front as constants,
lua/lib/hit_log.lua before the body); every call submits a new number and ID number whose code was
seeded before the round (seeding not measured), from 1,000 client addresses taking turns; calls are
pipelined over one connection, 64 in flight. Prints per round and script the EVALSHA time per call
(INFO commandstats: the script's own time inside Redis) and the Redis commands it ran per call.
"""
import os, socket, sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'src', 'main', 'resources', 'lua')
CONSTANTS = {'WINDOW_MS': 86400000, 'IP_WINDOW_MS': 60000, 'IP_MAX': 120, 'FAIL_WINDOW_MS': 3600000,
             'FAIL_MAX': 30, 'IDEMPOTENCY_TTL_MS': 86400000, 'JOB_TTL_MS': 172800000 + 604800000}


def resp(*parts):
    out = [b'*%d\r\n' % len(parts)]
    for p in parts:
        p = p if isinstance(p, bytes) else str(p).encode()
        out.append(b'$%d\r\n%s\r\n' % (len(p), p))
    return b''.join(out)


class Conn:
    def __init__(self, port):
        self.f = socket.create_connection(('127.0.0.1', port)).makefile('rwb')

    def read(self):
        line = self.f.readline()[:-2]
        t, rest = line[:1], line[1:]
        if t in (b'+', b':'):
            return rest
        if t == b'-':
            raise RuntimeError(rest.decode())
        if t == b'$':
            n = int(rest)
            if n < 0:
                return None
            data = self.f.read(n + 2)[:-2]
            return data
        if t == b'*':
            return [self.read() for _ in range(int(rest))]
        raise RuntimeError('unexpected reply ' + repr(line))

    def call(self, *parts):
        self.f.write(resp(*parts))
        self.f.flush()
        return self.read()

    def pipeline(self, requests, window=64):
        out, sent = [], 0
        for r in requests:
            self.f.write(r)
            sent += 1
            if sent - len(out) >= window:
                self.f.flush()
                out.append(self.read())
        self.f.flush()
        while len(out) < sent:
            out.append(self.read())
        return out


def source(body):
    head = ''.join("local %s, %s_S = %d, '%d'\n" % (k, k, v, v) for k, v in sorted(CONSTANTS.items()))
    return head + open(os.path.join(ROOT, 'lib', 'hit_log.lua')).read() + '\n' + open(os.path.join(ROOT, body)).read() + '\n'


def stats(c):
    info = c.call('INFO', 'commandstats').decode()
    out = {}
    for line in info.split('\r\n'):
        if line.startswith('cmdstat_'):
            name, rest = line[8:].split(':', 1)
            fields = dict(kv.split('=') for kv in rest.split(','))
            out[name] = (int(fields['calls']), int(fields['usec']))
    return out


def main():
    port, calls, rounds = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    c = Conn(port)
    shas = {name: c.call('SCRIPT', 'LOAD', source(name + '.lua')).decode() for name in ('query_submit', 'card_submit')}
    now = 1796270400000
    for rnd in range(rounds):
        for name, sha in shas.items():
            c.call('FLUSHALL')
            field = 'c' if name == 'card_submit' else 'h'
            c.pipeline([resp('HSET', 'yzt:code:%s:%d' % (name, i), field, 'hash', 'a', '5') for i in range(calls)])
            reqs = []
            for i in range(calls):
                ip = 'ip%d' % (i % 1000)
                if name == 'card_submit':
                    keys = ['yzt:code:%s:%d' % (name, i), 'yzt:cwin:%d' % i, 'yzt:cwid:%d' % i, 'yzt:job:q%d' % i, 'yzt:jobs',
                            'yzt:rl4:queries:' + ip, 'yzt:rl4:codeFailures:' + ip]
                else:
                    keys = ['yzt:code:%s:%d' % (name, i), 'yzt:win:%d' % i, 'yzt:job:q%d' % i, 'yzt:jobs',
                            'yzt:rl4:queries:' + ip, 'yzt:rl4:codeFailures:' + ip]
                args = ['hash', 'q%d' % i, str(now + i * 60000 // calls), str(now + 172800000), 'v:' + 'x' * 140, 'req-%d' % i]
                reqs.append(resp('EVALSHA', sha, len(keys), *keys, *args))
            c.call('CONFIG', 'RESETSTAT')
            replies = c.pipeline(reqs)
            accepted = sum(1 for r in replies if r == [b'OK'])
            s = stats(c)
            ev_calls, ev_usec = s.get('evalsha', (0, 0))
            inner = sum(n for k, (n, _) in s.items() if k not in ('evalsha', 'config', 'info'))
            print('round %d %-13s accepted %d/%d  evalsha %.2f us/call  %.1f commands/call'
                  % (rnd + 1, name, accepted, calls, ev_usec / max(1, ev_calls), inner / max(1, ev_calls)))


if __name__ == '__main__':
    main()
