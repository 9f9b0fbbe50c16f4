//! Both samplers against the distribution they draw from, and readout flips against the
//! confusion matrix applied to the distribution (`noise::apply_readout_error`).

use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::*;
use crate::noise::apply_readout_error;

/// A 10-qubit distribution with a few heavy outcomes and a long tail.
fn distribution() -> Vec<f64> {
    let mut p: Vec<f64> = (0..1024).map(|b| 1.0 + (b % 7) as f64).collect();
    p[3] = 4000.0;
    p[700] = 2500.0;
    p[1023] = 0.0;
    let total: f64 = p.iter().sum();
    p.iter().map(|x| x / total).collect()
}

/// Every outcome's count within 5 standard deviations of `shots · p`.
fn assert_drawn_from(counts: &[(u64, u64)], p: &[f64], shots: u64) {
    assert_eq!(counts.iter().map(|&(_, n)| n).sum::<u64>(), shots);
    assert!(counts.windows(2).all(|w| w[0].0 < w[1].0) && counts.iter().all(|&(_, n)| n > 0));
    let mut dense = vec![0u64; p.len()];
    for &(b, n) in counts {
        dense[b as usize] = n;
    }
    for (b, (&n, &pb)) in dense.iter().zip(p).enumerate() {
        let (mean, sd) = (shots as f64 * pb, (shots as f64 * pb * (1.0 - pb)).sqrt());
        assert!((n as f64 - mean).abs() <= 5.0 * sd.max(1.0), "outcome {b}: {n} drawn, {mean:.1} ± {sd:.1} expected");
    }
}

#[test]
fn both_samplers_draw_the_distribution() {
    let p = distribution();
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    assert_drawn_from(&by_binomials(&p, 200_000, &mut rng), &p, 200_000);
    assert_drawn_from(&by_cumulative(&p, 200_000, &mut rng), &p, 200_000);
    // The impossible outcome is never drawn.
    assert!(by_cumulative(&p, 50_000, &mut rng).iter().all(|&(b, _)| b != 1023));
}

#[test]
fn few_shots_over_a_large_register_take_the_cumulative_route_reproducibly() {
    let p = distribution();
    let draw = |seed| multinomial(&p, 10, &mut ChaCha8Rng::seed_from_u64(seed));
    assert_eq!(draw(1), draw(1));
    assert_eq!(draw(1).iter().map(|&(_, n)| n).sum::<u64>(), 10);
    // No mass, nothing drawn, by either route.
    assert_eq!(multinomial(&[0.0; 8], 5, &mut ChaCha8Rng::seed_from_u64(1)), Vec::new());
    assert_eq!(multinomial(&[0.0; 1024], 5, &mut ChaCha8Rng::seed_from_u64(1)), Vec::new());
}

#[test]
fn flipped_bits_follow_the_confusion_matrix() {
    // Outcomes drawn from p, then read with a 7% error per bit, against p with the confusion
    // matrix applied.
    let p: Vec<f64> = vec![0.5, 0.0, 0.0, 0.25, 0.0, 0.25, 0.0, 0.0];
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    let drawn = multinomial(&p, 400_000, &mut rng);
    let read = flip_bits(&drawn, 3, 0.07, &mut rng);
    let mut confused = p.clone();
    apply_readout_error(&mut confused, 0.07).expect("valid");
    assert_drawn_from(&read, &confused, 400_000);
    assert_eq!(flip_bits(&drawn, 3, 0.0, &mut rng), drawn);
}
