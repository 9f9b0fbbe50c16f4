use expect_test::{expect, Expect};

use crate::completion;
use crate::test_support::{cursor, spec_at};

/// Shows the replaced text and each item as `label` (or `label => insert` when they differ).
fn check(input: &str, expect: Expect) {
    let (text, offset) = cursor(input);
    let items = completion(&text, offset);
    let replaced = items.first().map(|i| text[i.replace_range.clone()].to_string()).unwrap_or_default();
    let shown: Vec<String> = items
        .iter()
        .map(|i| if i.insert_text == i.label { i.label.clone() } else { format!("{} => {:?}", i.label, i.insert_text) })
        .collect();
    expect.assert_eq(&format!("[{replaced}] {}", shown.join(", ")));
}

#[test]
fn declaration_keywords_at_the_top_level() {
    check(
        "$0",
        expect![[
            r#"[] experiment => "experiment ", molecule => "molecule ", molecule_set => "molecule_set ", active_space => "active_space ", mapping => "mapping ", ansatz => "ansatz ", device => "device ", noise => "noise ", generate => "generate ", model => "model ", train => "train ", compare => "compare ", import => "import ""#
        ]],
    );
    check(&spec_at("experiment", 0, 3), expect!["[] "]);
    check(
        "molecule h2 { basis = \"sto-3g\" }\nmo$0",
        expect![[
            r#"[mo] molecule => "molecule ", molecule_set => "molecule_set ", model => "model ", import => "import ""#
        ]],
    );
}

#[test]
fn nothing_after_a_declaration_keyword_or_in_a_comment() {
    check("molecule $0", expect!["[] "]);
    check("# mol$0ecule\n", expect!["[] "]);
}

#[test]
fn stdlib_modules_after_import() {
    check("import $0", expect!["[] std.targets.ionq, std.targets.quantinuum"]);
    check("import std.t$0", expect!["[std.t] std.targets.ionq, std.targets.quantinuum"]);
    check("import std.targets.ionq as $0", expect!["[] "]);
}

