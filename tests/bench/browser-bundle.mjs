// How a browser bundle is measured, the one rule for `make size` (tests/size.mjs) and `make bench`
// (tests/bench/size.mjs): esbuild's options for an ES module bundled for the browser, minified and
// tree-shaken (through the packages' "sideEffects"), kept in memory.
export const BROWSER_BUNDLE = Object.freeze({
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  write: false,
  logLevel: 'silent',
})
