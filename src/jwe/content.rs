//! Content encryption (RFC 7518 §5): AES-GCM (§5.3, RustCrypto `aes-gcm`) and
//! AES-CBC-HMAC-SHA2 (§5.2: `cbc` with PKCS#7 over `aes`, HMAC from `hmac`/`sha2`). For
//! CBC-HMAC the tag is checked in constant time before any decryption, and every failure
//! (tag, ciphertext length, padding) is the one `None`: no padding or tag oracle.

use aes::{Aes128, Aes256};
use aes_gcm::aead::inout::InOutBuf;
use aes_gcm::aead::{Nonce, Tag};
use aes_gcm::{AeadInOut, Aes128Gcm, Aes256Gcm, KeyInit};
use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::{BlockModeDecrypt, BlockModeEncrypt, KeyIvInit};
use hmac::{Hmac, Mac};
use sha2::{Sha256, Sha512};

use super::alg::ContentEncryption;
#[allow(unused_imports)]
use crate::prelude::*;

/// Ciphertext and tag. The lengths of `cek` and `iv` were checked by the caller; a wrong one
/// gives `None`.
pub fn encrypt(
    enc: ContentEncryption,
    cek: &[u8],
    iv: &[u8],
    aad: &[u8],
    plaintext: &[u8],
) -> Option<(Vec<u8>, Vec<u8>)> {
    match enc {
        ContentEncryption::A128Gcm => gcm_encrypt(&Aes128Gcm::new_from_slice(cek).ok()?, iv, aad, plaintext),
        ContentEncryption::A256Gcm => gcm_encrypt(&Aes256Gcm::new_from_slice(cek).ok()?, iv, aad, plaintext),
        ContentEncryption::A128CbcHs256 => {
            let (mac_key, enc_key) = cek.split_at_checked(16)?;
            let c = cbc_encrypt::<Aes128>(enc_key, iv, plaintext)?;
            let tag = cbc_tag::<Hmac<Sha256>>(mac_key, aad, iv, &c)?;
            Some((c, tag.get(..16)?.to_vec()))
        }
        ContentEncryption::A256CbcHs512 => {
            let (mac_key, enc_key) = cek.split_at_checked(32)?;
            let c = cbc_encrypt::<Aes256>(enc_key, iv, plaintext)?;
            let tag = cbc_tag::<Hmac<Sha512>>(mac_key, aad, iv, &c)?;
            Some((c, tag.get(..32)?.to_vec()))
        }
    }
}

/// The plaintext, or `None` for every kind of failure.
pub fn decrypt(
    enc: ContentEncryption,
    cek: &[u8],
    iv: &[u8],
    aad: &[u8],
    ciphertext: &[u8],
    tag: &[u8],
) -> Option<Vec<u8>> {
    match enc {
        ContentEncryption::A128Gcm => {
            gcm_decrypt(&Aes128Gcm::new_from_slice(cek).ok()?, iv, aad, ciphertext, tag)
        }
        ContentEncryption::A256Gcm => {
            gcm_decrypt(&Aes256Gcm::new_from_slice(cek).ok()?, iv, aad, ciphertext, tag)
        }
        ContentEncryption::A128CbcHs256 => {
            cbc_decrypt::<Aes128>(unseal_key(enc, cek, iv, aad, ciphertext, tag)?, iv, ciphertext)
        }
        ContentEncryption::A256CbcHs512 => {
            cbc_decrypt::<Aes256>(unseal_key(enc, cek, iv, aad, ciphertext, tag)?, iv, ciphertext)
        }
    }
}

/// For a content decryption done elsewhere (`jwe_decrypt_begin`): AES-GCM's tag is the
/// decrypting runtime's to check, so `Some(cek)`; CBC-HMAC's tag is checked here, in constant
/// time, before anything is decrypted: `Some` of the AES half of the CEK when it matches, else
/// `None` (one failure, as for [`decrypt`]).
#[inline(never)]
pub fn unseal_key<'k>(
    enc: ContentEncryption,
    cek: &'k [u8],
    iv: &[u8],
    aad: &[u8],
    ciphertext: &[u8],
    tag: &[u8],
) -> Option<&'k [u8]> {
    match enc {
        ContentEncryption::A128Gcm | ContentEncryption::A256Gcm => Some(cek),
        ContentEncryption::A128CbcHs256 => {
            let (mac_key, enc_key) = cek.split_at_checked(16)?;
            cbc_check::<Hmac<Sha256>>(mac_key, aad, iv, ciphertext, tag)?;
            Some(enc_key)
        }
        ContentEncryption::A256CbcHs512 => {
            let (mac_key, enc_key) = cek.split_at_checked(32)?;
            cbc_check::<Hmac<Sha512>>(mac_key, aad, iv, ciphertext, tag)?;
            Some(enc_key)
        }
    }
}

fn gcm_encrypt<A: AeadInOut>(
    aead: &A,
    iv: &[u8],
    aad: &[u8],
    plaintext: &[u8],
) -> Option<(Vec<u8>, Vec<u8>)> {
    let nonce = Nonce::<A>::try_from(iv).ok()?;
    let mut buf = plaintext.to_vec();
    let tag = aead.encrypt_inout_detached(&nonce, aad, InOutBuf::from(buf.as_mut_slice())).ok()?;
    Some((buf, tag.to_vec()))
}

