//! `basis = file(...)`: the checker reads basis files through the loader, the parsed set travels
//! in the HIR and IR, and the IR hash follows the file's meaning, not its bytes.

use std::collections::HashMap;

use qdf_compiler::ir::{ExperimentIr, Task};
use qdf_compiler::{compile, Compilation, FileLoader};

/// Serves files from a map.
struct Files(HashMap<&'static str, String>);

impl FileLoader for Files {
    fn load(&self, path: &str) -> Result<String, String> {
        self.0.get(path).cloned().ok_or_else(|| "No such file or directory".to_string())
    }
}

const STO3G_H: &str =
    "BASIS \"ao basis\" SPHERICAL\nH    S\n  3.425250914 0.1543289673\n  0.6239137298 0.5353281423\n  \
                       0.1688554040 0.4446345422\nEND\n";

const G94_H_LI: &str = "H     0\nS    1   1.00\n  0.5 1.0\n****\nLi     0\nS    1   1.00\n  0.1 1.0\nSP   1   1.00\n  \
                        0.05 1.0 1.0\n****\n";

fn spec(basis: &str) -> String {
    format!(
        "experiment e {{ seed = 1 }}\nmolecule h2 {{ geometry = xyz {{ H 0 0 0  H 0 0 0.74 }}  basis = {basis} }}\n\
         active_space cas {{ molecule = h2  electrons = 2  orbitals = 1 }}\n\
         ansatz ucc {{ kind = uccsd  space = cas }}\ngenerate data {{ ansatz = ucc  references = [hf] }}\n"
    )
}

fn compile_with(source: &str, files: &[(&'static str, &str)]) -> Compilation {
    let files = Files(files.iter().map(|&(path, text)| (path, text.to_string())).collect());
    compile("t.qdf", source, &files)
}

fn ir(c: &Compilation) -> &ExperimentIr {
    assert!(c.diagnostics.is_empty(), "{:?}", c.diagnostics);
    c.ir.as_ref().expect("IR")
}

fn scf_basis(ir: &ExperimentIr) -> (&str, Option<&qdf_stdlib::basis::BasisSet>) {
    ir.nodes
        .iter()
        .find_map(|n| match &n.task {
            Task::Scf { basis, basis_file, .. } => Some((basis.as_str(), basis_file.as_ref())),
            _ => None,
        })
        .expect("an scf node")
}

#[test]
fn a_basis_file_travels_in_the_hir_and_ir() {
    let c = compile_with(&spec("file(\"h.nw\")"), &[("h.nw", STO3G_H)]);
    let (name, set) = scf_basis(ir(&c));
    assert_eq!(name, "h.nw");
    let set = set.expect("the parsed file");
    assert_eq!(set.shells(1).expect("H")[0].exponents, [3.425250914, 0.6239137298, 0.1688554040]);
    let molecule = &c.spec.molecules[0];
    assert_eq!(molecule.basis, "h.nw");
    assert_eq!(molecule.basis_functions, 2);
    assert_eq!(molecule.basis_file.as_ref(), Some(set));
}

#[test]
fn named_bases_carry_no_file() {
    let c = compile_with(&spec("\"STO-3G\""), &[]);
    assert_eq!(scf_basis(ir(&c)), ("sto-3g", None));
    assert!(c.spec.molecules[0].basis_file.is_none());
    let c = compile_with(&spec("\"6-31G(d,p)\""), &[]);
    assert_eq!(scf_basis(ir(&c)).0, "6-31g**");
}

#[test]
fn the_hash_follows_the_content_not_the_bytes() {
    let hash = |text: &str| ir(&compile_with(&spec("file(\"h.nw\")"), &[("h.nw", text)])).hash.clone();
    let original = hash(STO3G_H);
    let commented = format!("# a comment\n{}", STO3G_H.replace("  3.425", "      3.425"));
    assert_eq!(hash(&commented), original, "comments and spacing do not change the meaning");
    assert_ne!(hash(&STO3G_H.replace("0.4446345422", "0.4446345423")), original, "a coefficient does");
    // The same numbers as the shipped STO-3G, but a user file: a different node.
    let shipped = ir(&compile_with(&spec("\"sto-3g\""), &[])).hash.clone();
    assert_ne!(shipped, original);
}

#[test]
fn gaussian94_files_by_extension_and_only_used_elements_reach_the_ir() {
    for path in ["b.gbs", "b.g94", "B.GBS"] {
        let c = compile_with(&spec(&format!("file(\"{path}\")")), &[(path, G94_H_LI)]);
        let (_, set) = scf_basis(ir(&c));
        let set = set.expect("the parsed file");
        assert_eq!(set.elements.keys().copied().collect::<Vec<_>>(), [1], "{path}: lithium is not used");
    }
}

#[test]
fn problems_point_at_the_file_call_and_name_the_file_line() {
    let source = spec("file(\"h.nw\")");
    let call = source.find("file(").expect("call") as u32;
    let c = compile_with(&source, &[("h.nw", "BASIS\nH S\n 1.0 x\nEND\n")]);
    let d = &c.diagnostics[0];
    assert_eq!(d.code.as_str(), "QDF9001");
    assert_eq!(d.primary.span.start, call);
    assert_eq!(d.help.as_deref(), Some("h.nw:3:6: expected a number, found `x`"));
    assert!(c.ir.is_none());

    let c = compile_with(&source, &[]);
    assert_eq!(c.diagnostics[0].message, "cannot read \"h.nw\": No such file or directory");

    let c = compile_with(&spec("file(\"h.nw\")").replace("H 0 0 0.74", "Li 0 0 0.74"), &[("h.nw", STO3G_H)]);
    assert_eq!(c.diagnostics[0].code.as_str(), "QDF4006");
    assert_eq!(c.diagnostics[0].message, "basis file \"h.nw\" does not define Li");
}
