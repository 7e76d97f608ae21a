//! Work parked between the two halves of an operation that the runtime finishes asynchronously
//! (the public-key verify around WebCrypto's signature check, the JWE decrypt around its content
//! decryption): a fixed table of [`Pending::SLOTS`] slots, each value named by a ticket that
//! holds its slot and a generation. `take` gives a value back once, and only for the ticket it
//! was parked under: a ticket taken, or whose slot was parked over since (more than `SLOTS`
//! operations in flight on one core), gives nothing, and the caller then falls back to its
//! stateless second half (the token read again). Tickets are positive `i32`s, the type of the
//! boundary's `b` argument. No input can make it panic.

#[allow(unused_imports)]
use crate::prelude::*;

/// A slot: the generation of its last `park`, and its value until taken.
#[derive(Debug)]
struct Slot<T> {
    generation: u32,
    value: Option<T>,
}

/// The table of parked values (see the module's comment).
#[derive(Debug)]
pub struct Pending<T> {
    slots: Vec<Slot<T>>,
    /// The slot the next `park` takes (round robin: the oldest parked value goes first).
    next: usize,
}

/// Bits of a ticket that name the slot; the generation sits above them.
const SLOT_BITS: u32 = 6;
/// The generations a slot counts through before it wraps (a ticket stays below 2^31).
const GENERATIONS: u32 = 1 << (31 - SLOT_BITS);

impl<T> Default for Pending<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> Pending<T> {
    /// How many values can be in flight at once before the oldest is dropped.
    pub const SLOTS: usize = 1 << SLOT_BITS;

    /// An empty table (its slots are made at their first use).
    #[must_use]
    pub fn new() -> Self {
        Self { slots: Vec::new(), next: 0 }
    }

    /// Parks `value` and returns its ticket, with the value it displaced (taken by nobody in
    /// time, or never), whose allocations the caller may reuse.
    pub fn park(&mut self, value: T) -> (i32, Option<T>) {
        let at = self.next;
        self.next = (at + 1) % Self::SLOTS;
        let slot = match self.slots.get_mut(at) {
            Some(slot) => slot,
            None => {
                self.slots.push(Slot { generation: 0, value: None });
                match self.slots.last_mut() {
                    Some(slot) => slot,
                    None => return (0, Some(value)), // unreachable: just pushed
                }
            }
        };
        // 1 to GENERATIONS - 1: a ticket is never 0, and a new slot (0) matches none.
        slot.generation = slot.generation % (GENERATIONS - 1) + 1;
        let displaced = slot.value.replace(value);
        let ticket = (slot.generation << SLOT_BITS) | u32::try_from(at).unwrap_or(0);
        (i32::try_from(ticket).unwrap_or(0), displaced)
    }

    /// The value parked under `ticket`, once; `None` for a ticket never given, already taken, or
    /// whose slot was parked over since.
    pub fn take(&mut self, ticket: i32) -> Option<T> {
        let ticket = u32::try_from(ticket).ok()?;
        let at = usize::try_from(ticket & ((1 << SLOT_BITS) - 1)).ok()?;
        let slot = self.slots.get_mut(at)?;
        if slot.generation != ticket >> SLOT_BITS {
            return None;
        }
        slot.value.take()
    }
}

#[cfg(test)]
mod tests {
    use super::{Pending, GENERATIONS, SLOT_BITS};

    #[test]
    fn a_value_comes_back_once_and_only_for_its_ticket() {
        let mut p = Pending::new();
        let (a, none) = p.park("a");
        assert!(none.is_none());
        let (b, _) = p.park("b");
        assert!(a > 0 && b > 0 && a != b);
        assert_eq!(p.take(b), Some("b"));
        assert_eq!(p.take(b), None, "taken twice");
        assert_eq!(p.take(a), Some("a"));
        for forged in [0, -1, i32::MAX, a ^ 1, a + (1 << 6)] {
            assert_eq!(p.take(forged), None, "ticket {forged}");
        }
    }

    #[test]
    fn a_slot_parked_over_gives_nothing_for_the_old_ticket() {
        let mut p = Pending::new();
        let (first, _) = p.park(0usize);
        let mut last = first;
        for i in 1..Pending::<usize>::SLOTS {
            last = p.park(i).0;
        }
        // The table is full; the next park displaces the oldest, whose ticket then fails.
        let (newer, displaced) = p.park(99);
        assert_eq!(displaced, Some(0));
        assert_eq!(p.take(first), None);
        assert_eq!(p.take(newer), Some(99));
        assert_eq!(p.take(last), Some(Pending::<usize>::SLOTS - 1));
    }

    #[test]
    fn generations_wrap_to_positive_tickets_and_old_ones_still_fail() {
        let mut p = Pending::new();
        let (old, _) = p.park(1u32);
        assert_eq!(p.take(old), Some(1));
        p.slots[0].generation = GENERATIONS - 2;
        p.next = 0;
        let (last, _) = p.park(2);
        assert_eq!(last >> SLOT_BITS, (GENERATIONS - 1) as i32);
        assert_eq!(p.take(last), Some(2));
        p.next = 0;
        let (wrapped, _) = p.park(3);
        assert_eq!(wrapped, 1 << SLOT_BITS, "wraps to generation 1, slot 0");
        assert_eq!(p.take(last), None);
        assert_eq!(p.take(old), Some(3), "generation 1 again: the wrap is 2^25 parks of one slot away");
    }
}
