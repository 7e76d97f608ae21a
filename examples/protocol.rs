//! Renders the wasm wire protocol (src/protocol.rs) into the files generated from it:
//! `src/js/internal/protocol.js`, which the JS layer imports, `src/js/internal/protocol-jwe.js`
//! (the jwe capability's part, apart so that no other entry changes), and
//! `tests/vectors/protocol.json`, the description the tests read.
//!
//!     cargo run --example protocol             # rewrite both files
//!     cargo run --example protocol -- --check  # exit 1 if a file on disk differs (`make lint`)
//!
//! So a protocol number changed in Rust but not regenerated, or edited in the generated JS,
//! fails `make lint` (and `make test`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

use jwt_wasm::protocol::{
    self, cap, err, jwe_refusal, jwk_problem, key_problem, op, opt, reason, slot, warn,
};
use serde_json::json;

const GENERATED: &str = "Generated from src/protocol.rs by `cargo run --example protocol`.";
const DO_NOT_EDIT: &str = "Do not edit: `make lint` checks that this file is what the generator writes.";

fn main() -> ExitCode {
    let check = match std::env::args().nth(1).as_deref() {
        None => false,
        Some("--check") => true,
        Some(_) => {
            eprintln!("usage: cargo run --example protocol [-- --check]");
            return ExitCode::from(2);
        }
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut stale = false;
    let (js, jwe_js, keys_js) = render_js();
    for (path, text) in [
        ("src/js/internal/protocol.js", js),
        ("src/js/internal/protocol-jwe.js", jwe_js),
        ("src/js/internal/protocol-keys.js", keys_js),
        ("tests/vectors/protocol.json", render_json()),
    ] {
        let full = root.join(path);
        let on_disk = std::fs::read_to_string(&full).unwrap_or_default();
        if on_disk == text {
            continue;
        }
        if check {
            stale = true;
            let line = on_disk.lines().zip(text.lines()).position(|(a, b)| a != b);
            let line = line.unwrap_or_else(|| on_disk.lines().count().min(text.lines().count()));
            eprintln!(
                "{path} is not what src/protocol.rs generates (first difference at line {}):\n  on disk:   {}\n  generated: {}",
                line + 1,
                on_disk.lines().nth(line).unwrap_or("(end of file)"),
                text.lines().nth(line).unwrap_or("(end of file)"),
            );
        } else {
            std::fs::write(&full, text).unwrap_or_else(|e| panic!("cannot write {path}: {e}"));
            println!("wrote {path}");
        }
    }
    if stale {
        eprintln!("regenerate with `cargo run --example protocol` (and change protocol numbers only in src/protocol.rs)");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

/// `REQUIRED_CLAIMS` → `requiredClaims`.
fn camel(name: &str) -> String {
    let mut out = String::new();
    for (i, word) in name.split('_').enumerate() {
        let word = word.to_ascii_lowercase();
        if i == 0 {
            out.push_str(&word);
        } else {
            let mut chars = word.chars();
            out.extend(chars.next().map(|c| c.to_ascii_uppercase()));
            out.push_str(chars.as_str());
        }
    }
    out
}

/// A JS string literal in single quotes.
fn js_str(s: &str) -> String {
    let mut out = String::from("'");
    for c in s.chars() {
        match c {
            '\'' => out.push_str("\\'"),
            '\\' => out.push_str("\\\\"),
            '\0' => out.push_str("\\0"),
            c if c < ' ' => write!(out, "\\u{:04x}", u32::from(c)).unwrap(),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// The widest line the JS may have: Biome's `lineWidth` (biome.jsonc), so the formatter leaves
/// the file as it is written.
const WIDTH: usize = 120;

/// `export const NAME = [...]` with items that are `None` (written `undefined`) or literals: on
/// one line when it fits in [`WIDTH`], else one item per line, as the formatter writes it.
fn js_array(name: &str, items: &[Option<String>]) -> String {
    let items: Vec<String> = items.iter().map(|i| i.clone().unwrap_or_else(|| "undefined".into())).collect();
    let line = format!("export const {name} = [{}]", items.join(", "));
    if line.len() <= WIDTH {
        return line;
    }
    format!("export const {name} = [\n{}]", items.iter().map(|i| format!("  {i},\n")).collect::<String>())
}

/// `values` placed at their index, `None` in the gaps.
fn by_index(values: impl IntoIterator<Item = (usize, String)>) -> Vec<Option<String>> {
    let mut out: Vec<Option<String>> = Vec::new();
    for (i, v) in values {
        if out.len() <= i {
            out.resize(i + 1, None);
        }
        assert!(out[i].is_none(), "two protocol entries share the index {i}");
        out[i] = Some(v);
    }
    out
}

fn reason_value(digit: u8) -> usize {
    assert!(digit.is_ascii_digit(), "a reason digit is an ASCII digit");
    usize::from(digit - b'0')
}

fn letter_value(letter: u8) -> usize {
    assert!(letter.is_ascii_lowercase(), "a JWE refusal is a lower-case ASCII letter");
    usize::from(letter - b'a')
}

fn warning_position(bit: u32) -> usize {
    assert!(bit.is_power_of_two(), "a warning is one bit");
    bit.trailing_zeros() as usize
}

fn render_js() -> (String, String, String) {
    let mut s = String::new();
    let w = &mut s;
    // The jwe capability's constants go to a file of their own (internal/protocol-jwe.js), the
    // keys capability's to internal/protocol-keys.js.
    let mut j = String::new();
    let jw = &mut j;
    let mut k = String::new();
    let kw = &mut k;
    writeln!(w, "// {GENERATED}").unwrap();
    writeln!(w, "// {DO_NOT_EDIT}").unwrap();
    writeln!(w, "// @ts-check").unwrap();
    writeln!(w, "/**").unwrap();
    writeln!(
        w,
        " * The wasm wire protocol: the numbers and messages `Core` (src/wasm.rs) and the JS layer exchange."
    )
    .unwrap();
    writeln!(w, " * Internal: not part of the package's exports. Plain constants, so a bundle keeps only what it uses.").unwrap();
    writeln!(w, " */").unwrap();
    writeln!(w).unwrap();
    writeln!(w, "/** Operations of `Core.call(op, a, b, c, t, u)`. */").unwrap();
    for (name, n) in op::ALL {
        let to = if name.starts_with("JWE_") {
            &mut *jw
        } else if name.starts_with("PK_") {
            &mut *kw
        } else {
            &mut *w
        };
        writeln!(to, "export const OP_{name} = {n}").unwrap();
    }
    let kinds: Vec<String> = opt::ALL.iter().map(|(name, n)| format!("{}: {n}", camel(name))).collect();
    writeln!(w, "/** Option kinds of `OP_OPTION`, by option name. */").unwrap();
    writeln!(w, "export const OPT = {{ {} }}", kinds.join(", ")).unwrap();
    let algs = by_index(protocol::ALGORITHMS.iter().enumerate().map(|(i, a)| (i, js_str(a.name()))));
    writeln!(
        w,
        "/** Algorithms by index (the `a` of `OP_ADD_KEY` and `OP_SET_SIGNER`; bit i of the `Core` mask). */"
    )
    .unwrap();
    writeln!(w, "{}", js_array("ALGS", &algs)).unwrap();
    let min = by_index(protocol::ALGORITHMS.iter().enumerate().map(|(i, a)| (i, a.digest_len().to_string())));
    writeln!(w, "/** The shortest secret of each algorithm, by index: its hash output (RFC 7518 §3.2). */")
        .unwrap();
    writeln!(w, "{}", js_array("MIN_SECRET_BYTES", &min)).unwrap();
    writeln!(w, "/** A length or an age that is absent. */").unwrap();
    writeln!(w, "export const ABSENT = {}", protocol::ABSENT).unwrap();
    writeln!(w, "/** The character between the parts of an output. */").unwrap();
    writeln!(w, "export const SEP = {}", js_str(&char::from(protocol::SEP).to_string())).unwrap();
    writeln!(w, "/** Error numbers: the status of `Core.call` (0 is success). */").unwrap();
    for (name, e) in err::ALL {
        let to = if name.starts_with("JWE_") {
            &mut *jw
        } else if protocol::KEYS_ERRORS.contains(e) {
            &mut *kw
        } else {
            &mut *w
        };
        writeln!(to, "export const ERR_{name} = {}", e.number).unwrap();
    }
    let base = || {
        err::ALL
            .iter()
            .map(|(_, e)| e)
            .filter(|e| !protocol::JWE_ERRORS.contains(e) && !protocol::KEYS_ERRORS.contains(e))
    };
    let numbered = |f: fn(&protocol::ErrorDesc) -> &str| {
        let by = by_index(base().map(|e| (e.number as usize, js_str(f(e)))));
        by.into_iter().map(|v| v.or_else(|| Some("''".into()))).collect::<Vec<_>>()
    };
    writeln!(w, "/** Error codes by error number (the JWE ones: protocol-jwe.js). */").unwrap();
    writeln!(w, "{}", js_array("CODES", &numbered(|e| e.code))).unwrap();
    writeln!(w, "/** Default error messages by error number (the JWE ones: protocol-jwe.js). */").unwrap();
    writeln!(w, "{}", js_array("MESSAGES", &numbered(|e| e.message))).unwrap();
    let reasons = |name: &str, f: fn(&protocol::ReasonDesc) -> &str| {
        let named = reason::ALL.iter().filter(|(_, r)| !r.name.is_empty());
        js_array(name, &by_index(named.map(|(_, r)| (reason_value(r.digit), js_str(f(r))))))
    };
    writeln!(w, "/** Claim reasons by the digit that starts an error output. */").unwrap();
    writeln!(w, "{}", reasons("REASONS", |r| r.name)).unwrap();
    writeln!(w, "/** The end of a claim error's message, `\"<claim>\" claim <phrase>`, by reason digit. */")
        .unwrap();
    writeln!(w, "{}", reasons("CLAIM_PHRASES", |r| r.phrase)).unwrap();
    let problems = by_index(key_problem::ALL.iter().map(|(_, k)| (reason_value(k.digit), js_str(k.message))));
    writeln!(
        w,
        "/** Why a key was refused (`ERR_KEY_INVALID`), by the digit that starts its error output. */"
    )
    .unwrap();
    writeln!(w, "{}", js_array("KEY_MESSAGES", &problems)).unwrap();
    writeln!(w, "/** Slots of `Core.num(slot)` after `OP_INSPECT` (NaN when absent). */").unwrap();
    for (name, n) in slot::ALL {
        writeln!(w, "export const SLOT_{name} = {n}").unwrap();
    }
    writeln!(w, "/** Capability bits of an artifact's `caps()` (its Cargo features). */").unwrap();
    for (name, n) in cap::ALL {
        let to = match *name {
            "JWE" => &mut *jw,
            "KEYS" => &mut *kw,
            _ => &mut *w,
        };
        writeln!(to, "export const CAP_{name} = {n}").unwrap();
    }
    let names: Vec<String> = warn::ALL.iter().map(|(name, _)| js_str(&name.to_ascii_lowercase())).collect();
    let warnings = by_index(
        warn::ALL.iter().map(|(name, bit)| (warning_position(*bit), js_str(&name.to_ascii_lowercase()))),
    );
    writeln!(w, "/** Warning names by bit position in the `SLOT_WARNINGS` number. */").unwrap();
    writeln!(w, "/** @type {{readonly ({})[]}} */", names.join(" | ")).unwrap();
    writeln!(w, "{}", js_array("WARNINGS", &warnings)).unwrap();
    let jwe = |f: fn(&protocol::ErrorDesc) -> &str| -> String {
        let items: Vec<String> =
            protocol::JWE_ERRORS.iter().map(|e| format!("{}: {}", e.number, js_str(f(e)))).collect();
        format!("{{ {} }}", items.join(", "))
    };
    writeln!(
        jw,
        "/** The errors only the jwe artifact returns, apart so that no other entry carries them: by number. */"
    )
    .unwrap();
    writeln!(jw, "export const JWE_ERROR_CODES = {}", jwe(|e| e.code)).unwrap();
    writeln!(jw, "export const JWE_ERROR_MESSAGES = {}", jwe(|e| e.message)).unwrap();
    let refusals =
        by_index(jwe_refusal::ALL.iter().map(|(_, r)| (letter_value(r.letter), js_str(r.message))));
    writeln!(jw, "/** Why a JWE was refused, by the letter (a = 0) that starts its error output. */")
        .unwrap();
    writeln!(jw, "{}", js_array("JWE_MESSAGES", &refusals)).unwrap();
    let algs = |f: fn(&protocol::JweAlgDesc) -> String| -> Vec<Option<String>> {
        protocol::JWE_ALGS.iter().map(|a| Some(f(a))).collect()
    };
    writeln!(jw, "/** JWE key management by index (`OP_JWE_ADD_KEY`, `OP_JWE_ENCRYPTER`; bit i of `OP_JWE_DECRYPTER`'s a). */").unwrap();
    writeln!(jw, "{}", js_array("JWE_ALGS", &algs(|a| js_str(a.name)))).unwrap();
    writeln!(
        jw,
        "/** The key-encryption key's exact length by JWE_ALGS index (0: dir, the key is the CEK). */"
    )
    .unwrap();
    writeln!(jw, "{}", js_array("JWE_KEK_BYTES", &algs(|a| a.key_bytes.to_string()))).unwrap();
    let encs = |f: fn(&protocol::JweEncDesc) -> String| -> Vec<Option<String>> {
        protocol::JWE_ENCS.iter().map(|e| Some(f(e))).collect()
    };
    writeln!(
        jw,
        "/** JWE content encryption by index (the u of `OP_JWE_ADD_KEY`, `OP_JWE_ENCRYPTER`; bit i of b). */"
    )
    .unwrap();
    writeln!(jw, "{}", js_array("JWE_ENCS", &encs(|e| js_str(e.name)))).unwrap();
    writeln!(jw, "/** The CEK's exact length by JWE_ENCS index (also a dir key's). */").unwrap();
    writeln!(jw, "{}", js_array("JWE_CEK_BYTES", &encs(|e| e.cek_bytes.to_string()))).unwrap();
    writeln!(jw, "/** The IV's exact length by JWE_ENCS index. */").unwrap();
    writeln!(jw, "{}", js_array("JWE_IV_BYTES", &encs(|e| e.iv_bytes.to_string()))).unwrap();
    writeln!(
        jw,
        "/** What `OP_JWE_DECRYPT_FINISH` returns for a ticket that gives nothing (not an error). */"
    )
    .unwrap();
    writeln!(jw, "export const JWE_TICKET_GONE = {}", protocol::JWE_TICKET_GONE).unwrap();
    let mut jwe_file = String::new();
    let f = &mut jwe_file;
    writeln!(f, "// {GENERATED}").unwrap();
    writeln!(f, "// {DO_NOT_EDIT}").unwrap();
    writeln!(f, "// @ts-check").unwrap();
    writeln!(f, "/**").unwrap();
    writeln!(
        f,
        " * The wasm wire protocol of the jwe capability (the jwt_wasm_jwe artifact): its ops, errors,"
    )
    .unwrap();
    writeln!(
        f,
        " * refusals and tables. A file apart from protocol.js, so that no entry without JWE changes by a"
    )
    .unwrap();
    writeln!(f, " * byte (not even its minifier's names). Internal: not part of the package's exports.")
        .unwrap();
    writeln!(f, " */").unwrap();
    writeln!(f).unwrap();
    f.push_str(&j);
    let keys_file = render_keys(&k);
    for text in [&s, &jwe_file, &keys_file] {
        if let Some(long) = text.lines().find(|l| l.chars().count() > WIDTH) {
            panic!("a generated line is longer than {WIDTH} characters: {long}");
        }
    }
    (s, jwe_file, keys_file)
}

fn upper_letter_value(letter: u8) -> usize {
    assert!(letter.is_ascii_uppercase(), "a JWK problem is an upper-case ASCII letter");
    usize::from(letter - b'A')
}

/// internal/protocol-keys.js: the keys capability's ops, errors and cap (already in `head`), then
/// its errors' codes and messages, the JWK problems and the PK_ALGS table.
fn render_keys(head: &str) -> String {
    let mut f = String::new();
    let w = &mut f;
    writeln!(w, "// {GENERATED}").unwrap();
    writeln!(w, "// {DO_NOT_EDIT}").unwrap();
    writeln!(w, "// @ts-check").unwrap();
    writeln!(w, "/**").unwrap();
    writeln!(
        w,
        " * The wasm wire protocol of the keys capability (the jwt_wasm_keys artifact): its ops, errors,"
    )
    .unwrap();
    writeln!(
        w,
        " * JWK problems and the PK_ALGS table. A file apart from protocol.js, so that no entry without"
    )
    .unwrap();
    writeln!(w, " * public keys changes by a byte. Internal: not part of the package's exports.").unwrap();
    writeln!(w, " */").unwrap();
    writeln!(w).unwrap();
    w.push_str(head);
    let errors = |f: fn(&protocol::ErrorDesc) -> &str| -> String {
        let items: Vec<String> =
            protocol::KEYS_ERRORS.iter().map(|e| format!("{}: {}", e.number, js_str(f(e)))).collect();
        format!("{{ {} }}", items.join(", "))
    };
    writeln!(w, "/** The errors only the keys artifact returns, apart so that no other entry carries them: by number. */")
        .unwrap();
    writeln!(w, "export const KEYS_ERROR_CODES = {}", errors(|e| e.code)).unwrap();
    writeln!(w, "export const KEYS_ERROR_MESSAGES = {}", errors(|e| e.message)).unwrap();
    writeln!(w, "/** The status of `OP_PK_VERIFY_FINISH` whose ticket gives nothing (no error): then `OP_PK_VERIFY_END`. */")
        .unwrap();
    writeln!(w, "export const PK_TICKET_GONE = {}", protocol::PK_TICKET_GONE).unwrap();
    let problems =
        by_index(jwk_problem::ALL.iter().map(|(_, p)| (upper_letter_value(p.letter), js_str(p.message))));
    writeln!(w, "/** Why a JWK was refused (`ERR_JWK_INVALID`), by the letter (A = 0) that starts its error output. */")
        .unwrap();
    writeln!(w, "{}", js_array("JWK_MESSAGES", &problems)).unwrap();
    let names =
        by_index(jwk_problem::ALL.iter().map(|(_, p)| (upper_letter_value(p.letter), js_str(p.name))));
    writeln!(w, "/** The JWK problems' stable names, by letter (A = 0). */").unwrap();
    writeln!(w, "{}", js_array("JWK_PROBLEMS", &names)).unwrap();
    let algs = |f: fn(&protocol::PkAlgDesc) -> String| -> Vec<Option<String>> {
        protocol::PK_ALGS.iter().map(|a| Some(f(a))).collect()
    };
    writeln!(w, "/** Public-key algorithms by index (bit i of `OP_PK_ALGORITHMS`'s a; the index `OP_PK_ADD_KEYS` outputs). */")
        .unwrap();
    writeln!(w, "{}", js_array("PK_ALGS", &algs(|a| js_str(a.name)))).unwrap();
    writeln!(w, "/** The JWK kty of each PK_ALGS index. */").unwrap();
    writeln!(w, "{}", js_array("PK_KTY", &algs(|a| js_str(a.kty)))).unwrap();
    writeln!(w, "/** The WebCrypto algorithm name of each PK_ALGS index. */").unwrap();
    writeln!(w, "{}", js_array("PK_SCHEME", &algs(|a| js_str(a.scheme)))).unwrap();
    writeln!(w, "/** The WebCrypto hash of each PK_ALGS index ('': none, Ed25519). */").unwrap();
    writeln!(w, "{}", js_array("PK_HASH", &algs(|a| js_str(a.hash)))).unwrap();
    writeln!(w, "/** The WebCrypto named curve of each PK_ALGS index ('': RSA). */").unwrap();
    writeln!(w, "{}", js_array("PK_CRV", &algs(|a| js_str(a.crv)))).unwrap();
    writeln!(w, "/** RSA-PSS's saltLength of each PK_ALGS index (0: not PSS). */").unwrap();
    writeln!(w, "{}", js_array("PK_SALT", &algs(|a| a.salt.to_string()))).unwrap();
    writeln!(w, "/** The signature's exact length of each PK_ALGS index (0: the RSA modulus length). */")
        .unwrap();
    writeln!(w, "{}", js_array("PK_SIG_BYTES", &algs(|a| a.sig_bytes.to_string()))).unwrap();
    f
}

fn render_json() -> String {
    let ops: Vec<_> = op::ALL
        .iter()
        .map(|(name, n)| {
            let layout = protocol::OPS.iter().find(|l| l.op == *n).unwrap_or_else(|| panic!("OPS has no row for {name}"));
            json!({ "name": name.to_ascii_lowercase(), "op": n, "args": layout.args, "input": layout.input, "output": layout.output })
        })
        .collect();
    assert_eq!(protocol::OPS.len(), op::ALL.len(), "OPS has a row for every op, and only those");
    let doc = json!({
        "description": format!("The wasm wire protocol of jwt-wasm. {GENERATED} {DO_NOT_EDIT}"),
        "exchange": protocol::EXCHANGE,
        "separator": protocol::SEP,
        "absent": protocol::ABSENT,
        "pk_ticket_gone": protocol::PK_TICKET_GONE,
        "ops": ops,
        "options": opt::ALL.iter().map(|(name, n)| json!({ "name": camel(name), "kind": n })).collect::<Vec<_>>(),
        "algorithms": protocol::ALGORITHMS.iter().enumerate().map(|(i, a)| json!({ "name": a.name(), "index": i })).collect::<Vec<_>>(),
        "errors": err::ALL.iter().map(|(_, e)| json!({ "number": e.number, "code": e.code, "message": e.message })).collect::<Vec<_>>(),
        "error_output": protocol::ERROR_OUTPUT,
        "max_age_message": protocol::MAX_AGE_MESSAGE,
        "reasons": reason::ALL.iter().map(|(_, r)| json!({
            "digit": char::from(r.digit).to_string(), "name": r.name, "message": r.message, "phrase": r.phrase,
        })).collect::<Vec<_>>(),
        "key_problems": key_problem::ALL.iter().map(|(_, k)| json!({
            "digit": char::from(k.digit).to_string(), "name": k.name, "message": k.message,
        })).collect::<Vec<_>>(),
        "jwe_refusals": jwe_refusal::ALL.iter().map(|(_, r)| json!({
            "letter": char::from(r.letter).to_string(), "number": r.error.number, "name": r.name, "message": r.message,
        })).collect::<Vec<_>>(),
        "jwk_problems": jwk_problem::ALL.iter().map(|(_, p)| json!({
            "letter": char::from(p.letter).to_string(), "name": p.name, "message": p.message,
        })).collect::<Vec<_>>(),
        "pk_algorithms": protocol::PK_ALGS.iter().enumerate().map(|(i, a)| json!({
            "name": a.name, "index": i, "kty": a.kty, "crv": a.crv, "scheme": a.scheme, "hash": a.hash,
            "salt": a.salt, "sig_bytes": a.sig_bytes,
        })).collect::<Vec<_>>(),
        "jwe_algorithms": protocol::JWE_ALGS.iter().enumerate().map(|(i, a)| json!({
            "name": a.name, "index": i, "key_bytes": a.key_bytes,
        })).collect::<Vec<_>>(),
        "jwe_ticket_gone": protocol::JWE_TICKET_GONE,
        "jwe_encryptions": protocol::JWE_ENCS.iter().enumerate().map(|(i, e)| json!({
            "name": e.name, "index": i, "cek_bytes": e.cek_bytes, "iv_bytes": e.iv_bytes, "tag_bytes": e.tag_bytes,
        })).collect::<Vec<_>>(),
        "slots": slot::ALL.iter().map(|(name, n)| json!({ "name": name.to_ascii_lowercase(), "slot": n })).collect::<Vec<_>>(),
        "warnings": warn::ALL.iter().map(|(name, bit)| json!({ "name": name.to_ascii_lowercase(), "bit": bit })).collect::<Vec<_>>(),
        "capabilities": cap::ALL.iter().map(|(name, bit)| json!({ "name": name.to_ascii_lowercase(), "bit": bit })).collect::<Vec<_>>(),
    });
    let mut text = serde_json::to_string_pretty(&doc).unwrap();
    text.push('\n');
    text
}
