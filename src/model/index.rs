//! Typed indices: the conversions between a `u16` id and the `usize` positions that typed index
//! vectors (`TiVec<Id, _>`) work with, written once for every such id.

/// Implements `From<usize>` and `From<$id> for usize` for `$id`, a `u16` newtype index.
///
/// An index is born from a list position whose length validation bounds (`scenario::limits`:
/// at most 10 variants plus a shadow, at most 100 deployments, so a few hundred fleets), far
/// below `u16::MAX`. A position that does not fit is a bug, not an input, so the conversion
/// checks it instead of truncating.
macro_rules! u16_index {
    ($id:ident, $what:literal) => {
        impl From<usize> for $id {
            fn from(i: usize) -> Self {
                $id(u16::try_from(i).expect(concat!(
                    "a ",
                    $what,
                    " index fits in u16: scenario limits bound the count"
                )))
            }
        }

        impl From<$id> for usize {
            fn from(id: $id) -> usize {
                usize::from(id.0)
            }
        }
    };
}

pub(crate) use u16_index;
