// @ts-check
/**
 * Phase 2 of a public-key verify by phase 1's ticket, for the keys artifact that has
 * `pk_verify_finish` (`jwt_wasm_keys_fast.wasm`: the Node and workerd entries install it into
 * ring.js's `phase2`; the browsers' artifact has not, and no browser bundle carries this file).
 * pk_verify_begin parked the decoded header and payload under the ticket, so the token is not
 * read again; a ticket that gives nothing (`PK_TICKET_GONE`: more than 64 verifications in
 * flight on one core) falls back to `pk_verify_end`, which reads the token again.
 */
import { OP_PK_VERIFY_FINISH, PK_TICKET_GONE } from '../internal/protocol-keys.js'
import { call, engine as live, keys as engine } from '../wasm.js'
import { phase2 } from './ring.js'

const stateless = phase2.end

/** Installs the ticket path into ring.js. */
export function useTickets() {
  phase2.ticket = (core, memory) => ({ n: core.num(4), memory })
  phase2.end = (core, token, i, a, now, ticket) => {
    // A fresh instance (after a trap) starts its table anew, so a ticket of the old one could
    // name what a later begin parked there, another token's (its claims under this verdict: a
    // forgery accepted): a ticket goes only to the instance that gave it (its memory), and the
    // token is read again otherwise (tests/js/keys/trap.test.mjs).
    const status =
      ticket && ticket.n > 0 && ticket.memory === live(engine).memory
        ? call(core, OP_PK_VERIFY_FINISH, a, ticket.n, i, now, 0)
        : PK_TICKET_GONE
    return status === PK_TICKET_GONE ? stateless(core, token, i, a, now, ticket) : status
  }
}
