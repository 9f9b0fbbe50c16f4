//! Lexes and parses arbitrary UTF-8; checks that both are lossless and that syntax errors point
//! into the input at character boundaries.
#![no_main]

use libfuzzer_sys::fuzz_target;
use qdf_compiler::syntax::{parse, tokenize};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };

    let tokens = tokenize(text);
    let mut offset = 0;
    for token in &tokens {
        assert!(!token.text.is_empty(), "empty token {token:?}");
        assert_eq!(token.offset, offset, "token {token:?} is not where the previous one ended");
        assert_eq!(&text[offset..offset + token.text.len()], token.text);
        offset += token.text.len();
    }
    assert_eq!(offset, text.len(), "tokens do not cover the input");

    let parsed = parse(text);
    assert_eq!(parsed.syntax().to_string(), text, "the tree does not print back the input");
    for error in parsed.errors() {
        let range = &error.range;
        assert!(range.start <= range.end && range.end <= text.len(), "syntax error {error:?} outside the text");
        assert!(text.is_char_boundary(range.start) && text.is_char_boundary(range.end), "{error:?}");
    }
});
