//! AES Key Wrap of the CEK (RFC 3394, RFC 7518 §4.4: A128KW, A256KW), RustCrypto's `aes-kw`.

use aes_kw::{KeyInit, KwAes128, KwAes256};

use super::alg::KeyManagement;
#[allow(unused_imports)]
use crate::prelude::*;

/// The shortest CEK wrapped or unwrapped: two semiblocks (RFC 3394 §2: n ≥ 2; every JWE CEK
/// is 16 bytes or more), so an "empty" or 8-byte key is never accepted.
const MIN_CEK: usize = 16;

/// The wrapped CEK (8 bytes longer), or `None` (a key or CEK of a length KW cannot take; the
/// callers checked both, so never in practice).
pub fn wrap(alg: KeyManagement, kek: &[u8], cek: &[u8]) -> Option<Vec<u8>> {
    if cek.len() < MIN_CEK {
        return None;
    }
    let mut out = vec![0u8; cek.len().checked_add(aes_kw::IV_LEN)?];
    let done = match alg {
        KeyManagement::A128Kw => KwAes128::new_from_slice(kek).ok()?.wrap_key(cek, &mut out).is_ok(),
        KeyManagement::A256Kw => KwAes256::new_from_slice(kek).ok()?.wrap_key(cek, &mut out).is_ok(),
        KeyManagement::Dir => false,
    };
    done.then_some(out)
}

/// Unwraps into `cek` (its length is the enc's CEK length): false when the wrapped key is not
/// exactly 8 bytes longer, or its integrity check fails. `cek` is then all zeros; the caller
/// still runs the content decryption over it and refuses at the end (one path for every cause).
pub fn unwrap(alg: KeyManagement, kek: &[u8], wrapped: &[u8], cek: &mut [u8]) -> bool {
    let ok = cek.len() >= MIN_CEK
        && wrapped.len() == cek.len().saturating_add(aes_kw::IV_LEN)
        && match alg {
            KeyManagement::A128Kw => {
                KwAes128::new_from_slice(kek).is_ok_and(|k| k.unwrap_key(wrapped, cek).is_ok())
            }
            KeyManagement::A256Kw => {
                KwAes256::new_from_slice(kek).is_ok_and(|k| k.unwrap_key(wrapped, cek).is_ok())
            }
            KeyManagement::Dir => false,
        };
    if !ok {
        cek.fill(0);
    }
    ok
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
    }

    /// RFC 3394 §4.1 and §4.6 (128-bit and 256-bit KEK, 128-bit and 256-bit key data).
    #[test]
    fn rfc_3394_vectors() {
        let data = hex("00112233445566778899AABBCCDDEEFF");
        let kek = hex("000102030405060708090A0B0C0D0E0F");
        let wrapped = hex("1FA68B0A8112B447AEF34BD8FB5A7B829D3E862371D2CFE5");
        assert_eq!(wrap(KeyManagement::A128Kw, &kek, &data).unwrap(), wrapped);
        let mut cek = [0u8; 16];
        assert!(unwrap(KeyManagement::A128Kw, &kek, &wrapped, &mut cek));
        assert_eq!(cek.to_vec(), data);
        let kek = hex("000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F");
        let data = hex("00112233445566778899AABBCCDDEEFF000102030405060708090A0B0C0D0E0F");
        let wrapped = hex("28C9F404C4B810F4CBCCB35CFB87F8263F5786E2D80ED326CBC7F0E71A99F43BFB988B9B7A02DD21");
        assert_eq!(wrap(KeyManagement::A256Kw, &kek, &data).unwrap(), wrapped);
        let mut cek = [0u8; 32];
        assert!(unwrap(KeyManagement::A256Kw, &kek, &wrapped, &mut cek));
        assert_eq!(cek.to_vec(), data);
        let mut flipped = wrapped.clone();
        flipped[3] ^= 1;
        assert!(!unwrap(KeyManagement::A256Kw, &kek, &flipped, &mut cek));
        assert_eq!(cek, [0; 32], "a failed unwrap leaves no key bytes");
        assert!(!unwrap(KeyManagement::A256Kw, &kek, &wrapped[..32], &mut cek), "wrong length");
    }
}
