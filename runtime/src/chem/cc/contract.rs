//! Tensor contractions as matrix products: `einsum`-style index strings, evaluated by permuting
//! both operands so that the summed indices are adjacent, one GEMM (faer), and a permutation of
//! the result. Every contraction of the coupled-cluster equations goes through [`contract`].

use faer::linalg::matmul::matmul;
use faer::{Accum, MatMut, MatRef, Par};
use ndarray::{Array, ArrayBase, ArrayD, ArrayView, ArrayViewD, CowArray, Data, Dimension, IxDyn};

/// Products with more multiply-adds than this run on rayon's pool; smaller ones sequentially
/// (thread start-up would cost more than it saves).
const PARALLEL_WORK: usize = 1 << 18;

/// Rayon's pool for an `m × k` by `k × n` product big enough to gain from it, else sequential.
pub fn parallelism(m: usize, k: usize, n: usize) -> Par {
    if m * k * n > PARALLEL_WORK {
        Par::rayon(0)
    } else {
        Par::Seq
    }
}

/// `C = A · B` for row-major slices, `A` `m × k`, `B` `k × n`, `C` `m × n`, with `C` overwritten
/// (`accumulate = false`) or added to. Panics if a slice is shorter than its shape (a
/// programming error).
pub fn gemm(a: &[f64], b: &[f64], c: &mut [f64], (m, k, n): (usize, usize, usize), accumulate: bool, par: Par) {
    let lhs = MatRef::from_row_major_slice(&a[..m * k], m, k);
    let rhs = MatRef::from_row_major_slice(&b[..k * n], k, n);
    let dst = MatMut::from_row_major_slice_mut(&mut c[..m * n], m, n);
    let accum = if accumulate { Accum::Add } else { Accum::Replace };
    matmul(dst, accum, lhs, rhs, 1.0, par);
}

/// `einsum(spec, a, b)` for a two-operand `spec` such as `"kcld,ilcd->ki"`: indices in both
/// operands and not in the output are summed; every other index appears in exactly one operand
/// and in the output. The result has the output's index order, in standard layout.
///
/// Panics on a malformed `spec`, on operands whose rank or shared extents disagree with it, or if
/// `O` is not the output's rank: all programming errors, fixed by the call site.
pub fn contract<SA, SB, DA, DB, O>(spec: &str, a: &ArrayBase<SA, DA>, b: &ArrayBase<SB, DB>) -> Array<f64, O>
where
    SA: Data<Elem = f64>,
    SB: Data<Elem = f64>,
    DA: Dimension,
    DB: Dimension,
    O: Dimension,
{
    let (inputs, output) = spec.split_once("->").expect("contraction spec has '->'");
    let (la, lb) = inputs.split_once(',').expect("contraction spec has two operands");
    let (la, lb, lo): (Vec<char>, Vec<char>, Vec<char>) =
        (la.chars().collect(), lb.chars().collect(), output.chars().collect());
    assert_eq!(la.len(), a.ndim(), "rank of the first operand in {spec}");
    assert_eq!(lb.len(), b.ndim(), "rank of the second operand in {spec}");
    let summed: Vec<char> = la.iter().copied().filter(|c| lb.contains(c) && !lo.contains(c)).collect();
    let free_a: Vec<char> = la.iter().copied().filter(|c| !summed.contains(c)).collect();
    let free_b: Vec<char> = lb.iter().copied().filter(|c| !summed.contains(c)).collect();
    assert_eq!(free_a.len() + free_b.len(), lo.len(), "every output index comes from one operand in {spec}");
    let position = |labels: &[char], c: char| labels.iter().position(|&x| x == c).expect("index label present");

    let perm_a: Vec<usize> = free_a.iter().chain(&summed).map(|&c| position(&la, c)).collect();
    let perm_b: Vec<usize> = summed.iter().chain(&free_b).map(|&c| position(&lb, c)).collect();
    let a = a.view().into_dyn().permuted_axes(IxDyn(&perm_a));
    let b = b.view().into_dyn().permuted_axes(IxDyn(&perm_b));
    let extent = |shape: &[usize], range: std::ops::Range<usize>| shape[range].iter().product::<usize>();
    let m = extent(a.shape(), 0..free_a.len());
    let k = extent(a.shape(), free_a.len()..la.len());
    let n = extent(b.shape(), summed.len()..lb.len());
    assert_eq!(k, extent(b.shape(), 0..summed.len()), "summed extents agree in {spec}");

    let a = standard_layout(a);
    let b = standard_layout(b);
    let mut shape: Vec<usize> = a.shape()[..free_a.len()].to_vec();
    shape.extend_from_slice(&b.shape()[summed.len()..]);
    let mut c = ArrayD::<f64>::zeros(IxDyn(&shape));
    gemm(
        a.as_slice().expect("standard layout"),
        b.as_slice().expect("standard layout"),
        c.as_slice_mut().expect("fresh array"),
        (m, k, n),
        false,
        parallelism(m, k, n),
    );
    let order: Vec<char> = free_a.iter().chain(&free_b).copied().collect();
    let perm_out: Vec<usize> = lo.iter().map(|&x| position(&order, x)).collect();
    let c = c.permuted_axes(IxDyn(&perm_out));
    let c = if c.is_standard_layout() { c } else { to_standard(c.view()) };
    c.into_dimensionality::<O>().expect("output rank matches the spec")
}

