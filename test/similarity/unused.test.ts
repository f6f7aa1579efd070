// Unused definitions of a C or C++ program are dead code: a copy disguised with a pasted header of helpers,
// macros and typedefs it never calls still reads as its source. Real parser, real engine.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compare } from '../../server/src/similarity/engine';

const PROGRAM = `#include <stdio.h>

int main(void) {
    int t;
    scanf("%d", &t);
    while (t--) {
        int n;
        scanf("%d", &n);
        long long a[2005];
        long long best = -1, sum = 0;
        for (int i = 0; i < n; i++) {
            scanf("%lld", &a[i]);
            sum += a[i];
            if (a[i] > best) best = a[i];
        }
        int cnt = 0;
        for (int i = 0; i < n; i++) if (a[i] * n >= sum) cnt++;
        if (cnt % 2 == 0 && best > 0) printf("YES %d\\n", cnt);
        else printf("NO %lld\\n", best);
    }
    return 0;
}
`;
const HEADER = `#define ll long long
#define MAX(a,b) ((a)>(b)?(a):(b))
#define REP(i,n) for(int i=0;i<(n);i++)
typedef unsigned long long ull;
static int readInt(void) { int c = getchar(), x = 0; while (c < '0' || c > '9') c = getchar(); while (c >= '0' && c <= '9') { x = x * 10 + c - '0'; c = getchar(); } return x; }
static ll gcd(ll a, ll b) { return b ? gcd(b, a % b) : a; }
static ll power(ll b, ll e, ll m) { ll r = 1; b %= m; while (e > 0) { if (e & 1) r = r * b % m; b = b * b % m; e >>= 1; } return r; }
`;

async function score(files: Record<string, string>, a: string, b: string): Promise<number> {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'co-unused-'));
  try {
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(d, name), text);
    const r = await compare({ inputs: [d], allPairs: true, commonShare: 0 });
    const p = r.similarity.pairs.find((q) => [q.file1, q.file2].map((f) => path.basename(f)).sort().join('|') === [a, b].sort().join('|'));
    return p?.similarity_score ?? 0;
  } finally {
    fs.rmSync(d, { recursive: true, force: true });
  }
}

describe('unused definitions', () => {
  it('a C program with a pasted header of unused helpers, macros and typedefs scores as its source', async () => {
    const s = await score({ 'a.c': PROGRAM, 'b.c': `${HEADER}\n${PROGRAM}` }, 'a.c', 'b.c');
    assert.ok(s >= 0.9, `header copy ${s} (0.51 when unused helpers counted)`);
  });

  it('a helper the program calls is kept', async () => {
    const uses = PROGRAM.replace('scanf("%d", &n);', 'n = readInt();');
    const s = await score({ 'a.c': uses, 'b.c': `${HEADER}\n${uses}`, 'c.c': `static int readInt(void) { return 0; }\n${uses}` }, 'b.c', 'c.c');
    assert.ok(s < 0.95, `readInt's body is evidence in both, and differs (${s})`);
  });

  it('C++: a template header of macros, aliases, constants, templates and a struct goes; what main uses stays', async () => {
    const program = `#include <bits/stdc++.h>
using namespace std;
const int LIMIT = 1000;

int main() {
    int t;
    cin >> t;
    while (t--) {
        int n;
        cin >> n;
        vector<long long> a(min(n, LIMIT));
        for (auto &x : a) cin >> x;
        sort(a.begin(), a.end());
        long long ans = 0;
        for (size_t i = 1; i < a.size(); i++) ans += a[i] - a[i - 1];
        if (ans % 2 == 0) cout << "YES " << ans << "\\n";
        else cout << "NO\\n";
    }
    return 0;
}
`;
    const header = `#define ll long long
#define all(x) (x).begin(), (x).end()
typedef pair<int, int> pii;
using vi = vector<int>;
const int MOD = 1e9 + 7;
template <typename T> T gcd(T a, T b) { return b ? gcd(b, a % b) : a; }
ll power(ll b, ll e) { ll r = 1; while (e) { if (e & 1) r = r * b % MOD; b = b * b % MOD; e >>= 1; } return r; }
struct DSU { vector<int> p; DSU(int n) : p(n) { iota(p.begin(), p.end(), 0); } int find(int x) { return p[x] == x ? x : p[x] = find(p[x]); } };
`;
    const copy = program.replace('using namespace std;\n', `using namespace std;\n${header}`);
    assert.ok(await score({ 'a.cpp': program, 'b.cpp': copy }, 'a.cpp', 'b.cpp') >= 0.99, 'MOD goes with power, the only one that used it');
    // LIMIT is used by main: without it the programs differ.
    const noLimit = program.replace('const int LIMIT = 1000;\n', '').replace('min(n, LIMIT)', 'n');
    assert.ok(await score({ 'a.cpp': program, 'b.cpp': noLimit }, 'a.cpp', 'b.cpp') < 0.99);
  });

  it('Java keeps a program\'s unused methods: copied along with the rest, they are evidence', async () => {
    const reader = (extra: string) => `import java.util.*;
public class Main {
    static int twice(int x) { return 2 * x; }
${extra}
    public static void main(String[] args) {
        Scanner in = new Scanner(System.in);
        int n = in.nextInt();
        long total = 0;
        for (int i = 0; i < n; i++) total += twice(in.nextInt()) * (long) (i + 1);
        System.out.println(total);
    }
}
`;
    const unused = '    static long gcd(long a, long b) { while (b != 0) { long t = a % b; a = b; b = t; } return a; }\n    static double mean(int[] v) { double s = 0; for (int x : v) s += x; return s / v.length; }';
    assert.ok(await score({ 'A.java': reader(''), 'B.java': reader(unused) }, 'A.java', 'B.java') < 0.95);
  });

  it('a C library (no main) keeps its functions: they are its interface', async () => {
    const lib = 'int area(int w, int h) {\n    return w * h;\n}\n\nint perimeter(int w, int h) {\n    int total = 0;\n    for (int i = 0; i < 2; i++) total += w + h;\n    return total;\n}\n';
    const extra = '\ndouble diagonal(int w, int h) {\n    double d = 1.0;\n    for (int k = 0; k < 100; k++) d = (d + (w * w + h * h) / d) / 2;\n    return d;\n}\n';
    assert.ok(await score({ 'a.c': lib, 'b.c': lib + extra }, 'a.c', 'b.c') < 0.9, 'the added function counts in a library');
    const main = '\n#include <stdio.h>\nint main(void) {\n    printf("%d %d\\n", area(2, 3), perimeter(2, 3));\n    return 0;\n}\n';
    assert.ok(await score({ 'a.c': lib + main, 'b.c': lib + extra + main }, 'a.c', 'b.c') >= 0.99, 'an unused function of a program does not');
  });
});
