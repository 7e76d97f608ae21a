//! A small strict DER reader for the few types an X.509 certificate's public key needs
//! (X.690 §10): one-byte tags, definite lengths in their shortest form, contents within the
//! input, and positive minimal INTEGERs. Not BER: an indefinite or padded length, a high tag
//! number, a negative or padded integer are refused. No arithmetic, no allocation.

/// DER tags used here.
pub(crate) mod tag {
    pub const INTEGER: u8 = 0x02;
    pub const BIT_STRING: u8 = 0x03;
    pub const NULL: u8 = 0x05;
    pub const OID: u8 = 0x06;
    pub const SEQUENCE: u8 = 0x30;
    /// `[0]` EXPLICIT, constructed (a certificate's version).
    pub const CONTEXT_0: u8 = 0xa0;
}

/// A cursor over DER bytes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Der<'a> {
    rest: &'a [u8],
}

/// The input is not strict DER of the expected shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DerError;

impl<'a> Der<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Self { rest: bytes }
    }

    /// Whether everything was read.
    pub(crate) fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    /// The tag of the next element, if any.
    pub(crate) fn peek(&self) -> Option<u8> {
        self.rest.first().copied()
    }

    /// The next element: its tag and contents.
    pub(crate) fn any(&mut self) -> Result<(u8, &'a [u8]), DerError> {
        let (&t, after) = self.rest.split_first().ok_or(DerError)?;
        // The high-tag-number form (low five bits all ones) is not used by these types.
        if t & 0x1f == 0x1f {
            return Err(DerError);
        }
        let (&first, after) = after.split_first().ok_or(DerError)?;
        let (len, after) = if first < 0x80 {
            (usize::from(first), after)
        } else {
            // Long form: 1 to 4 length bytes, the shortest (no leading zero; not below 128).
            let n = usize::from(first & 0x7f);
            if n == 0 || n > 4 {
                return Err(DerError);
            }
            let (bytes, after) = after.split_at_checked(n).ok_or(DerError)?;
            if bytes.first() == Some(&0) {
                return Err(DerError);
            }
            let len = bytes.iter().fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
            if len < 0x80 {
                return Err(DerError);
            }
            (len, after)
        };
        let (contents, rest) = after.split_at_checked(len).ok_or(DerError)?;
        self.rest = rest;
        Ok((t, contents))
    }

    /// The next element, which must have tag `t`: its contents.
    pub(crate) fn expect(&mut self, t: u8) -> Result<&'a [u8], DerError> {
        match self.any()? {
            (got, contents) if got == t => Ok(contents),
            _ => Err(DerError),
        }
    }

    /// A constructed element of tag `t`, as a cursor over its contents.
    pub(crate) fn nested(&mut self, t: u8) -> Result<Der<'a>, DerError> {
        self.expect(t).map(Der::new)
    }

    /// A positive INTEGER in minimal form, as its unsigned big-endian magnitude (no leading zero).
    pub(crate) fn positive_integer(&mut self) -> Result<&'a [u8], DerError> {
        let c = self.expect(tag::INTEGER)?;
        match c {
            [] => Err(DerError),
            [b, ..] if b & 0x80 != 0 => Err(DerError), // negative
            [0, next, ..] if next & 0x80 == 0 => Err(DerError), // padded
            [0, rest @ ..] if !rest.is_empty() => Ok(rest),
            [0] => Err(DerError), // zero is not positive
            _ => Ok(c),
        }
    }

    /// A BIT STRING without unused bits: its bytes.
    pub(crate) fn octet_bits(&mut self) -> Result<&'a [u8], DerError> {
        match self.expect(tag::BIT_STRING)?.split_first() {
            Some((0, bytes)) => Ok(bytes),
            _ => Err(DerError),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_are_definite_and_minimal() {
        assert_eq!(Der::new(&[0x04, 0x01, 0xaa]).any(), Ok((0x04, &[0xaa][..])));
        let mut long = vec![0x04, 0x81, 0x80];
        long.extend([0; 0x80]);
        assert!(Der::new(&long).any().is_ok());
        for bad in [
            &[0x04, 0x80, 0x00, 0x00][..], // indefinite
            &[0x04, 0x81, 0x01, 0xaa],     // long form for a short length
            &[0x04, 0x82, 0x00, 0x81],     // a leading zero length byte
            &[0x04, 0x02, 0xaa],           // longer than the input
            &[0x1f, 0x01, 0x00],           // high tag number
            &[0x04, 0x85, 1, 0, 0, 0, 0],  // five length bytes
            &[0x04],
        ] {
            assert_eq!(Der::new(bad).any(), Err(DerError), "{bad:02x?}");
        }
    }

    #[test]
    fn integers_are_positive_and_minimal() {
        let int = |c: &[u8]| {
            Der::new(&[&[0x02, c.len() as u8][..], c].concat()).positive_integer().map(<[u8]>::to_vec)
        };
        assert_eq!(int(&[0x01, 0x00, 0x01]), Ok(vec![1, 0, 1]));
        assert_eq!(int(&[0x00, 0x80]), Ok(vec![0x80]));
        assert_eq!(int(&[0x80]), Err(DerError), "negative");
        assert_eq!(int(&[0x00, 0x01]), Err(DerError), "padded");
        assert_eq!(int(&[0x00]), Err(DerError), "zero");
        assert_eq!(int(&[]), Err(DerError), "empty");
    }

    #[test]
    fn bit_strings_have_no_unused_bits() {
        assert_eq!(Der::new(&[0x03, 0x02, 0x00, 0xaa]).octet_bits(), Ok(&[0xaa][..]));
        assert_eq!(Der::new(&[0x03, 0x02, 0x01, 0xaa]).octet_bits(), Err(DerError));
        assert_eq!(Der::new(&[0x03, 0x00]).octet_bits(), Err(DerError));
    }
}
