// The language server's entry point. The same bundle is loaded by the worker threads that parse files
// (core/workerPool.ts): there only the tasks are registered, and no LSP connection is started (it
// would fail without stdio, and the pool would fall back to the main thread).
import '../similarity/workers';
import '../judge/local/fileWork';
import { isPoolWorker } from '../core/workerPool';

// eslint-disable-next-line @typescript-eslint/no-require-imports
if (!isPoolWorker()) require('./server');
