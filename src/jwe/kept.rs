//! (`jwe-ticket`, the Node and workerd artifact) Steps 2 to 4 of the last decrypt, kept for the
//! next: the protected segment's bytes, the decrypter (its number) that read them, the header it
//! read and the key it chose (an index into the ring). Those steps are a function of the segment
//! and the decrypter alone (`Decrypter::head`), so a token with the very same protected segment
//! on the same decrypter (the tokens of one issuer share it) takes them again without decoding
//! and parsing the header; any other segment is read in full, and a failure is never kept. The
//! boundary holds the one `Kept` of its `Core` (src/wasm/jwe/ticket.rs). Tests below.

use super::compact;
use super::decrypt::{Decrypted, Decrypter, Sealed};
use crate::error::Result;
#[allow(unused_imports)]
use crate::prelude::*;
use alloc::rc::Rc;

/// What steps 2 to 4 gave for one protected segment on one decrypter. The header is shared
/// (`Rc`) with the decrypts that took it, parked until their finish: never copied.
#[derive(Debug, Clone)]
pub(crate) struct Kept {
    decrypter: u32,
    protected: Vec<u8>,
    done: Rc<Decrypted>,
    key: usize,
}

impl Decrypter {
    /// [`Decrypter::begin`], steps 2 to 4 taken from `kept` when this token's protected segment
    /// is the very one this decrypter read last; otherwise read, and kept when they succeed.
    pub(crate) fn begin_kept<'t>(
        &self,
        token: &'t [u8],
        kept: &mut Option<Kept>,
    ) -> Result<(Rc<Decrypted>, Sealed<'t>)> {
        let parts = compact::split(token, self.limits)?;
        let hit = kept.as_ref().filter(|k| k.decrypter == self.id && k.protected == parts.protected);
        let (done, key) = match hit.and_then(|k| Some((Rc::clone(&k.done), self.ring.keys().get(k.key)?))) {
            Some(taken) => taken,
            None => {
                *kept = None;
                let (done, key) = self.head(parts.protected)?;
                let done = Rc::new(done);
                if let Some(index) = self.ring.keys().iter().position(|k| core::ptr::eq(k, key)) {
                    let protected = parts.protected.to_vec();
                    *kept = Some(Kept { decrypter: self.id, protected, done: Rc::clone(&done), key: index });
                }
                (done, key)
            }
        };
        let (done, s) = self.sealed(&parts, done, key, true)?;
        Self::unsealed(done, s)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::error::Error;
    use crate::jwe::{
        ContentEncryption as E, EncSet, Encrypter, JweKey, JweKeyRing, KeyManagement as A, KeyManagementSet,
    };
    use crate::segments::Limits;

    fn key(kid: &str, alg: A, fill: u8) -> JweKey {
        let (enc, len) = if alg == A::Dir { (Some(E::A256Gcm), 32) } else { (None, 16) };
        JweKey::new(Some(kid), alg, enc, &vec![fill; len]).unwrap()
    }

    fn decrypter(keys: Vec<JweKey>, algs: &[A]) -> Decrypter {
        let (ring, algs) = (JweKeyRing::new(keys).unwrap(), KeyManagementSet::new(algs).unwrap());
        Decrypter::new(ring, algs, EncSet::new(&[E::A256Gcm, E::A128Gcm]).unwrap(), Limits::from(4096))
            .unwrap()
    }

    fn seal(k: JweKey, enc: E, n: u8) -> String {
        let cek = if k.alg() == A::Dir { vec![] } else { vec![n; enc.desc().cek_bytes] };
        Encrypter::new(k, enc).unwrap().encrypt(b"{}", None, &cek, &[n; 12]).unwrap()
    }

    /// `begin_kept` gives exactly what `begin` gives (or the same error), in every step.
    fn same(d: &Decrypter, token: &str, kept: &mut Option<Kept>) -> bool {
        let (a, b) = (d.begin(token.as_bytes()), d.begin_kept(token.as_bytes(), kept));
        assert_eq!(a.as_ref().err().map(Error::code), b.as_ref().err().map(Error::code));
        assert_eq!(a.ok(), b.ok().map(|(done, s)| (Decrypted::clone(&done), s)));
        let protected = token.split('.').next().unwrap().as_bytes();
        kept.as_ref().is_some_and(|k| k.decrypter == d.id && k.protected == protected)
    }

    #[test]
    fn a_kept_header_gives_what_reading_it_again_gives_and_only_for_its_own_decrypter() {
        let d = decrypter(vec![key("a", A::Dir, 1), key("w", A::A128Kw, 2)], &[A::Dir, A::A128Kw]);
        let twin = decrypter(vec![key("a", A::Dir, 1), key("w", A::A128Kw, 2)], &[A::Dir, A::A128Kw]);
        let other_keys = decrypter(vec![key("a", A::Dir, 9)], &[A::Dir]);
        let dir = |n| seal(key("a", A::Dir, 1), E::A256Gcm, n);
        let kw = |n| seal(key("w", A::A128Kw, 2), E::A128Gcm, n);
        let mut kept = None;
        assert!(same(&d, &dir(1), &mut kept), "read, then kept");
        assert!(same(&d, &dir(2), &mut kept), "the same header, another token: taken");
        assert!(same(&d, &kw(3), &mut kept), "another header: read, kept instead");
        assert!(same(&d, &kw(4), &mut kept));
        let mut forged = kw(5).into_bytes();
        forged[3] ^= 1; // the protected header altered: read again and refused, nothing kept
        let forged = String::from_utf8(forged).unwrap();
        assert!(!same(&d, &forged, &mut kept), "a refused header is never kept");
        assert!(same(&d, &dir(6), &mut kept));
        // Another decrypter meets the kept header of `d`: it reads the header itself.
        assert!(same(&other_keys, &dir(7), &mut kept), "kept anew for its own number");
        assert!(other_keys.begin_kept(dir(8).as_bytes(), &mut kept).is_ok());
        assert_ne!(twin.id, d.id, "every new decrypter has its own number, the same keys or not");
        let copy = d.clone();
        assert_eq!(copy.id, d.id, "a clone: the same keys and allowlists");
    }

    #[test]
    fn a_kept_header_never_lets_a_decrypter_take_a_key_or_algorithm_it_does_not_allow() {
        let dir_only = decrypter(vec![key("a", A::Dir, 1)], &[A::Dir]);
        let both = decrypter(vec![key("a", A::Dir, 1), key("w", A::A128Kw, 2)], &[A::Dir, A::A128Kw]);
        let kw = seal(key("w", A::A128Kw, 2), E::A128Gcm, 1);
        let mut kept = None;
        assert!(both.begin_kept(kw.as_bytes(), &mut kept).is_ok());
        assert!(kept.is_some());
        let refused = dir_only.begin_kept(kw.as_bytes(), &mut kept).unwrap_err();
        assert_eq!(refused.code(), dir_only.begin(kw.as_bytes()).unwrap_err().code());
        assert!(kept.is_none(), "refused: nothing kept");
    }
}
