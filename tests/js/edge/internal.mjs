// The package's internal modules (not in its exports map) for the unit tests of tests/js/edge:
// imported by path from the installed copy, so they are the very module instances that
// `jwt-wasm/edge` uses (tests/js/run.sh copies this tree beside the project's node_modules).
export const internal = (path) => import(new URL(`../node_modules/jwt-wasm/${path}`, import.meta.url).href)
