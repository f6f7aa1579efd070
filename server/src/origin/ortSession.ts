// onnxruntime, loaded on first use (the native binding costs time that other commands should not pay;
// ortBackend.ts picks native or WASM), and a thin session wrapper that builds tensors by input name and
// checks the graph's inputs and outputs.
import path from 'node:path';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { ModelFolderError } from './manifest';
import { loadOrt, type Ort, type OrtBackend } from './ortBackend';

export interface SessionOptions {
  /** onnxruntime intra-op threads; 0 or undefined lets onnxruntime choose (one per core). */
  threads?: number;
  /** Force a backend (tests, benchmarks); default: CODE_ORIGIN_ORT_BACKEND, else native with WASM fallback. */
  backend?: OrtBackend;
}

/** Integer inputs are int64 by contract; a graph that declares int32 gets int32. */
type IntKind = 'int64' | 'int32';

export class OrtSession {
  private constructor(
    private readonly ort: Ort,
    private readonly session: InferenceSession,
    readonly file: string,
    private readonly intKinds: Map<string, IntKind>,
    readonly backend: OrtBackend,
  ) {}

  static async create(file: string, required: { inputs: string[]; outputs: string[] }, opts: SessionOptions = {}): Promise<OrtSession> {
    const { ort, backend } = await loadOrt(opts.backend);
    let session: InferenceSession;
    try {
      const common = { graphOptimizationLevel: 'all', logSeverityLevel: 3 } as const; // errors only: warnings would end up in the CLI's stderr
      if (backend === 'wasm') {
        // WASM threads are set process-wide, before the first session.
        if (opts.threads) ort.env.wasm.numThreads = opts.threads;
        session = await ort.InferenceSession.create(file, { ...common, executionProviders: ['wasm'] });
      } else {
        session = await ort.InferenceSession.create(file, {
          ...common,
          executionProviders: ['cpu'],
          // Idle worker threads sleep instead of spinning: the editor (and anything else on the machine) keeps its CPU.
          extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
          ...(opts.threads ? { intraOpNumThreads: opts.threads } : {}),
        });
      }
    } catch (e) {
      const msg = String((e as Error).message ?? e).split('\n')[0];
      throw new ModelFolderError(`model folder ${path.dirname(file)}: ${path.basename(file)} cannot be loaded by onnxruntime (${msg})`);
    }
    const missingIn = required.inputs.filter((n) => !session.inputNames.includes(n));
    const missingOut = required.outputs.filter((n) => !session.outputNames.includes(n));
    if (missingIn.length || missingOut.length) {
      await session.release();
      throw new ModelFolderError(
        `model folder ${path.dirname(file)}: ${path.basename(file)} does not meet the contract: ` +
          `inputs [${session.inputNames.join(', ')}], outputs [${session.outputNames.join(', ')}]; ` +
          `missing ${[...missingIn.map((n) => `input ${n}`), ...missingOut.map((n) => `output ${n}`)].join(', ')}`,
      );
    }
    const intKinds = new Map<string, IntKind>();
    for (const m of session.inputMetadata ?? []) {
      if (m.isTensor && m.type === 'int32') intKinds.set(m.name, 'int32');
    }
    return new OrtSession(ort, session, file, intKinds, backend);
  }

  get inputNames(): readonly string[] {
    return this.session.inputNames;
  }

  get outputNames(): readonly string[] {
    return this.session.outputNames;
  }

  /** An integer tensor for input `name` (int64 unless the graph declares int32). */
  ints(name: string, values: ArrayLike<number>, dims: number[]): Tensor {
    if (this.intKinds.get(name) === 'int32') return new this.ort.Tensor('int32', Int32Array.from(values), dims);
    const data = new BigInt64Array(values.length);
    for (let i = 0; i < values.length; i++) data[i] = BigInt(values[i]!);
    return new this.ort.Tensor('int64', data, dims);
  }

  floats(values: Float32Array, dims: number[]): Tensor {
    return new this.ort.Tensor('float32', values, dims);
  }

  /** Runs the graph and returns the named float outputs with their dims. */
  async run(feeds: Record<string, Tensor>, outputs: string[]): Promise<Map<string, { data: Float32Array; dims: readonly number[] }>> {
    const res = await this.session.run(feeds);
    const out = new Map<string, { data: Float32Array; dims: readonly number[] }>();
    for (const name of outputs) {
      const t = res[name];
      if (!t) throw new Error(`${path.basename(this.file)} returned no output "${name}"`);
      if (!(t.data instanceof Float32Array)) throw new Error(`${path.basename(this.file)} output "${name}" is ${t.type}, expected float32`);
      out.set(name, { data: t.data, dims: t.dims });
    }
    return out;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
