//! A multilayer perceptron on fixed descriptors, trained with dfdx.
//!
//! Layer widths come from the spec (`hidden = [64, 64]`) at run time, so the network is built from
//! dfdx tensors with run-time shapes `(usize, usize)` rather than dfdx's `Linear<I, O>` modules,
//! whose widths are const generics. dfdx supplies the forward ops and reverse-mode autodiff;
//! the optimiser is a dozen lines of Adam over plain `Vec<f64>` parameters, because dfdx's
//! optimisers walk compile-time module trees.
//!
//! The network: `n_features → hidden[0] → … → hidden[k-1] → 1`, an activation after every hidden
//! layer, a linear output. Everything is f64.
//!
//! Training, in order:
//! 1. Inputs are standardised with a [`Standardizer`] fitted on the training rows, and targets
//!    with their training mean and (population) standard deviation; both are stored with the
//!    weights and undone in [`TrainedMlp::predict`], so callers pass raw descriptors and get
//!    hartree back.
//! 2. Weights are drawn from ChaCha8 (stream "init" of the seed), layer by layer in `[out, in]`
//!    row-major order: He-uniform `U(±√(6/fan_in))` before ReLU/SiLU/GELU, Glorot-uniform
//!    `U(±√(6/(fan_in+fan_out)))` before tanh and for the output layer. Biases start at zero.
//! 3. Each epoch visits every training point once, in mini-batches of `batch_size` (all points
//!    when unset). With mini-batches the order is reshuffled every epoch (stream "shuffle");
//!    the last batch may be smaller.
//! 4. The loss is the mean squared error in standardised units. `weight_decay` is an L2 penalty
//!    `wd/2 · ‖W‖²` on the weight matrices (not the biases), added to the gradient before Adam
//!    (PyTorch's `Adam(weight_decay=…)` convention, but sparing biases).
//! 5. Adam: β₁ = 0.9, β₂ = 0.999, ε = 1e-8, with bias correction.
//!
//! The same data, spec and seed give bit-identical weights: the random draws are seeded, the
//! matrix products run in a fixed order per output tile, and the gradients are accumulated in
//! tape order (dfdx keys them in a `BTreeMap`).
//!
//! Weights file (safetensors, f64, little-endian): `layer{i}.weight` with shape `[out, in]` and
//! `layer{i}.bias` with shape `[out]` — the layout of PyTorch's `nn.Linear`, so
//! `torch.nn.Sequential(Linear, act, …, Linear)` loads them after renaming `layer{i}` to the
//! Sequential index. The scalers travel as `normalizer.input_mean`, `normalizer.input_std`
//! (`[n_features]`), `normalizer.target_mean`, `normalizer.target_std` (`[1]`); the
//! activation and format version are in the header's metadata.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

const FRAC_1_SQRT_PI: f64 = 0.564_189_583_547_756_3;

use dfdx::losses::mse_loss;
use dfdx::shapes::{Axes2, Axis, HasShape};
use dfdx::tensor::{
    AsArray, Cpu, Merge, NoneTape, PutTape, SplitTape, Tape, Tensor, TensorFromVec, Trace, WithEmptyTape,
};
use dfdx::tensor_ops::{Backward, BroadcastTo, PermuteTo, TryMatMul};
use safetensors::tensor::{Dtype, SafeTensors, TensorView};

use super::rng::{stream, Rng};
use super::{check_rows, check_xy, MlError, Regressor, Standardizer};

/// The activation between hidden layers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Activation {
    Relu,
    /// `x · sigmoid(x)` (also called swish).
    Silu,
    Tanh,
    /// The exact GELU, `x · Φ(x)` with the error function (PyTorch's default `nn.GELU()`), with a
    /// correction for dfdx 0.13's wrong derivative (see `apply`).
    Gelu,
}

impl Activation {
    /// The language's names: `relu`, `silu`, `tanh`, `gelu`.
    pub fn from_name(name: &str) -> Result<Self, MlError> {
        match name {
            "relu" => Ok(Activation::Relu),
            "silu" => Ok(Activation::Silu),
            "tanh" => Ok(Activation::Tanh),
            "gelu" => Ok(Activation::Gelu),
            other => Err(MlError::UnknownChoice { field: "activation", value: other.to_owned() }),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Activation::Relu => "relu",
            Activation::Silu => "silu",
            Activation::Tanh => "tanh",
            Activation::Gelu => "gelu",
        }
    }

