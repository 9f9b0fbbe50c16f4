// Tokenizes qdf text with the TextMate grammar, through the same engine VS Code uses
// (vscode-textmate with the Oniguruma regex library), and checks the scopes of each kind of
// token. Run by `npm test`.

"use strict";

const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const oniguruma = require("vscode-oniguruma");
const textmate = require("vscode-textmate");

const grammarPath = path.join(__dirname, "..", "syntaxes", "qdf.tmLanguage.json");
const wasm = fs.readFileSync(require.resolve("vscode-oniguruma/release/onig.wasm")).buffer;

async function loadGrammar() {
  await oniguruma.loadWASM(wasm);
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async () => textmate.parseRawGrammar(fs.readFileSync(grammarPath, "utf8"), grammarPath),
  });
  return registry.loadGrammar("source.qdf");
}

// The innermost scope of every token, as [text, scope] pairs (whitespace left out).
function tokenize(grammar, text) {
  let state = textmate.INITIAL;
  const out = [];
  for (const line of text.split("\n")) {
    const result = grammar.tokenizeLine(line, state);
    for (const token of result.tokens) {
      const piece = line.slice(token.startIndex, token.endIndex);
      if (piece.trim() !== "") {
        out.push([piece.trim(), token.scopes[token.scopes.length - 1]]);
      }
    }
    state = result.ruleStack;
  }
  return out;
}

function scopeOf(tokens, text) {
  const found = tokens.find(([piece]) => piece === text);
  assert.ok(found, `no token ${JSON.stringify(text)} in ${JSON.stringify(tokens)}`);
  return found[1];
}

async function main() {
  const grammar = await loadGrammar();
  const text = [
    "import std.targets.ionq as q  # the IonQ devices",
    "molecule h2 {",
    "  geometry = xyz {",
    "    H 0 0 -0.37   # Å",
    "    He 0 0 {r / 2}",
    "  }",
    "  scan r = linspace(0.5 Å, 2.5 angstrom, 21)",
    '  basis = "cc-pvdz"',
    "}",
    "active_space cas { molecule = h2  frozen_core = on }",
    "generate data {",
    "  device = q.aria { fidelity_2q = 0.995 }",
    "  precision = 1.6 millihartree",
    "  shots = 1e5 per_evaluation",
    "}",
  ].join("\n");
  const tokens = tokenize(grammar, text);
  const expected = {
    import: "keyword.control.import.qdf",
    "std.targets.ionq": "entity.name.namespace.qdf",
    "# the IonQ devices": "comment.line.number-sign.qdf",
    molecule: "storage.type.declaration.qdf",
    h2: "entity.name.type.qdf",
    geometry: "variable.other.property.qdf",
    xyz: "keyword.other.geometry.qdf",
    H: "support.constant.element.qdf",
    He: "support.constant.element.qdf",
    "-0.37": "constant.numeric.coordinate.qdf",
    "# Å": "comment.line.number-sign.qdf",
    "/": "keyword.operator.qdf",
    scan: "keyword.other.scan.qdf",
    linspace: "support.function.qdf",
    "Å": "keyword.other.unit.qdf",
    angstrom: "keyword.other.unit.qdf",
    "21": "constant.numeric.qdf",
    "cc-pvdz": "string.quoted.double.qdf",
    active_space: "storage.type.declaration.qdf",
    frozen_core: "variable.other.property.qdf",
    on: "constant.language.qdf",
    q: "entity.name.namespace.qdf",
    aria: "variable.other.qdf",
    fidelity_2q: "variable.other.property.qdf",
    millihartree: "keyword.other.unit.qdf",
    per_evaluation: "keyword.other.unit.qdf",
  };
  for (const [piece, scope] of Object.entries(expected)) {
    assert.equal(scopeOf(tokens, piece), scope, piece);
  }
  // `molecule = h2` inside a block is a field, not a declaration.
  const fieldMolecule = tokens.filter(([piece]) => piece === "molecule").map(([, scope]) => scope);
  assert.deepEqual(fieldMolecule, ["storage.type.declaration.qdf", "variable.other.property.qdf"]);

  // Every shipped example tokenizes without an unclosed geometry block swallowing the rest.
  const examples = path.join(__dirname, "..", "..", "..", "examples");
  for (const name of fs.readdirSync(examples).filter((f) => f.endsWith(".qdf"))) {
    const lines = tokenize(grammar, fs.readFileSync(path.join(examples, name), "utf8"));
    const last = lines[lines.length - 1];
    assert.ok(!last[1].includes("geometry"), `${name}: ends inside a geometry block`);
  }
  console.log(`grammar: ${Object.keys(expected).length + 1} checks passed`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
