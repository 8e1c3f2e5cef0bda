#!/usr/bin/env python3
"""Redis cost of an accepted phone-card submission beside an accepted internet-account submission, as
the service runs them since both were split into steps of one slot each (SPEC §11, §13): accounts =
lua/query_ip.lua then lua/query_submit.lua; cards = lua/query_ip.lua, lua/card_id_reserve.lua (the ID
number's window reserved in its own slot), lua/card_submit.lua (the number's step), lua/card_id_settle.lua
(the reservation confirmed).

    python3 bench/card_submit_script.py PORT CALLS ROUNDS

Against a redis-server already listening on 127.0.0.1:PORT (a throw-away one: it is flushed). Each
script is loaded as RedisScript loads it (the node's limits written in front as constants,
lua/lib/hit_log.lua before the body); every call submits a new number and ID number whose code was
seeded before the round (seeding not measured), from 1,000 client addresses taking turns; each step is
pipelined for all calls over one connection, 64 in flight, before the next step. Prints per round and
kind the EVALSHA time per accepted submission (INFO commandstats: the scripts' own time inside Redis,
all steps), the Redis commands they ran and the round trips (steps) per submission.
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


STEPS = {'accounts': ('query_ip', 'query_submit'),
         'cards': ('query_ip', 'card_id_reserve', 'card_submit', 'card_id_settle')}


def step_request(sha, step, i, ip, now, calls):
    t = '{s%d}' % (i % 16)
    if step == 'query_ip':
        keys, args = ['yzt:rl5:{%s}:queries' % ip, 'yzt:rl5:{%s}:codeFailures' % ip], [str(now + i * 60000 // calls)]
    elif step == 'card_id_reserve':
        keys, args = ['yzt:cwid:{id%d}' % i], ['q%d' % i, '10000']
    elif step == 'card_id_settle':
        keys, args = ['yzt:cwid:{id%d}' % i], ['q%d' % i, '1']
    else:
        win = 'cwin' if step == 'card_submit' else 'win'
        keys = ['yzt:code:%s:%d' % (t, i), 'yzt:%s:%s:%d' % (win, t, i), 'yzt:job:%s:q%d' % (t, i), 'yzt:jobs:' + t]
        args = ['hash', 'q%d' % i, str(now + i * 60000 // calls), str(now + 172800000), 'v:' + 'x' * 140, 'req-%d' % i]
        if step == 'card_submit':
            args.append('0')  # the ID number's window reserved for this query
    return resp('EVALSHA', sha, len(keys), *keys, *args)


def main():
    port, calls, rounds = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    c = Conn(port)
    names = {n for steps in STEPS.values() for n in steps}
    shas = {name: c.call('SCRIPT', 'LOAD', source(name + '.lua')).decode() for name in names}
    now = 1796270400000
    for rnd in range(rounds):
        for kind, steps in STEPS.items():
            c.call('FLUSHALL')
            field = 'c' if kind == 'cards' else 'h'
            c.pipeline([resp('HSET', 'yzt:code:{s%d}:%d' % (i % 16, i), field, 'hash', 'a', '5') for i in range(calls)])
            c.call('CONFIG', 'RESETSTAT')
            accepted = calls
            for step in steps:
                replies = c.pipeline([step_request(shas[step], step, i, 'ip%d' % (i % 1000), now, calls) for i in range(calls)])
                ok = sum(1 for r in replies if r in ([b'OK'], [b'RESERVED'], 1, b'1'))
                accepted = min(accepted, ok)
            s = stats(c)
            ev_calls, ev_usec = s.get('evalsha', (0, 0))
            inner = sum(n for k, (n, _) in s.items() if k not in ('evalsha', 'config', 'info'))
            print('round %d %-8s accepted %d/%d  evalsha %.2f us/submission  %.1f commands/submission  %d round trips'
                  % (rnd + 1, kind, accepted, calls, ev_usec / calls, inner / calls, len(steps)))


if __name__ == '__main__':
    main()
