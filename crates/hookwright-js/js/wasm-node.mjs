// The verifier wasm for Node (import). It imports nothing, so instantiating it is all the glue.
import { readFileSync } from 'node:fs';

export default new WebAssembly.Instance(new WebAssembly.Module(readFileSync(new URL('./hookwright_bg.wasm', import.meta.url))), {}).exports;
