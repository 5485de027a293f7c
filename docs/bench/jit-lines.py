#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Attributes perf samples in JIT-compiled code to the Java methods and lines inlined there.

Reads the index jit-lines.c wrote (each compiled method's address, size and, per debug-info pc, the inlined frames)
and `perf script -F ip` output. A sample is given to the first debug-info pc at or after its address (as HotSpot's
own profiling API does); run the JVM with -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints so there is one
near every instruction. A sample right after a `lock cmpxchg` (a monitor enter or a CAS, which the sample's skid
puts on the next instruction) is reported apart: the next pc's frames need not be the lock's.

    python3 jit-lines.py OUT_DIR/index.txt ips.txt [PACKAGE_PREFIX]   (default prefix io/copytrace/boot)
"""
import bisect
import collections
import os
import sys

index, script = sys.argv[1], sys.argv[2]
prefix = sys.argv[3] if len(sys.argv) > 3 else 'io/copytrace/boot'
out_dir = os.path.dirname(index)
methods = []  # [start, end, name, [(pc, frames)], id]
for line in open(index):
    p = line.rstrip('\n').split(' ')
    if p[0] == 'M':
        methods.append([int(p[2], 16), int(p[2], 16) + int(p[3]), ' '.join(p[4:]), [], int(p[1])])
    elif p[0] == 'P' and methods:
        methods[-1][3].append((int(p[1], 16), p[2:]))
for m in methods:
    m[3].sort()
order = sorted(range(len(methods)), key=lambda i: methods[i][0])
starts = [methods[i][0] for i in order]
code_cache = {}


def method_at(ip):
    """The latest-compiled method whose code holds ip (code memory is reused after a method is unloaded)."""
    best = -1
    k = bisect.bisect_right(starts, ip) - 1
    while k >= 0 and ip - starts[k] < 1 << 20:
        i = order[k]
        if methods[i][0] <= ip < methods[i][1] and i > best:
            best = i
        k -= 1
    return methods[best] if best >= 0 else None


def after_lock_cmpxchg(m, ip):
    code = code_cache.get(m[4])
    if code is None:
        code = code_cache[m[4]] = open(os.path.join(out_dir, f'{m[4]}.bin'), 'rb').read()
    o = ip - m[0]
    return o >= 5 and (code[o - 5] == 0xf0 and code[o - 3:o - 1] == b'\x0f\xb1'
                       or code[o - 4] == 0xf0 and code[o - 3:o - 1] == b'\x0f\xb1')


ips = collections.Counter()
for line in open(script):
    f = line.split()
    if f:
        try:
            ips[int(f[0], 16)] += 1
        except ValueError:
            pass
total = sum(ips.values())
jit = locks = mine = 0
by_method = collections.Counter()
by_line = collections.Counter()
compiled = collections.Counter()
for ip, c in ips.items():
    m = method_at(ip)
    if m is None:
        continue
    jit += c
    compiled[m[2]] += c
    if after_lock_cmpxchg(m, ip):
        locks += c
        continue
    pcs = m[3]
    j = bisect.bisect_left(pcs, (ip, []))
    frames = pcs[j][1] if j < len(pcs) else []
    ours = [fr for fr in frames if prefix in fr]
    if ours:
        mine += c
        by_line[ours[0]] += c
        by_method[ours[0].rsplit(':', 1)[0]] += c


def pct(v):
    return f'{100 * v / total:6.2f}%'


print(f'samples {total}; in compiled Java code {pct(jit)}; right after a lock cmpxchg {pct(locks)}; '
      f'innermost frame under {prefix}: {pct(mine)}')
print('== compiled methods (the samples in their code, inlined callees included)')
for k, v in compiled.most_common(10):
    print(pct(v), k)
print(f'== innermost {prefix} method')
for k, v in by_method.most_common(30):
    print(pct(v), k)
print(f'== innermost {prefix} line')
for k, v in by_line.most_common(30):
    print(pct(v), k)
