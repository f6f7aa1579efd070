// Shared by the origin tests: the shipped model folder, a skip when it is absent, and sample sources
// written for these tests (no dataset code).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The shipped model; ORIGIN_TEST_MODEL points the tests at another folder that meets the contract. */
export const SHIPPED_MODEL_DIR = path.resolve('models/code-origin-small');
export const MODEL_DIR = process.env['ORIGIN_TEST_MODEL'] ? path.resolve(process.env['ORIGIN_TEST_MODEL']) : SHIPPED_MODEL_DIR;
export const CLI = path.resolve('dist/cli.js');

export function hasModel(): boolean {
  return fs.existsSync(path.join(MODEL_DIR, 'model.onnx'));
}

/** Skips the calling test (or hook) with a reason when the shipped model has not been exported yet. */
export function requireModel(ctx: Mocha.Context): void {
  if (!hasModel()) {
    console.log(`    (skipped: ${path.join(MODEL_DIR, 'model.onnx')} is absent; the trainer has not exported the model yet)`);
    ctx.skip();
  }
}

export function hasAttribution(): boolean {
  return fs.existsSync(path.join(MODEL_DIR, 'embeddings.onnx')) && fs.existsSync(path.join(MODEL_DIR, 'attribution.onnx'));
}

export function tempDir(prefix = 'code-origin-origin-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export const SMALL_PY = `def moving_average(values, width):
    """Mean of each run of \`width\` consecutive values."""
    if width <= 0:
        raise ValueError("width must be positive")
    out = []
    total = sum(values[:width])
    out.append(total / width)
    for i in range(width, len(values)):
        total += values[i] - values[i - width]
        out.append(total / width)
    return out
`;

export const SMALL_JAVA = `import java.util.*;

public class Main {
    public static void main(String[] args) {
        Scanner sc = new Scanner(System.in);
        int t = sc.nextInt();
        for (int c = 1; c <= t; c++) {
            long n = sc.nextLong(), best = 0;
            for (long k = 1; k * k <= n; k++) if (n % k == 0) best = Math.max(best, k);
            System.out.println("Case #" + c + ": " + best);
        }
    }
}
`;

/** A long source: `n` distinct small functions (about 6 lines each). */
export function longSource(n: number): string {
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    parts.push(`def step_${i}(state, limit=${i + 3}):\n    acc = 0\n    for k in range(limit):\n        acc += state.get(k, ${i}) * k\n    return acc - ${i}\n\n`);
  }
  return parts.join('');
}

/** Inverse of byte-level BPE's byte→character table: token string → its bytes. */
export function tokenBytes(token: string): number[] {
  const bs: number[] = [];
  for (let b = 33; b <= 126; b++) bs.push(b);
  for (let b = 161; b <= 172; b++) bs.push(b);
  for (let b = 174; b <= 255; b++) bs.push(b);
  const cs = bs.slice();
  let n = 0;
  for (let b = 0; b < 256; b++) if (!bs.includes(b)) { bs.push(b); cs.push(256 + n++); }
  const inv = new Map<number, number>();
  cs.forEach((c, i) => inv.set(c, bs[i]!));
  return [...token].map((ch) => inv.get(ch.codePointAt(0)!) ?? -1);
}

/**
 * A temp model folder: the shipped (or ORIGIN_TEST_MODEL) ONNX files and tokenizer linked in, and its
 * manifest with `patch` merged over it (a key set to null is removed). The caller removes the folder.
 */
export function modelVariant(patch: Record<string, unknown>, prefix = 'code-origin-variant-'): string {
  const dir = tempDir(prefix);
  for (const f of fs.readdirSync(MODEL_DIR)) {
    if (f === 'manifest.json' || !(f.endsWith('.onnx') || f === 'tokenizer.json')) continue;
    fs.symlinkSync(path.join(MODEL_DIR, f), path.join(dir, f));
  }
  const manifest = JSON.parse(fs.readFileSync(path.join(MODEL_DIR, 'manifest.json'), 'utf8')) as Record<string, unknown>;
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete manifest[k];
    else manifest[k] = v;
  }
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest, null, 1));
  return dir;
}

/** A verdict block as the trainer writes it (issue 19), with thresholds and languages to taste. */
export function verdictBlock(o: { llm: number; human: number; languages?: string[]; calibration?: { x: number[]; y: number[] } }): Record<string, unknown> {
  return {
    llm_threshold: o.llm,
    human_threshold: o.human,
    calibration: { method: 'isotonic', ...(o.calibration ?? { x: [0, 0.5, 1], y: [0.02, 0.4, 0.97] }) },
    evaluated_languages: o.languages ?? ['java', 'python', 'cpp'],
    per_language: {
      java: { fpr: 0.009, tpr: 0.61, n_human: 1234, n_llm: 987 },
      python: { fpr: 0.004, tpr: 0.5, n_human: 800, n_llm: 700 },
    },
    fpr: 0.009,
    tpr: 0.55,
    source: 'leave-one-source-out predictions',
  };
}
