// @ts-check
/**
 * The one rule tying the browser session's retries to the edge's grace window, shared by both so
 * that their defaults agree by construction. After a rotation the edge answers the immediate
 * predecessor with the same successor for `graceSeconds`; after that, presenting it is reuse and
 * revokes the family. A session whose answer was lost retries with that predecessor, so every
 * such retry must reach the edge inside the window:
 *
 *     session refreshDeadline + TRANSIT_MARGIN <= edge graceSeconds
 *
 * `refreshDeadline` bounds when a round's last retry is sent, counted from the attempt that went
 * unanswered; `TRANSIT_MARGIN` covers that request's way to the edge and the edge's
 * whole-second clock.
 */

/** authRoutes' default `graceSeconds`. */
export const GRACE_SECONDS = 30
/** Seconds kept between the session's last send and the end of the edge's window. */
export const TRANSIT_MARGIN = 5
/** createSession's default `refreshDeadline`: 25 s. */
export const REFRESH_DEADLINE = GRACE_SECONDS - TRANSIT_MARGIN