    fn apply<T>(self, h: Matrix<T>) -> Matrix<T>
    where
        T: Tape<f64, Cpu> + Merge<T> + Merge<NoneTape> + Default,
    {
        match self {
            Activation::Relu => h.relu(),
            Activation::Tanh => h.tanh(),
            Activation::Gelu => {
                // dfdx 0.13's `accurate_gelu` computes the exact value, but its derivative's
                // Gaussian term is x·e^{−x²/2}/√π instead of x·e^{−x²/2}/√(2π). We add
                // s(x) − s(x)|stopped with s(x) = k·e^{−x²/2}, k = 1/√π − 1/√(2π): exactly zero in
                // value (the same kernels on the same numbers), and −k·x·e^{−x²/2} in slope, which
                // cancels the excess. The finite-difference test below pins this down.
                let k = FRAC_1_SQRT_PI - 1.0 / (2.0 * std::f64::consts::PI).sqrt();
                let (plain, tape) = h.split_tape();
                let stopped = (plain.clone().square() * -0.5).exp() * k;
                let h = plain.put_tape(tape);
                let slope_fix = (h.with_empty_tape().square() * -0.5).exp() * k - stopped;
                h.accurate_gelu() + slope_fix
            }
            Activation::Silu => {
                // The input is used twice: the sigmoid branch gets an empty tape of its own and the
                // product merges both, as dfdx's `Residual` does.
                let gate = h.with_empty_tape().sigmoid();
                h * gate
            }
        }
    }
}

impl fmt::Display for Activation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The fields of an `mlp` model block and of the `train` block that fits it.
#[derive(Clone, Debug, PartialEq)]
pub struct MlpSpec {
    /// Widths of the hidden layers; empty means a linear model.
    pub hidden: Vec<usize>,
    pub activation: Activation,
    pub epochs: usize,
    pub learning_rate: f64,
    /// Points per mini-batch; `None` (or anything ≥ the training set) means full batch.
    pub batch_size: Option<usize>,
    /// L2 penalty on the weight matrices.
    pub weight_decay: f64,
    pub seed: u64,
}

impl Default for MlpSpec {
    /// The language's defaults.
    fn default() -> Self {
        MlpSpec {
            hidden: vec![64, 64],
            activation: Activation::Silu,
            epochs: 1000,
            learning_rate: 1e-3,
            batch_size: None,
            weight_decay: 0.0,
            seed: 0,
        }
    }
}

/// A trained network with its input and target scalers.
#[derive(Clone, Debug, PartialEq)]
pub struct TrainedMlp {
    activation: Activation,
    /// `[n_features, hidden…, 1]`.
    widths: Vec<usize>,
    /// Layer `l`: `widths[l+1] × widths[l]`, row-major (`[out, in]`).
    weights: Vec<Vec<f64>>,
    biases: Vec<Vec<f64>>,
    input: Standardizer,
    target_mean: f64,
    target_std: f64,
    loss_history: Vec<f64>,
}

type Matrix<T> = Tensor<(usize, usize), f64, Cpu, T>;
type Vector = Tensor<(usize,), f64, Cpu>;

/// One layer's parameters as tensors without a tape.
struct LayerTensors {
    weight: Matrix<NoneTape>,
    bias: Vector,
}

fn layer_tensors(dev: &Cpu, widths: &[usize], weights: &[Vec<f64>], biases: &[Vec<f64>]) -> Vec<LayerTensors> {
    weights
        .iter()
        .zip(biases)
        .enumerate()
        .map(|(l, (w, b))| LayerTensors {
            weight: dev.tensor_from_vec(w.clone(), (widths[l + 1], widths[l])),
            bias: dev.tensor_from_vec(b.clone(), (widths[l + 1],)),
        })
        .collect()
}

