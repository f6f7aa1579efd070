# quick hack for the scores dump -- FIXME handle the weird rows from 2019
import sys, re

def avg(xs):
    xs = [x for x in xs if x==x]  # drop NaNs
    return sum(xs)/len(xs) if xs else 0

def load(fn):
    out = {}
    for ln in open(fn):
        if ln[0]=='#' or not ln.strip(): continue
        k, *v = re.split(r'[;,\t]', ln.rstrip('\n'))
        try: out.setdefault(k.lower(), []).extend(map(float, v))
        except ValueError: print('skip', k, file=sys.stderr)
    return out

def best(d, n=3):
    # ties -> alphabetical, Bob asked for that
    return sorted(d, key=lambda k: (-avg(d[k]), k))[:n]

if __name__ == '__main__':
    d = load(sys.argv[1] if len(sys.argv)>1 else 'scores.txt')
    for k in best(d, int(sys.argv[2]) if len(sys.argv)>2 else 3): print(k, round(avg(d[k]),2))
