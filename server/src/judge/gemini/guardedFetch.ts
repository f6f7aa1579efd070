// The fetch the Gemini SDK is given: the request carries the API key (x-goog-api-key) and the code, so
// it never follows a redirect to another origin (fetch would forward both), and a reply is read with
// a byte limit (a verdict is a few hundred bytes; an endpoint must not make us buffer hundreds of MB).

/** Most bytes read from one reply, error replies included, counted after decompression. */
export const MAX_REPLY_BYTES = 1024 * 1024;
/** Same-origin 307/308 hops followed per request. */
const MAX_REDIRECTS = 3;

/** A failure that retrying cannot fix: the judge gives up on the pair at once. */
export class RefusedReplyError extends Error {}

type FetchFn = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

export function guardedFetch(maxBytes = MAX_REPLY_BYTES, base: FetchFn = fetch): FetchFn {
  return async (input, init) => {
    // The SDK passes a URL string and a RequestInit whose body is a string, so a 307/308 can resend it.
    let url = new URL(typeof input === 'object' && 'url' in input ? input.url : String(input));
    for (let hop = 0; ; hop++) {
      const res = await base(url, { ...init, redirect: 'manual' });
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location !== null) {
        await res.body?.cancel().catch(() => undefined);
        let target: URL;
        try {
          target = new URL(location, url);
        } catch {
          throw new RefusedReplyError(`the Gemini endpoint answered HTTP ${res.status} with an invalid redirect; not followed`);
        }
        if (target.origin !== url.origin) {
          throw new RefusedReplyError(`the Gemini endpoint redirected (HTTP ${res.status}) to another origin (${target.origin}); ` +
            'not followed, so neither the API key nor the code left the configured endpoint');
        }
        if (res.status !== 307 && res.status !== 308) {
          throw new RefusedReplyError(`the Gemini endpoint answered HTTP ${res.status} (a redirect that drops the request); not followed`);
        }
        if (hop >= MAX_REDIRECTS) throw new RefusedReplyError(`the Gemini endpoint redirected more than ${MAX_REDIRECTS} times; not followed`);
        url = target;
        continue;
      }
      return limitBody(res, maxBytes);
    }
  };
}

function tooLarge(maxBytes: number): RefusedReplyError {
  return new RefusedReplyError(`the Gemini reply exceeds ${maxBytes} bytes; not read further`);
}

async function limitBody(res: Response, maxBytes: number): Promise<Response> {
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    throw tooLarge(maxBytes);
  }
  if (!res.body) return res;
  let seen = 0;
  const limit = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      seen += chunk.byteLength;
      // Erroring the stream cancels the source: the connection is dropped, not drained.
      if (seen > maxBytes) controller.error(tooLarge(maxBytes));
      else controller.enqueue(chunk);
    },
  });
  return new Response(res.body.pipeThrough(limit), { status: res.status, statusText: res.statusText, headers: res.headers });
}