/// `x → act(x Wᵀ + b) → … → x Wᵀ + b`, recording on `x`'s tape when it has one.
///
/// The parameters are re-taped (`retaped`) so their gradients land in the same tape, exactly as
/// dfdx's own `Linear` does; the shapes were validated by the caller, so the ops cannot fail.
fn forward<T>(layers: &[LayerTensors], activation: Activation, x: Matrix<T>) -> Matrix<T>
where
    T: Tape<f64, Cpu> + Merge<T> + Merge<NoneTape> + Default,
{
    let last = layers.len() - 1;
    let mut h = x;
    for (l, layer) in layers.iter().enumerate() {
        let batch = h.shape().0;
        let out = layer.weight.shape().0;
        let w_t = layer.weight.retaped::<T>().permute::<(usize, usize), Axes2<1, 0>>();
        let z = h.matmul(w_t);
        let b = layer.bias.retaped::<T>().broadcast_like::<(usize, usize), Axis<0>>(&(batch, out));
        h = z + b;
        if l != last {
            h = activation.apply(h);
        }
    }
    h
}

fn check_spec(spec: &MlpSpec) -> Result<(), MlError> {
    if let Some(position) = spec.hidden.iter().position(|&w| w == 0) {
        return Err(MlError::InvalidSpec(format!("hidden layer {position} has width 0")));
    }
    if !(spec.learning_rate.is_finite() && spec.learning_rate > 0.0) {
        return Err(MlError::InvalidSpec(format!("`learning_rate` = {} must be positive", spec.learning_rate)));
    }
    if !(spec.weight_decay.is_finite() && spec.weight_decay >= 0.0) {
        return Err(MlError::InvalidSpec(format!("`weight_decay` = {} must be zero or positive", spec.weight_decay)));
    }
    if spec.batch_size == Some(0) {
        return Err(MlError::InvalidSpec("`batch_size` must be at least 1".to_owned()));
    }
    Ok(())
}

/// Mean and population standard deviation of the targets (scale 1 when they are all equal).
fn target_scale(y: &[f64]) -> (f64, f64) {
    let n = y.len() as f64;
    let mean = y.iter().sum::<f64>() / n;
    let sd = (y.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n).sqrt();
    let std = if sd <= 1e-12 * mean.abs().max(1.0) { 1.0 } else { sd };
    (mean, std)
}

/// Seeded He/Glorot-uniform weights and zero biases (see the module documentation).
fn init_params(widths: &[usize], activation: Activation, seed: u64) -> (Vec<Vec<f64>>, Vec<Vec<f64>>) {
    let mut rng = Rng::new(seed, stream::INIT);
    let n_layers = widths.len() - 1;
    let mut weights = Vec::with_capacity(n_layers);
    let mut biases = Vec::with_capacity(n_layers);
    for l in 0..n_layers {
        let (fan_in, fan_out) = (widths[l], widths[l + 1]);
        let glorot = l == n_layers - 1 || activation == Activation::Tanh;
        let bound = if glorot { (6.0 / (fan_in + fan_out) as f64).sqrt() } else { (6.0 / fan_in as f64).sqrt() };
        weights.push((0..fan_in * fan_out).map(|_| rng.symmetric(bound)).collect());
        biases.push(vec![0.0; fan_out]);
    }
    (weights, biases)
}

/// Adam's moment estimates for one parameter vector.
struct Moments {
    m: Vec<f64>,
    v: Vec<f64>,
}

impl Moments {
    fn new(len: usize) -> Self {
        Moments { m: vec![0.0; len], v: vec![0.0; len] }
    }
}

const BETA1: f64 = 0.9;
const BETA2: f64 = 0.999;
const EPSILON: f64 = 1e-8;

/// One Adam step on `params`. `bias1`/`bias2` are `1 − β₁ᵗ` and `1 − β₂ᵗ`.
fn adam_step(params: &mut [f64], grads: &[f64], moments: &mut Moments, lr: f64, decay: f64, bias1: f64, bias2: f64) {
    for (((p, g), m), v) in params.iter_mut().zip(grads).zip(&mut moments.m).zip(&mut moments.v) {
        let g = g + decay * *p;
        *m = BETA1 * *m + (1.0 - BETA1) * g;
        *v = BETA2 * *v + (1.0 - BETA2) * g * g;
        let m_hat = *m / bias1;
        let v_hat = *v / bias2;
        *p -= lr * m_hat / (v_hat.sqrt() + EPSILON);
    }
}