fn gcm_decrypt<A: AeadInOut>(
    aead: &A,
    iv: &[u8],
    aad: &[u8],
    ciphertext: &[u8],
    tag: &[u8],
) -> Option<Vec<u8>> {
    let nonce = Nonce::<A>::try_from(iv).ok()?;
    let tag = Tag::<A>::try_from(tag).ok()?;
    let mut buf = ciphertext.to_vec();
    aead.decrypt_inout_detached(&nonce, aad, InOutBuf::from(buf.as_mut_slice()), &tag).ok()?;
    Some(buf)
}

/// HMAC over AAD ‖ IV ‖ ciphertext ‖ AL (the AAD length in bits, 64-bit big-endian), RFC 7518
/// §5.2.2.1 step 5, keyed with `mac_key`.
fn cbc_mac<M: Mac + KeyInit>(mac_key: &[u8], aad: &[u8], iv: &[u8], ciphertext: &[u8]) -> Option<M> {
    let mut mac = <M as KeyInit>::new_from_slice(mac_key).ok()?;
    let bits = u64::try_from(aad.len()).ok()?.checked_mul(8)?;
    for part in [aad, iv, ciphertext, &bits.to_be_bytes()] {
        mac.update(part);
    }
    Some(mac)
}

fn cbc_tag<M: Mac + KeyInit>(mac_key: &[u8], aad: &[u8], iv: &[u8], ciphertext: &[u8]) -> Option<Vec<u8>> {
    Some(cbc_mac::<M>(mac_key, aad, iv, ciphertext)?.finalize().into_bytes().to_vec())
}

/// The tag (the left half of the MAC; its exact length was checked) compared in constant time.
fn cbc_check<M: Mac + KeyInit>(
    mac_key: &[u8],
    aad: &[u8],
    iv: &[u8],
    ciphertext: &[u8],
    tag: &[u8],
) -> Option<()> {
    cbc_mac::<M>(mac_key, aad, iv, ciphertext)?.verify_truncated_left(tag).ok()
}

fn cbc_encrypt<C>(key: &[u8], iv: &[u8], plaintext: &[u8]) -> Option<Vec<u8>>
where
    C: cbc::cipher::BlockCipherEncrypt + KeyInit,
    cbc::Encryptor<C>: KeyIvInit + BlockModeEncrypt,
{
    let padded = (plaintext.len() / 16).checked_add(1)?.checked_mul(16)?;
    let mut buf = vec![0u8; padded];
    buf.get_mut(..plaintext.len())?.copy_from_slice(plaintext);
    let e = cbc::Encryptor::<C>::new_from_slices(key, iv).ok()?;
    let n = e.encrypt_padded::<Pkcs7>(&mut buf, plaintext.len()).ok()?.len();
    buf.truncate(n);
    Some(buf)
}

fn cbc_decrypt<C>(key: &[u8], iv: &[u8], ciphertext: &[u8]) -> Option<Vec<u8>>
where
    C: cbc::cipher::BlockCipherDecrypt + KeyInit,
    cbc::Decryptor<C>: KeyIvInit + BlockModeDecrypt,
{
    let mut buf = ciphertext.to_vec();
    let d = cbc::Decryptor::<C>::new_from_slices(key, iv).ok()?;
    let n = d.decrypt_padded::<Pkcs7>(&mut buf).ok()?.len();
    buf.truncate(n);
    Some(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// With the MAC key (what a padding oracle would need a forger not to have), a tag made over
    /// a ciphertext with broken padding, or not whole blocks, passes the tag check, and the
    /// decryption still fails as `None`: the one failure of every other cause.
    #[test]
    fn bad_padding_under_a_good_tag_is_the_same_failure() {
        for (enc, split) in [(ContentEncryption::A128CbcHs256, 16), (ContentEncryption::A256CbcHs512, 32)] {
            let cek: Vec<u8> = (0..u8::try_from(enc.desc().cek_bytes).unwrap()).collect();
            let (iv, aad) = ([7u8; 16], b"eyJhbGciOiJkaXIifQ");
            let (ct, tag) = encrypt(enc, &cek, &iv, aad, b"sixteen bytes!!!").unwrap();
            assert_eq!(decrypt(enc, &cek, &iv, aad, &ct, &tag).unwrap(), b"sixteen bytes!!!");
            let mac_key = &cek[..split];
            let retag = |ct: &[u8]| -> Vec<u8> {
                let full = if split == 16 {
                    cbc_tag::<Hmac<Sha256>>(mac_key, aad, &iv, ct)
                } else {
                    cbc_tag::<Hmac<Sha512>>(mac_key, aad, &iv, ct)
                };
                full.unwrap()[..split].to_vec()
            };
            let mut bad_padding = ct.clone();
            let n = bad_padding.len();
            bad_padding[n - 17] ^= 0x01; // the last plaintext byte (a padding byte) changes
            assert_eq!(decrypt(enc, &cek, &iv, aad, &bad_padding, &retag(&bad_padding)), None);
            let partial = &ct[..ct.len() - 1];
            assert_eq!(decrypt(enc, &cek, &iv, aad, partial, &retag(partial)), None);
            assert_eq!(decrypt(enc, &cek, &iv, aad, &[], &retag(&[])), None, "no block at all");
            let mut flipped = tag.clone();
            flipped[0] ^= 1;
            assert_eq!(decrypt(enc, &cek, &iv, aad, &ct, &flipped), None);
        }
    }
}
