//! Documentation of the words the schema does not describe: the keywords `import`, `as` and
//! `scan`, the functions, units and geometry words. Declaration keywords and fields are documented
//! by the compiler's schema (`qdf_compiler::check::schema`), the single source of truth.

use qdf_compiler::check::schema::{FieldSpec, Ty};
use qdf_compiler::units::{self, Dim};

/// The keywords that are not declarations, with what they do.
pub(crate) const OTHER_KEYWORDS: &[(&str, &str)] = &[
    (
        "import",
        "`import std.targets.ionq [as name]` brings a standard-library module's declarations into the spec, \
         bound to the path's last segment or to the name after `as`: `ionq.aria`.",
    ),
    ("as", "`import <module> as <name>` binds the module to another name."),
    (
        "scan",
        "`scan name = values` inside a molecule defines a scan variable: a list, a range, `linspace(...)` \
         or `arange(...)` of numbers or quantities of one dimension. The geometry uses it in braces: `{name}`.",
    ),
];

/// A function callable in a value: its signature and what it gives.
pub(crate) struct Function {
    pub name: &'static str,
    pub signature: &'static str,
    pub doc: &'static str,
}

pub(crate) const FUNCTIONS: &[Function] = &[
    Function {
        name: "linspace",
        signature: "linspace(start, stop, count)",
        doc: "`count` evenly spaced values from `start` to `stop`, both included; `start` and `stop` have the same dimension.",
    },
    Function {
        name: "arange",
        signature: "arange(start, stop, step)",
        doc: "`start`, `start + step`, … up to but excluding `stop`, as NumPy's `arange`.",
    },
    Function { name: "sqrt", signature: "sqrt(x)", doc: "Square root of a plain number `x ≥ 0`." },
    Function { name: "abs", signature: "abs(x)", doc: "Absolute value; keeps the dimension." },
    Function { name: "sin", signature: "sin(angle)", doc: "Sine of an angle (`52.25 degree`)." },
    Function { name: "cos", signature: "cos(angle)", doc: "Cosine of an angle." },
    Function { name: "tan", signature: "tan(angle)", doc: "Tangent of an angle." },
    Function {
        name: "file",
        signature: "file(\"name\")",
        doc: "A file next to the spec: an `.xyz` geometry for `geometry`, an NWChem or Gaussian94 basis set for `basis`.",
    },
    Function {
        name: "random",
        signature: "random(test = fraction)",
        doc: "A random data split holding out `fraction` of the points, for `train.split`.",
    },
    Function {
        name: "extrapolate",
        signature: "extrapolate(variable > value)",
        doc: "Hold out the points where a condition on a scan variable holds (outside the training range), for `train.split`.",
    },
    Function {
        name: "interpolate",
        signature: "interpolate(variable < value)",
        doc: "Hold out the points where a condition on a scan variable holds (inside the training range), for `train.split`.",
    },
];

pub(crate) fn function(name: &str) -> Option<&'static Function> {
    FUNCTIONS.iter().find(|f| f.name == name)
}

/// The words that open a geometry block.
pub(crate) const GEOMETRY_WORDS: &[(&str, &str)] = &[
    ("xyz", "`xyz { H 0 0 0  H 0 0 0.74 }`: one atom per line, an element symbol and three Cartesian coordinates in the molecule's `units`."),
    ("zmatrix", "`zmatrix { O  H 1 {r}  H 1 {r} 2 104.5 }`: internal coordinates, bond lengths in the molecule's `units`, angles in degrees."),
];

/// Markdown describing a unit: its dimension and its value in the normalised unit.
pub(crate) fn unit(name: &str) -> Option<String> {
    let unit = units::lookup(name)?;
    Some(format!(
        "unit `{}`: {}; 1 {} = {} {}",
        unit.name,
        unit.dim,
        unit.name,
        number(unit.to_normal),
        normal_name(unit.dim)
    ))
}

/// The unit values of a dimension are normalised to ("bohr"), or "" for a plain number.
pub(crate) fn normal_name(dim: Dim) -> &'static str {
    units::normal_unit_name(dim)
}

/// A number as people read it: up to 10 significant digits, no trailing zeros.
pub(crate) fn number(x: f64) -> String {
    if x == 0.0 {
        return "0".into();
    }
    let magnitude = x.abs().log10();
    if (-4.0..10.0).contains(&magnitude) {
        let decimals = (9 - magnitude.floor() as i32).clamp(0, 14) as usize;
        let text = format!("{x:.decimals$}");
        if text.contains('.') {
            text.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            text
        }
    } else {
        let text = format!("{x:.9e}");
        let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
        let mantissa =
            if mantissa.contains('.') { mantissa.trim_end_matches('0').trim_end_matches('.') } else { mantissa };
        format!("{mantissa}e{exponent}")
    }
}

/// What a field accepts, for people: "a whole number from 1 to 20".
pub(crate) fn ty(ty: &Ty) -> String {
    let words = |ws: &[&str]| ws.iter().map(|w| format!("`{w}`")).collect::<Vec<_>>().join(", ");
    match ty {
        Ty::Int { min, max } => format!("a whole number from {min} to {max}"),
        Ty::Real { min, max } if max.is_infinite() => format!("a number of at least {}", number(*min)),
        Ty::Real { min, max } => format!("a number from {} to {}", number(*min), number(*max)),
        Ty::Quantity(dim) => format!("a quantity of {dim}, e.g. `1 {}`", units::example_unit(*dim)),
        Ty::Bool => "`on` or `off`".into(),
        Ty::Text => "a string".into(),
        Ty::Choice(choices) => format!("one of {}", words(choices)),
        Ty::Choices(choices) => format!("a list of {}", words(choices)),
        Ty::Ints { min } => format!("a list of whole numbers of at least {min}"),
        Ty::Ref(kinds) => {
            let kinds: Vec<&str> = kinds.iter().map(|k| k.keyword()).collect();
            format!("the name of a {}", kinds.join(" or "))
        }
        Ty::Refs(kind) => format!("a list of {} names", kind.keyword()),
        Ty::Special(about) => (*about).to_string(),
    }
}

/// Markdown documenting a field: its type, default and what it is for.
pub(crate) fn field(spec: &FieldSpec) -> String {
    let mut out = format!("field `{}`: {}\n\n{}", spec.name, ty(&spec.ty), spec.doc);
    if spec.required {
        out.push_str("\n\nRequired.");
    } else if let Some(default) = spec.default {
        out.push_str(&format!("\n\nDefault: `{default}`."));
    }
    if let Some(kinds) = spec.only_for {
        out.push_str(&format!("\n\nOnly for `kind = {}`.", kinds.join("` or `")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_naturally() {
        assert_eq!(number(1.398_397_332_178_145_8), "1.398397332");
        assert_eq!(number(0.0016), "0.0016");
        assert_eq!(number(1e-6), "1e-6");
        assert_eq!(number(100_000.0), "100000");
        assert_eq!(number(-2.5), "-2.5");
        assert_eq!(number(0.0), "0");
    }

    #[test]
    fn units_show_their_factor() {
        assert_eq!(
            unit("millihartree").as_deref(),
            Some("unit `millihartree`: energy; 1 millihartree = 0.001 hartree")
        );
        assert_eq!(unit("Angstrom"), None);
    }
}
