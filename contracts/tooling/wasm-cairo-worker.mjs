// Runs one wasm-cairo call in its own worker thread. WebAssembly memory only grows (a test run
// of this crate takes >1 GB), so each call gets a fresh instance that dies with the worker and
// memory does not pile up across compiles and test runs.
import { parentPort, workerData } from 'node:worker_threads';
import * as wasmCairo from 'wasm-cairo';

const { module, fn, args } = workerData;
wasmCairo.initSync({ module });
let result;
try {
  result = { ok: true, value: wasmCairo[fn](...args) };
} catch (error) {
  result = { ok: false, value: String(error && error.stack ? error.stack : error) };
}
parentPort.postMessage(result);
