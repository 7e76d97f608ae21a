// @ts-check
/**
 * Versions of key-set bodies: one counter per isolate, so no two bodies of any two key sets share
 * a version (a verifier keeping one parsed key ring per version can never mix two sets).
 */
let last = 0

/** The next version number. */
export const nextVersion = () => ++last
