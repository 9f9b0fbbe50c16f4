//! Reading specs and the files they name from disk.

use std::path::{Path, PathBuf};

use qdf_compiler::FileLoader;

/// Loads files relative to the directory of the spec being compiled.
pub struct DiskLoader {
    base: PathBuf,
}

impl DiskLoader {
    pub fn for_spec(spec: &Path) -> Self {
        let base = spec.parent().map(Path::to_path_buf).unwrap_or_default();
        DiskLoader { base }
    }
}

impl FileLoader for DiskLoader {
    fn load(&self, path: &str) -> Result<String, String> {
        std::fs::read_to_string(self.base.join(path)).map_err(|e| e.to_string())
    }
}

/// Reads a spec, or says why it cannot be read.
pub fn read_spec(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}
