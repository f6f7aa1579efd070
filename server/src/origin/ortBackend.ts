// Which onnxruntime runs the origin model: the native binding (onnxruntime-node) where it loads, else
// onnxruntime-web's WASM build (CPU, several times slower) in the same thread, with a one-line notice.
// The WASM files ship inside the package (node_modules/onnxruntime-web/dist); nothing is downloaded.
// CODE_ORIGIN_ORT_BACKEND=native|wasm forces one (tests, benchmarks, a native build that misbehaves).
import type * as OrtModule from 'onnxruntime-node';

export type Ort = typeof OrtModule;
export type OrtBackend = 'native' | 'wasm';

export interface OrtRuntime {
  ort: Ort;
  backend: OrtBackend;
  /** Set when the native binding was wanted but could not load: one line for a log or a window message. */
  notice?: string;
}

export interface OrtLoaders {
  native: () => Promise<Ort>;
  wasm: () => Promise<Ort>;
}

// Both stay outside the bundles: the native one for its .node binary, the web one for its .wasm beside it.
// onnxruntime-web by require(): its CommonJS Node build (dist/ort.node.min.js) is the file the packages ship.
export const defaultLoaders: OrtLoaders = {
  native: () => import('onnxruntime-node'),
  wasm: async () => require('onnxruntime-web') as Ort,
};

/** The wanted backend from CODE_ORIGIN_ORT_BACKEND: 'native', 'wasm' or (default) 'auto'. */
export function wantedBackend(env: NodeJS.ProcessEnv = process.env): OrtBackend | 'auto' {
  const v = (env.CODE_ORIGIN_ORT_BACKEND ?? '').trim().toLowerCase();
  return v === 'native' || v === 'wasm' ? v : 'auto';
}

/** Loads the wanted backend; 'auto' falls back from native to WASM. A forced backend never falls back. */
export async function chooseOrt(want: OrtBackend | 'auto', loaders: OrtLoaders = defaultLoaders): Promise<OrtRuntime> {
  if (want === 'wasm') return { ort: await loaders.wasm(), backend: 'wasm' };
  if (want === 'native') return { ort: await loaders.native(), backend: 'native' };
  try {
    return { ort: await loaders.native(), backend: 'native' };
  } catch (e) {
    const why = String((e as Error)?.message ?? e).split('\n')[0]!.slice(0, 200);
    const ort = await loaders.wasm();
    return {
      ort,
      backend: 'wasm',
      notice: `native onnxruntime unavailable on ${process.platform}-${process.arch} (${why}); the origin model runs on onnxruntime-web (WASM, CPU, slower)`,
    };
  }
}

const runtimes = new Map<string, Promise<OrtRuntime>>();

/** The runtime (default: as CODE_ORIGIN_ORT_BACKEND says), loaded on first use; a notice goes once to stderr. */
export function loadOrt(want: OrtBackend | 'auto' = wantedBackend()): Promise<OrtRuntime> {
  let r = runtimes.get(want);
  if (!r) {
    r = chooseOrt(want).then((rt) => {
      if (rt.notice) console.error(`Code Origin: ${rt.notice}`);
      return rt;
    });
    runtimes.set(want, r);
  }
  return r;
}