/// A standard-layout copy of `x`, through `assign`, whose strided loops are much faster than the
/// element-wise iteration of `as_standard_layout` and `to_owned` on permuted views.
pub fn to_standard<D: Dimension>(x: ArrayView<'_, f64, D>) -> Array<f64, D> {
    let mut out = Array::zeros(x.raw_dim());
    out.assign(&x);
    out
}

/// `x` itself if it is in standard layout, else [`to_standard`]'s copy.
fn standard_layout(x: ArrayViewD<'_, f64>) -> CowArray<'_, f64, IxDyn> {
    if x.is_standard_layout() {
        CowArray::from(x)
    } else {
        CowArray::from(to_standard(x))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{Array2, Array4, Ix2, Ix4};

    fn sample4(shape: (usize, usize, usize, usize), seed: f64) -> Array4<f64> {
        Array4::from_shape_fn(shape, |(i, j, k, l)| ((i * 7 + j * 5 + k * 3 + l) as f64 * seed).sin())
    }

    #[test]
    fn matrix_times_tensor_matches_loops() {
        let a = Array2::from_shape_fn((3, 4), |(k, c)| (k as f64 - 0.5 * c as f64).cos());
        let b = sample4((3, 2, 4, 5), 0.53);
        let out: Array2<f64> = contract::<_, _, _, _, Ix2>("kc,kica->ia", &a, &b);
        for i in 0..2 {
            for aa in 0..5 {
                let expected: f64 =
                    (0..3).flat_map(|k| (0..4).map(move |c| (k, c))).map(|(k, c)| a[[k, c]] * b[[k, i, c, aa]]).sum();
                assert!((out[[i, aa]] - expected).abs() < 1e-12);
            }
        }
    }

    #[test]
    fn permuted_output_matches_loops() {
        let a = sample4((3, 4, 2, 5), 0.37);
        let b = sample4((5, 4, 6, 2), 0.71);
        let out: Array4<f64> = contract::<_, _, _, _, Ix4>("icjd,dcbe->jbie", &a, &b);
        assert_eq!(out.shape(), &[2, 6, 3, 2]);
        for j in 0..2 {
            for bb in 0..6 {
                for i in 0..3 {
                    for e in 0..2 {
                        let mut expected = 0.0;
                        for c in 0..4 {
                            for d in 0..5 {
                                expected += a[[i, c, j, d]] * b[[d, c, bb, e]];
                            }
                        }
                        assert!((out[[j, bb, i, e]] - expected).abs() < 1e-12);
                    }
                }
            }
        }
    }
}
