//! The `keys` capability of the wasm boundary (src/wasm/keys.rs) in a real page of headless
//! Chromium, driven as the JS layer drives it: the policy by op 0, `pk_algorithms` (mask in b),
//! `pk_add_keys` with RFC 7515 A.3's key, finish, then `pk_verify_begin` (the signature bytes,
//! the key, the signing input's length) and `pk_verify_end` with each verdict, or
//! `pk_verify_finish` by begin's ticket (once; parked over after 64 in flight); a psychic
//! signature refused before any runtime; a refused key's letter. The signature itself is the
//! runtime's (tests/js/core/keys-boundary.test.mjs runs WebCrypto in Node).
//!
//! Run with `make test-wasm` (default features hold `keys`, beside `hmac`: op 0 feeds both policies).
#![cfg(feature = "keys")]
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic, missing_docs)]

use jwt_wasm::protocol::{cap, jwk_problem, PK_ALGS, PK_TICKET_GONE};
use jwt_wasm::{caps, Core};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

mod boundary;
use boundary::*;

const JWK: &str = r#"{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}"#;
const TOKEN: &str = "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q";

fn es256_bit() -> i32 {
    1 << PK_ALGS.iter().position(|a| a.name == "ES256").unwrap()
}

fn verifier() -> Core {
    let mut core = Core::new(0, 0.0, no_max_age(), MAX_TOKEN_BYTES, 0);
    let lens = put(&mut core, &[b"exp"]);
    assert_eq!(core.call(op::OPTION, opt::REQUIRED_CLAIMS, 0, lens[0], 0.0, 0.0), 0);
    assert_eq!(core.call(op::PK_ALGORITHMS, 0, es256_bit(), 0, 0.0, 0.0), 0, "{}", out(&core));
    let lens = put(&mut core, &[JWK.as_bytes()]);
    assert_eq!(core.call(op::PK_ADD_KEYS, 0, 0, lens[0], 0.0, 0.0), 0, "{}", out(&core));
    assert_eq!(out(&core), format!("6{SEP_CHAR}{SEP_CHAR}{JWK}"));
    assert_eq!(core.call(op::FINISH, 0, 0, 0, 0.0, 0.0), 0, "{}", out(&core));
    core
}

#[wasm_bindgen_test]
fn the_artifact_says_it_has_keys() {
    assert_ne!(caps() & cap::KEYS, 0);
}

#[wasm_bindgen_test]
fn rfc7515_a3_goes_through_begin_and_end() {
    let mut core = verifier();
    let lens = put(&mut core, &[TOKEN.as_bytes()]);
    assert_eq!(core.call(op::PK_VERIFY_BEGIN, 0, 0, lens[0], RFC_NOW, 0.0), 0, "{}", out(&core));
    assert_eq!(core.out_len(), 64, "r||s");
    assert_eq!((core.num(0), core.num(1)), (0.0, f64::from(js_u32(TOKEN.rfind('.').unwrap()))));
    let lens = put(&mut core, &[TOKEN.as_bytes()]);
    assert_eq!(core.call(op::PK_VERIFY_END, 1, 0, lens[0], RFC_NOW, 0.0), 0, "{}", out(&core));
    assert!(out(&core).contains("\"iss\":\"joe\""));
    let lens = put(&mut core, &[TOKEN.as_bytes()]);
    assert_eq!(core.call(op::PK_VERIFY_END, 0, 0, lens[0], RFC_NOW, 0.0), err::SIGNATURE_INVALID.number);
    let lens = put(&mut core, &[TOKEN.as_bytes()]);
    assert_eq!(core.call(op::PK_VERIFY_END, 1, 1, lens[0], RFC_NOW, 0.0), err::INVALID_OPTIONS.number);
}

#[wasm_bindgen_test]
fn rfc7515_a3_finishes_by_its_ticket_once_and_the_verdict_comes_first() {
    let mut core = verifier();
    let begin = |core: &mut Core, now: f64| {
        let lens = put(core, &[TOKEN.as_bytes()]);
        assert_eq!(core.call(op::PK_VERIFY_BEGIN, 0, 0, lens[0], now, 0.0), 0, "{}", out(core));
        #[allow(clippy::cast_possible_truncation)] // a ticket is a positive i32
        let ticket = core.num(4) as i32;
        assert!(ticket > 0);
        ticket
    };
    let ticket = begin(&mut core, RFC_NOW);
    assert_eq!(core.call(op::PK_VERIFY_FINISH, 1, ticket, 0, RFC_NOW, 0.0), 0, "{}", out(&core));
    assert!(out(&core).contains("\"iss\":\"joe\""));
    assert_eq!(core.call(op::PK_VERIFY_FINISH, 1, ticket, 0, RFC_NOW, 0.0), PK_TICKET_GONE, "taken");
    // Expired at `late`: a refusal stays a refusal; verified, the claims then say expired.
    let late = 1_300_819_381.0;
    let t = begin(&mut core, late);
    assert_eq!(core.call(op::PK_VERIFY_FINISH, 0, t, 0, late, 0.0), err::SIGNATURE_INVALID.number);
    let t = begin(&mut core, late);
    assert_eq!(core.call(op::PK_VERIFY_FINISH, 1, t, 0, late, 0.0), err::EXPIRED.number);
    let t = begin(&mut core, RFC_NOW);
    assert_eq!(
        core.call(op::PK_VERIFY_FINISH, 1, t, 1, RFC_NOW, 0.0),
        err::INVALID_OPTIONS.number,
        "another key"
    );
    let first = begin(&mut core, RFC_NOW);
    let rest: Vec<i32> = (0..64).map(|_| begin(&mut core, RFC_NOW)).collect();
    assert_eq!(core.call(op::PK_VERIFY_FINISH, 1, first, 0, RFC_NOW, 0.0), PK_TICKET_GONE, "parked over");
    for t in rest {
        assert_eq!(core.call(op::PK_VERIFY_FINISH, 1, t, 0, RFC_NOW, 0.0), 0);
    }
}

#[wasm_bindgen_test]
fn a_psychic_signature_and_a_private_key_are_refused() {
    let mut core = verifier();
    let zero = "A".repeat(86); // 64 zero bytes: r = s = 0
    let forged = format!("{}.{zero}", &TOKEN[..TOKEN.rfind('.').unwrap()]);
    let lens = put(&mut core, &[forged.as_bytes()]);
    assert_eq!(core.call(op::PK_VERIFY_BEGIN, 0, 0, lens[0], RFC_NOW, 0.0), err::SIGNATURE_INVALID.number);
    let mut fresh = Core::new(0, 0.0, no_max_age(), MAX_TOKEN_BYTES, 0);
    assert_eq!(fresh.call(op::PK_ALGORITHMS, 0, es256_bit(), 0, 0.0, 0.0), 0);
    let private = JWK.replace("}", r#","d":"jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"}"#);
    let lens = put(&mut fresh, &[private.as_bytes()]);
    assert_eq!(fresh.call(op::PK_ADD_KEYS, 0, 0, lens[0], 0.0, 0.0), err::JWK_INVALID.number);
    assert_eq!(out(&fresh).as_bytes()[0], jwk_problem::PRIVATE.letter);
}