/// Trains an MLP on descriptor rows `x` (raw; standardised inside) and targets `y` (hartree).
///
/// Errors: an empty training set, ragged or non-finite rows, a target count that differs from
/// the row count, an invalid spec, or a loss or weights that diverged to NaN/∞.
pub fn train_mlp(x: &[Vec<f64>], y: &[f64], spec: &MlpSpec) -> Result<TrainedMlp, MlError> {
    let n_features = check_xy(x, y)?;
    check_spec(spec)?;
    let n = x.len();
    let input = Standardizer::fit(x)?;
    let xs = input.transform_all(x)?;
    let (target_mean, target_std) = target_scale(y);
    let ys: Vec<f64> = y.iter().map(|v| (v - target_mean) / target_std).collect();

    let mut widths = Vec::with_capacity(spec.hidden.len() + 2);
    widths.push(n_features);
    widths.extend(&spec.hidden);
    widths.push(1);
    let (mut weights, mut biases) = init_params(&widths, spec.activation, spec.seed);
    let mut weight_moments: Vec<Moments> = weights.iter().map(|w| Moments::new(w.len())).collect();
    let mut bias_moments: Vec<Moments> = biases.iter().map(|b| Moments::new(b.len())).collect();

    let dev = Cpu::default();
    let batch = spec.batch_size.unwrap_or(n).min(n);
    let mut order: Vec<usize> = (0..n).collect();
    let mut shuffler = Rng::new(spec.seed, stream::SHUFFLE);
    let mut loss_history = Vec::with_capacity(spec.epochs);
    let (mut bias1, mut bias2) = (1.0, 1.0);
    // With a full batch the input tensors never change; build them once.
    let full_batch = (batch == n).then(|| batch_tensors(&dev, &xs, &ys, &order, n_features));

    for epoch in 0..spec.epochs {
        if batch < n {
            shuffler.shuffle(&mut order);
        }
        let mut epoch_loss = 0.0;
        for chunk in order.chunks(batch) {
            let (xt, yt) = match &full_batch {
                Some((xt, yt)) => (xt.clone(), yt.clone()),
                None => batch_tensors(&dev, &xs, &ys, chunk, n_features),
            };
            let (loss, weight_grads, bias_grads) =
                loss_and_gradients(&dev, &widths, &weights, &biases, spec.activation, xt, yt);
            if !loss.is_finite() {
                return Err(MlError::Diverged { epoch });
            }
            epoch_loss += loss * chunk.len() as f64;
            bias1 *= BETA1;
            bias2 *= BETA2;
            let (lr, wd) = (spec.learning_rate, spec.weight_decay);
            for l in 0..weights.len() {
                adam_step(&mut weights[l], &weight_grads[l], &mut weight_moments[l], lr, wd, 1.0 - bias1, 1.0 - bias2);
                adam_step(&mut biases[l], &bias_grads[l], &mut bias_moments[l], lr, 0.0, 1.0 - bias1, 1.0 - bias2);
            }
        }
        loss_history.push(epoch_loss / n as f64 * target_std * target_std);
    }

    if weights.iter().chain(&biases).flatten().any(|v| !v.is_finite()) {
        return Err(MlError::Diverged { epoch: spec.epochs });
    }
    Ok(TrainedMlp {
        activation: spec.activation,
        widths,
        weights,
        biases,
        input,
        target_mean,
        target_std,
        loss_history,
    })
}

/// The mean squared error of the network on one batch, and its gradient with respect to every
/// weight matrix and bias vector (same layouts as the parameters), by dfdx's reverse mode.
fn loss_and_gradients(
    dev: &Cpu,
    widths: &[usize],
    weights: &[Vec<f64>],
    biases: &[Vec<f64>],
    activation: Activation,
    x: Matrix<NoneTape>,
    y: Matrix<NoneTape>,
) -> (f64, Vec<Vec<f64>>, Vec<Vec<f64>>) {
    let layers = layer_tensors(dev, widths, weights, biases);
    let prediction = forward(&layers, activation, x.leaky_traced());
    let loss = mse_loss(prediction, y);
    let value = loss.array();
    let grads = loss.backward();
    let weight_grads = layers.iter().map(|layer| grads.get(&layer.weight).as_vec()).collect();
    let bias_grads = layers.iter().map(|layer| grads.get(&layer.bias).as_vec()).collect();
    (value, weight_grads, bias_grads)
}

