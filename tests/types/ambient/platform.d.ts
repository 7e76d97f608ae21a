// The two imports of src/js that are not JS modules of the package: what the platform provides.

// entry-workerd.js: workerd (and bundlers configured for it, like miniflare's CompiledWasm rule)
// turn a `.wasm` import into the compiled module; the entry instantiates it synchronously.
declare module '*.wasm' {
  const module: WebAssembly.Module
  export default module
}

// entry-node.js: the one Node API the package uses. Declared here rather than taking @types/node,
// whose globals (Buffer, process, ...) would then type-check in code that also runs in browsers.
declare module 'node:fs' {
  export function readFileSync(path: URL): Uint8Array
}

// entry-node.js passes `node:crypto` to native-mac.js, which takes it untyped (the same
// module comes from process.getBuiltinModule on workerd).
declare module 'node:crypto' {
  export function createHmac(algorithm: string, key: unknown): unknown
  export function createSecretKey(key: Uint8Array): unknown
}
