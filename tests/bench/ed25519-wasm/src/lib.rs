//! The bench's Ed25519 verify in wasm (ed25519-dalek's `verify_strict`, synchronous), timed by
//! `make bench` beside WebCrypto's Ed25519: one fixed buffer that JS fills with the public key
//! (32 bytes), the signature (64) and the message, then `verify(len)` gives 1 (valid), 0
//! (invalid) or a negative number (a length or an encoding refused). Not part of jwt-wasm.
#![no_std]

use ed25519_dalek::{Signature, VerifyingKey};

/// The buffer's size: key, signature and a message of up to 4,000 bytes.
const BUF: usize = 4096;
static mut INPUT: [u8; BUF] = [0; BUF];

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}

/// Where JS writes the key, the signature and the message.
#[no_mangle]
pub extern "C" fn input() -> *mut u8 {
    core::ptr::addr_of_mut!(INPUT).cast()
}

/// Verifies the signature over the first `len` message bytes.
#[no_mangle]
pub extern "C" fn verify(len: usize) -> i32 {
    // SAFETY: wasm is single-threaded and JS writes the buffer only between calls.
    let input: &[u8; BUF] = unsafe { &*core::ptr::addr_of!(INPUT) };
    let (Some(key), Some(sig), Some(msg)) = (input.get(..32), input.get(32..96), input.get(96..96 + len))
    else {
        return -1;
    };
    let Ok(key) = <[u8; 32]>::try_from(key) else { return -1 };
    let Ok(key) = VerifyingKey::from_bytes(&key) else { return -2 };
    let Ok(sig) = Signature::from_slice(sig) else { return -3 };
    i32::from(key.verify_strict(msg, &sig).is_ok())
}