fn batch_tensors(
    dev: &Cpu,
    xs: &[Vec<f64>],
    ys: &[f64],
    rows: &[usize],
    n_features: usize,
) -> (Matrix<NoneTape>, Matrix<NoneTape>) {
    let xb: Vec<f64> = rows.iter().flat_map(|&i| xs[i].iter().copied()).collect();
    let yb: Vec<f64> = rows.iter().map(|&i| ys[i]).collect();
    (dev.tensor_from_vec(xb, (rows.len(), n_features)), dev.tensor_from_vec(yb, (rows.len(), 1)))
}

impl TrainedMlp {
    /// Predicts (hartree) for raw descriptor rows. An empty `x` gives an empty result.
    pub fn predict(&self, x: &[Vec<f64>]) -> Result<Vec<f64>, MlError> {
        check_rows(x, Some(self.n_features()))?;
        if x.is_empty() {
            return Ok(Vec::new());
        }
        let xs = self.input.transform_all(x)?;
        let dev = Cpu::default();
        let layers = layer_tensors(&dev, &self.widths, &self.weights, &self.biases);
        let flat: Vec<f64> = xs.into_iter().flatten().collect();
        let xt: Matrix<NoneTape> = dev.tensor_from_vec(flat, (x.len(), self.n_features()));
        let out = forward(&layers, self.activation, xt).as_vec();
        Ok(out.into_iter().map(|v| v * self.target_std + self.target_mean).collect())
    }

    /// The descriptor length it was trained on.
    pub fn n_features(&self) -> usize {
        self.widths[0]
    }

    /// `[n_features, hidden…, 1]`.
    pub fn widths(&self) -> &[usize] {
        &self.widths
    }

    pub fn activation(&self) -> Activation {
        self.activation
    }

    /// Layer `l`'s weight matrix, `[out, in]` row-major.
    pub fn weight(&self, layer: usize) -> Option<&[f64]> {
        self.weights.get(layer).map(Vec::as_slice)
    }

    /// Layer `l`'s bias vector.
    pub fn bias(&self, layer: usize) -> Option<&[f64]> {
        self.biases.get(layer).map(Vec::as_slice)
    }

    /// The training-set mean squared error after each epoch, in hartree², averaged over the
    /// epoch's mini-batches (each evaluated before its update). Empty for a loaded model.
    pub fn loss_history(&self) -> &[f64] {
        &self.loss_history
    }

    /// Writes the weights and scalers as safetensors (see the module documentation), atomically:
    /// a temporary file beside `path` is renamed over it.
    pub fn save_safetensors(&self, path: &Path) -> Result<(), MlError> {
        let bytes = self.to_safetensors()?;
        let io = |e: std::io::Error| MlError::Io { path: path.to_owned(), message: e.to_string() };
        let mut tmp_name = path.file_name().unwrap_or_default().to_owned();
        tmp_name.push(".tmp");
        let tmp = path.with_file_name(tmp_name);
        std::fs::write(&tmp, bytes).map_err(io)?;
        std::fs::rename(&tmp, path).map_err(io)
    }

    /// Reads a file written by [`TrainedMlp::save_safetensors`].
    pub fn load_safetensors(path: &Path) -> Result<Self, MlError> {
        let bytes = std::fs::read(path).map_err(|e| MlError::Io { path: path.to_owned(), message: e.to_string() })?;
        Self::from_safetensors(&bytes)
    }

