//! Cranelift set-up: the host's instruction set, a JIT module, and one function at a time.

use cranelift_codegen::ir::{AbiParam, Type, UserFuncName, Value};
use cranelift_codegen::settings::{self, Configurable};
use cranelift_codegen::Context;
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};
use cranelift_jit::{JITBuilder, JITModule};
use cranelift_module::{default_libcall_names, Module};

use super::call::{Code, Shape};
use super::JitError;

/// Builds the functions of one [`Code`].
pub(super) struct Backend {
    code: Code,
    ctx: Context,
    builder_ctx: FunctionBuilderContext,
}

impl Backend {
    /// A module for the host processor, optimising for speed. Errors: the host is not supported
    /// by Cranelift or rejects the settings.
    pub(super) fn new() -> Result<Self, JitError> {
        let mut flags = settings::builder();
        for (name, value) in [
            ("opt_level", "speed"),
            ("is_pic", "false"),
            ("use_colocated_libcalls", "false"),
            ("enable_verifier", if cfg!(debug_assertions) { "true" } else { "false" }),
        ] {
            flags.set(name, value).map_err(|e| JitError::UnsupportedHost(e.to_string()))?;
        }
        let isa = cranelift_native::builder()
            .map_err(|e| JitError::UnsupportedHost(e.to_string()))?
            .finish(settings::Flags::new(flags))
            .map_err(|e| JitError::UnsupportedHost(e.to_string()))?;
        let module = JITModule::new(JITBuilder::with_isa(isa, default_libcall_names()));
        let ctx = module.make_context();
        Ok(Backend { code: Code::new(module), ctx, builder_ctx: FunctionBuilderContext::new() })
    }

    /// Defines a function with the given parameter and return types; `body` fills it in (it
    /// receives the builder positioned in the entry block and the parameter values, must end the
    /// function with a return, and says what the function expects of its arguments). Returns the
    /// function's index in the finished [`Code`].
    pub(super) fn define(
        &mut self,
        params: &[Type],
        returns: &[Type],
        body: impl FnOnce(&mut FunctionBuilder, &[Value]) -> Shape,
    ) -> Result<usize, JitError> {
        let module = self.code.module();
        module.clear_context(&mut self.ctx);
        let sig = &mut self.ctx.func.signature;
        sig.params.extend(params.iter().map(|&t| AbiParam::new(t)));
        sig.returns.extend(returns.iter().map(|&t| AbiParam::new(t)));
        let id = module
            .declare_anonymous_function(&self.ctx.func.signature)
            .map_err(|e| JitError::Codegen(e.to_string()))?;
        self.ctx.func.name = UserFuncName::user(0, id.as_u32());
        let shape = {
            let mut b = FunctionBuilder::new(&mut self.ctx.func, &mut self.builder_ctx);
            let entry = b.create_block();
            b.append_block_params_for_function_params(entry);
            b.switch_to_block(entry);
            let args = b.block_params(entry).to_vec();
            let shape = body(&mut b, &args);
            b.seal_all_blocks();
            b.finalize();
            shape
        };
        module.define_function(id, &mut self.ctx).map_err(|e| JitError::Codegen(format!("{e:?}")))?;
        Ok(self.code.register(id, shape))
    }

    /// Finalizes every defined function. Errors: the code could not be mapped executable.
    pub(super) fn finish(mut self) -> Result<Code, JitError> {
        self.code.finalize()?;
        Ok(self.code)
    }
}
