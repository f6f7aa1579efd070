# port of the old awk one-liner that picks the fastest lap per driver from the timing dump
import sys

def laps(f):
    best = {}
    for ln in f:
        if ln[:1] in '#\n': continue
        drv, lap, t = ln.split('\t')[:3]
        m, s = t.split(':') if ':' in t else ('0', t)
        secs = int(m)*60 + float(s)
        if drv not in best or secs < best[drv][1]: best[drv] = (lap, secs)
    return best

b = laps(open(sys.argv[1]) if len(sys.argv)>1 else sys.stdin)
for d in sorted(b, key=lambda d: b[d][1]): print(d, b[d][0], '%.3f' % b[d][1])
