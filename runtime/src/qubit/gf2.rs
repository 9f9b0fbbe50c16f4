//! Linear algebra over GF(2) on bit-packed rows of up to 128 columns: reduced row echelon form,
//! inverses and kernels, for encodings (occupation ↔ qubit basis changes) and Z2 symmetries
//! (kernels of check matrices).

/// Brings `rows` (bit c of a row is column c, columns `0..n_cols`) to reduced row echelon form
/// in place, removing zero rows, and returns the pivot column of each remaining row.
/// Failure contract: `n_cols` > 128 is a programming error and panics.
pub(crate) fn reduce(rows: &mut Vec<u128>, n_cols: u32) -> Vec<u32> {
    assert!(n_cols <= 128, "{n_cols} columns do not fit 128 bits");
    let mut pivots = Vec::new();
    let mut rank = 0;
    for col in 0..n_cols {
        let bit = 1u128 << col;
        let Some(found) = (rank..rows.len()).find(|&r| rows[r] & bit != 0) else { continue };
        rows.swap(rank, found);
        let pivot_row = rows[rank];
        for (r, row) in rows.iter_mut().enumerate() {
            if r != rank && *row & bit != 0 {
                *row ^= pivot_row;
            }
        }
        pivots.push(col);
        rank += 1;
    }
    rows.truncate(rank);
    pivots
}

/// The inverse of the n×n matrix whose row i is `rows[i]` (bit j = column j), as rows, or None
/// when it is singular. Failure contract: n > 64 panics (programming error).
pub(crate) fn invert(rows: &[u64]) -> Option<Vec<u64>> {
    let n = rows.len();
    assert!(n <= 64, "{n}×{n} matrix too large");
    // Augment [A | I] in one 128-bit row and reduce: [I | A⁻¹].
    let mut augmented: Vec<u128> = rows.iter().enumerate().map(|(i, &r)| u128::from(r) | (1u128 << (64 + i))).collect();
    let pivots = reduce(&mut augmented, 128);
    if pivots.len() < n || pivots[..n].iter().enumerate().any(|(i, &p)| p as usize != i) {
        return None;
    }
    Some(augmented.iter().map(|&r| (r >> 64) as u64).collect())
}

/// A basis of the kernel {v : row · v = 0 (mod 2) for every row} on `n_cols` columns.
/// Failure contract: `n_cols` > 128 panics (programming error).
pub(crate) fn kernel(rows: &[u128], n_cols: u32) -> Vec<u128> {
    let mut reduced = rows.to_vec();
    let pivots = reduce(&mut reduced, n_cols);
    let mut is_pivot = 0u128;
    for &p in &pivots {
        is_pivot |= 1u128 << p;
    }
    (0..n_cols)
        .filter(|&f| is_pivot & (1u128 << f) == 0)
        .map(|free| {
            // Set the free column; each pivot column takes the value that zeroes its row.
            let mut v = 1u128 << free;
            for (row, &p) in reduced.iter().zip(&pivots) {
                if row & (1u128 << free) != 0 {
                    v |= 1u128 << p;
                }
            }
            v
        })
        .collect()
}

/// The parity of the set bits of `v`, as 0 or 1.
pub(crate) fn parity(v: u64) -> u64 {
    u64::from(v.count_ones() % 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inverse_of_the_parity_matrix_is_the_difference_matrix() {
        // Lower triangular ones (b_i = n_0 + … + n_i): inverse has n_i = b_i + b_{i−1}.
        let rows: Vec<u64> = (0..5).map(|i| (2u64 << i) - 1).collect();
        let inv = invert(&rows).expect("invertible");
        assert_eq!(inv, vec![0b1, 0b11, 0b110, 0b1100, 0b11000]);
        assert_eq!(invert(&[0b11, 0b11]), None);
    }

    #[test]
    fn kernel_vectors_annihilate_every_row() {
        let rows = [0b0110u128, 0b1100, 0b0011];
        let k = kernel(&rows, 5);
        // Rank 3 over 5 columns: a 2-dimensional kernel.
        assert_eq!(k.len(), 2);
        for v in &k {
            assert!(rows.iter().all(|r| (r & v).count_ones() % 2 == 0), "{v:b}");
        }
        assert!(k.contains(&0b01111) && k.contains(&0b10000), "{k:?}");
    }
}
