// @ts-check
/**
 * The browsers' way to obtain a wasm artifact, shared by their entries (`entry-browser.js`,
 * `entry-claims-browser.js`, which each name their own file so bundlers see the URL): streaming
 * compilation (synchronous compilation of large modules is refused on the main thread), falling
 * back to the bytes when the server does not say `application/wasm`. Never throws: a failure is
 * kept by the engine and reported when it is used.
 */

/**
 * @param {import('../wasm.js').Engine} engine
 * @param {() => Promise<Response>} fetching
 */
export async function loadStreaming(engine, fetching) {
  try {
    const response = fetching()
    let module
    try {
      module = await WebAssembly.compileStreaming(response)
    } catch {
      module = await WebAssembly.compile(await (await response).arrayBuffer())
    }
    engine.load(module)
  } catch (e) {
    engine.loadFailed(e)
  }
}
