// The verifier wasm anywhere else: it imports nothing, so instantiating it is all the glue.

/**
 * The exports of the verifier wasm, instantiated synchronously.
 * @param {BufferSource | WebAssembly.Module} module its bytes, or the compiled module
 */
export function instantiate(module) {
  return new WebAssembly.Instance(module instanceof WebAssembly.Module ? module : new WebAssembly.Module(module), {}).exports;
}