#[test]
fn fields_not_yet_given_at_a_member_start() {
    check(
        &spec_at("  basis", 0, 0),
        expect![[
            r#"[] units => "units = ", charge => "charge = ", multiplicity => "multiplicity = ", scf => "scf = ", scan_mode => "scan_mode = ", scan => "scan ""#
        ]],
    );
    check(
        "active_space a {\n  molecule = m\n  el$0\n}",
        expect![[r#"[el] electrons => "electrons = ", selection => "selection = ""#]],
    );
}

#[test]
fn fields_follow_the_blocks_kind() {
    check(
        "ansatz a {\n  kind = hardware_efficient\n  $0\n}",
        expect![[
            r#"[] space => "space = ", mapping => "mapping = ", layers => "layers = ", rotations => "rotations = ", entanglement => "entanglement = ""#
        ]],
    );
}

#[test]
fn record_settings() {
    check(
        "generate g {\n  optimizer = lbfgs { $0 }\n}",
        expect![[r#"[] max_iter => "max_iter = ", tolerance => "tolerance = ", learning_rate => "learning_rate = ""#]],
    );
    check(
        "generate g {\n  optimizer = lbfgs { max_iter = 200 $0 }\n}",
        expect![[r#"[] tolerance => "tolerance = ", learning_rate => "learning_rate = ""#]],
    );
    check(
        "generate g {\n  device = ionq.aria { fidelity$0 }\n}",
        expect![[
            r#"[fidelity] fidelity_1q => "fidelity_1q = ", fidelity_2q => "fidelity_2q = ", fidelity_spam => "fidelity_spam = ""#
        ]],
    );
}

#[test]
fn choices_of_a_field() {
    check(
        "ansatz a {\n  kind = $0\n}",
        expect!["[] hf, uccsd, kupccgsd, hardware_efficient, adapt, particle_conserving"],
    );
    check("generate g {\n  references = [hf, $0]\n}", expect!["[] hf, mp2, ccsd, ccsd_t, casci, fci"]);
    check("mapping m {\n  tapering = o$0\n}", expect!["[o] on, off"]);
    check("model m {\n  target = energy - $0\n}", expect!["[] hf, mp2, ccsd, ccsd_t, casci, fci"]);
}

#[test]
fn declared_names_of_the_kinds_a_field_refers_to() {
    check(&spec_at("h2\n  electrons", 0, 0), expect!["[] h2"]);
    check(&spec_at("tapered\n}", 0, 1), expect!["[tapered] bravyi_kitaev, parity, tapered"]);
}

#[test]
fn imported_devices_and_module_members() {
    check(&spec_at("ionq.aria", 0, 0), expect!["[] ionq.aria, ionq.forte, ionq.forte_enterprise"]);
    check(&spec_at("aria {", 0, 1), expect!["[aria] aria"]);
}

#[test]
fn basis_set_names() {
    check("molecule m {\n  basis = \"cc$0\n}", expect![[r#"["cc] "cc-pvdz", "cc-pvtz", "aug-cc-pvdz""#]]);
    check(
        "molecule m {\n  basis = $0\n}",
        expect![[
            r#"[] "sto-3g", "3-21g", "6-31g", "6-31g*", "6-31g**", "6-311g**", "cc-pvdz", "cc-pvtz", "aug-cc-pvdz", "def2-svp", "def2-tzvp", file => "file(""#
        ]],
    );
}

#[test]
fn units_of_the_fields_dimension() {
    check(
        "generate g {\n  precision = 1.6 $0\n}",
        expect![
            "[] hartree, Ha, Eh, millihartree, mHa, mEh, microhartree, eV, meV, kcal_per_mol, kJ_per_mol, wavenumber"
        ],
    );
    check("generate g {\n  shots = 1e5 per$0\n}", expect!["[per] per_point, per_evaluation"]);
    check("device d {\n  time_1q = 10 mic$0\n}", expect!["[mic] millisecond, microsecond"]);
    check(
        "molecule m {\n  scan r = linspace(0.5 an$0",
        expect!["[an] angstrom, wavenumber, radian, nanosecond, per_evaluation"],
    );
}

#[test]
fn elements_in_a_geometry_and_scan_variables_in_braces() {
    check(&spec_at("H 0 0 {r}", 0, 0), expect!["[] H, He, Li, Be, B, C, N, O, F, Ne, Na, Mg, Al, Si, P, S, Cl, Ar, K, Ca, Sc, Ti, V, Cr, Mn, Fe, Co, Ni, Cu, Zn, Ga, Ge, As, Se, Br, Kr, Rb, Sr, Y, Zr, Nb, Mo, Tc, Ru, Rh, Pd, Ag, Cd, In, Sn, Sb, Te, I, Xe, Cs, Ba, La, Ce, Pr, Nd, Pm, Sm, Eu, Gd, Tb, Dy, Ho, Er, Tm, Yb, Lu, Hf, Ta, W, Re, Os, Ir, Pt, Au, Hg, Tl, Pb, Bi, Po, At, Rn, Fr, Ra, Ac, Th, Pa, U, Np, Pu, Am, Cm, Bk, Cf, Es, Fm, Md, No, Lr, Rf, Db, Sg, Bh, Hs, Mt, Ds, Rg, Cn, Nh, Fl, Mc, Lv, Ts, Og"]);
    check("molecule m {\n  geometry = xyz {\n    L$0\n  }\n}", expect!["[L] Li, Al, Cl, La, Lu, Tl, Lr, Fl, Lv"]);
    check(&spec_at("r}", 0, 0), expect!["[] r"]);
}

#[test]
fn scan_variables_in_a_split_condition() {
    check(
        "molecule m {\n  scan d = [1, 2]\n  geometry = xyz { H 0 0 0 H 0 0 {d} }\n}\ntrain t {\n  split = extrapolate($0)\n}",
        expect!["[] d"],
    );
    check(
        "train t {\n  split = $0\n}",
        expect![[r#"[] random => "random(", extrapolate => "extrapolate(", interpolate => "interpolate(""#]],
    );
}

#[test]
fn utf16_text_before_the_cursor_does_not_matter() {
    check("# Å µ\nmolecule m {\n  geometry = xyz {\n    H 0 0 0 # µ\n    He$0\n  }\n}", expect!["[He] He"]);
}