    /// The safetensors bytes [`TrainedMlp::save_safetensors`] writes.
    pub fn to_safetensors(&self) -> Result<Vec<u8>, MlError> {
        let mut entries: Vec<(String, Vec<usize>, Vec<u8>)> = Vec::new();
        for (l, (w, b)) in self.weights.iter().zip(&self.biases).enumerate() {
            entries.push((format!("layer{l}.weight"), vec![self.widths[l + 1], self.widths[l]], le_bytes(w)));
            entries.push((format!("layer{l}.bias"), vec![self.widths[l + 1]], le_bytes(b)));
        }
        let n = self.n_features();
        entries.push(("normalizer.input_mean".into(), vec![n], le_bytes(&self.input.mean)));
        entries.push(("normalizer.input_std".into(), vec![n], le_bytes(&self.input.std)));
        entries.push(("normalizer.target_mean".into(), vec![1], le_bytes(&[self.target_mean])));
        entries.push(("normalizer.target_std".into(), vec![1], le_bytes(&[self.target_std])));
        let views = entries
            .iter()
            .map(|(name, shape, data)| {
                TensorView::new(Dtype::F64, shape.clone(), data)
                    .map(|view| (name.clone(), view))
                    .map_err(|e| MlError::Format(e.to_string()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let metadata = HashMap::from([
            ("format".to_owned(), FORMAT.to_owned()),
            ("activation".to_owned(), self.activation.name().to_owned()),
            ("layers".to_owned(), self.weights.len().to_string()),
        ]);
        safetensors::serialize(views, Some(metadata)).map_err(|e| MlError::Format(e.to_string()))
    }

    /// Parses the bytes of a weights file.
    pub fn from_safetensors(bytes: &[u8]) -> Result<Self, MlError> {
        let bad = MlError::Format;
        let (_, header) = SafeTensors::read_metadata(bytes).map_err(|e| bad(e.to_string()))?;
        let metadata = header.metadata().clone().unwrap_or_default();
        let meta = |key: &str| metadata.get(key).ok_or_else(|| bad(format!("the metadata has no `{key}`")));
        if meta("format")? != FORMAT {
            return Err(bad(format!("expected format `{FORMAT}`, found `{}`", meta("format")?)));
        }
        let activation = Activation::from_name(meta("activation")?)?;
        let n_layers: usize = meta("layers")?.parse().map_err(|_| bad("`layers` is not a number".into()))?;
        if n_layers == 0 {
            return Err(bad("the network has no layers".into()));
        }
        let tensors = SafeTensors::deserialize(bytes).map_err(|e| bad(e.to_string()))?;
        let read = |name: &str, shape: Option<&[usize]>| -> Result<(Vec<usize>, Vec<f64>), MlError> {
            let view = tensors.tensor(name).map_err(|_| bad(format!("no tensor `{name}`")))?;
            if view.dtype() != Dtype::F64 {
                return Err(bad(format!("`{name}` is {:?}, expected F64", view.dtype())));
            }
            if let Some(expected) = shape {
                if view.shape() != expected {
                    return Err(bad(format!("`{name}` has shape {:?}, expected {expected:?}", view.shape())));
                }
            }
            let values = view.data().chunks_exact(8).map(|c| f64::from_le_bytes(c.try_into().unwrap_or([0; 8])));
            Ok((view.shape().to_vec(), values.collect()))
        };
        let mut widths = Vec::with_capacity(n_layers + 1);
        let mut weights = Vec::with_capacity(n_layers);
        let mut biases = Vec::with_capacity(n_layers);
        for l in 0..n_layers {
            let (shape, w) = read(&format!("layer{l}.weight"), None)?;
            let [out, inp] = shape[..] else {
                return Err(bad(format!("`layer{l}.weight` is not a matrix")));
            };
            match widths.last() {
                None => widths.push(inp),
                Some(&prev) if prev == inp => {}
                Some(&prev) => {
                    return Err(bad(format!("`layer{l}.weight` takes {inp} inputs, layer {} gives {prev}", l - 1)));
                }
            }
            if out == 0 || inp == 0 {
                return Err(bad(format!("`layer{l}.weight` has an empty dimension")));
            }
            widths.push(out);
            weights.push(w);
            biases.push(read(&format!("layer{l}.bias"), Some(&[out]))?.1);
        }
        if widths.last() != Some(&1) {
            return Err(bad("the last layer must have one output".into()));
        }
        let n = widths[0];
        let input = Standardizer {
            mean: read("normalizer.input_mean", Some(&[n]))?.1,
            std: read("normalizer.input_std", Some(&[n]))?.1,
        };
        let target_mean = read("normalizer.target_mean", Some(&[1]))?.1[0];
        let target_std = read("normalizer.target_std", Some(&[1]))?.1[0];
        let all = weights.iter().chain(&biases).flatten().chain(&input.mean).chain(&input.std);
        if all.chain([&target_mean, &target_std]).any(|v| !v.is_finite()) {
            return Err(bad("the file holds a non-finite parameter".into()));
        }
        if input.std.iter().chain([&target_std]).any(|&s| s <= 0.0) {
            return Err(bad("the file holds a scale that is not positive".into()));
        }
        Ok(TrainedMlp { activation, widths, weights, biases, input, target_mean, target_std, loss_history: Vec::new() })
    }
}

const FORMAT: &str = "qdf-mlp-v1";

fn le_bytes(values: &[f64]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

impl Regressor for TrainedMlp {
    fn predict(&self, x: &[Vec<f64>]) -> Result<Vec<f64>, MlError> {
        TrainedMlp::predict(self, x)
    }

    fn n_features(&self) -> usize {
        TrainedMlp::n_features(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// dfdx's reverse-mode gradients (including SiLU's merged tapes) against central differences.
    #[test]
    fn gradients_match_finite_differences() {
        let dev = Cpu::default();
        let widths = [2, 3, 4, 1];
        let x = vec![0.3, -1.2, 0.8, 0.5, -0.4, 1.9, 1.1, -0.7];
        let y = vec![0.2, -0.5, 1.0, 0.1];
        let tensors = |dev: &Cpu| -> (Matrix<NoneTape>, Matrix<NoneTape>) {
            (dev.tensor_from_vec(x.clone(), (4, 2)), dev.tensor_from_vec(y.clone(), (4, 1)))
        };
        for activation in [Activation::Relu, Activation::Silu, Activation::Tanh, Activation::Gelu] {
            let (weights, mut biases) = init_params(&widths, activation, 42);
            let mut rng = Rng::new(1, 9);
            for b in &mut biases {
                b.iter_mut().for_each(|v| *v = rng.symmetric(0.5));
            }
            let (xt, yt) = tensors(&dev);
            let (_, gw, gb) = loss_and_gradients(&dev, &widths, &weights, &biases, activation, xt, yt);
            let loss_at = |w: &[Vec<f64>], b: &[Vec<f64>]| {
                let (xt, yt) = tensors(&dev);
                loss_and_gradients(&dev, &widths, w, b, activation, xt, yt).0
            };
            let h = 1e-6;
            for l in 0..weights.len() {
                for i in 0..weights[l].len() {
                    let (mut plus, mut minus) = (weights.clone(), weights.clone());
                    plus[l][i] += h;
                    minus[l][i] -= h;
                    let numeric = (loss_at(&plus, &biases) - loss_at(&minus, &biases)) / (2.0 * h);
                    assert!((numeric - gw[l][i]).abs() < 1e-7, "{activation} w{l}[{i}]: {numeric} vs {}", gw[l][i]);
                }
                for i in 0..biases[l].len() {
                    let (mut plus, mut minus) = (biases.clone(), biases.clone());
                    plus[l][i] += h;
                    minus[l][i] -= h;
                    let numeric = (loss_at(&weights, &plus) - loss_at(&weights, &minus)) / (2.0 * h);
                    assert!((numeric - gb[l][i]).abs() < 1e-7, "{activation} b{l}[{i}]: {numeric} vs {}", gb[l][i]);
                }
            }
        }
    }

    #[test]
    fn gelu_values_are_dfdx_exact_gelu_unchanged() {
        let dev = Cpu::default();
        let x: Matrix<NoneTape> = dev.tensor_from_vec(vec![-3.0, -0.5, 0.0, 0.7, 2.5, 9.0], (2, 3));
        let ours = Activation::Gelu.apply(x.clone()).as_vec();
        let traced = Activation::Gelu.apply(x.leaky_trace()).as_vec();
        let plain = x.accurate_gelu().as_vec();
        assert_eq!(ours, plain);
        assert_eq!(traced, plain);
    }

    #[test]
    fn adam_first_step_moves_each_parameter_by_the_learning_rate() {
        // With bias correction, the first step is lr · g / (|g| + ε) ≈ ±lr.
        let mut params = vec![1.0, -2.0];
        let mut moments = Moments::new(2);
        adam_step(&mut params, &[0.5, -3.0], &mut moments, 0.1, 0.0, 1.0 - BETA1, 1.0 - BETA2);
        assert!((params[0] - 0.9).abs() < 1e-7 && (params[1] + 1.9).abs() < 1e-7, "{params:?}");
    }
}
