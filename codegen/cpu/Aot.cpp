//===- Aot.cpp - A model as a native object and a C header ----------------===//
//
// The object holds the lowered forward (every function internal, so two
// models link into one program), the weights as private constants, and the
// C API written directly in LLVM IR: it checks its arguments, so a bad call
// returns an error code instead of crashing, and passes each buffer's
// pointer to the compiled code (the shapes are in its types).
//
//===----------------------------------------------------------------------===//
#include "kiln/codegen/cpu/Aot.h"
#include "kiln/codegen/cpu/Jit.h"
#include "kiln/codegen/cpu/Object.h"
#include "kiln/ir/KilnDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Target/TargetMachine.h"

#include <functional>
#include <set>
#include <sstream>

namespace kiln::codegen {

namespace {

/// The error codes of the C API, as the header defines them.
enum AotStatus : int32_t {
  kOk = 0,
  kBadArgument = 1,
  kOutOfMemory = 2,
  kWeightsUnreadable = 3,
  kWeightsMismatch = 4,
};

/// An input, output or weight of the compiled function.
struct Buffer {
  std::string name;  ///< as the model names it
  std::string cName; ///< a C identifier for the header
  llvm::SmallVector<int64_t> shape;
  mlir::Type element;
  int64_t bytes = 0;
};

int64_t roundUp(int64_t bytes) { return (bytes + 63) / 64 * 64; }

/// `name` as a C identifier, unique among `used`; a C keyword gets a
/// trailing underscore.
std::string cIdentifier(llvm::StringRef name, std::set<std::string> &used) {
  static const std::set<std::string> keywords = {
      "auto",     "break",    "case",     "char",   "const",   "continue",
      "default",  "do",       "double",   "else",   "enum",    "extern",
      "float",    "for",      "goto",     "if",     "inline",  "int",
      "long",     "register", "restrict", "return", "short",   "signed",
      "sizeof",   "static",   "struct",   "switch", "typedef", "union",
      "unsigned", "void",     "volatile", "while",  "bool",    "true",
      "false"};
  std::string id;
  for (char c : name)
    id += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  if (id.empty() || std::isdigit(static_cast<unsigned char>(id[0])))
    id = "_" + id;
  if (keywords.count(id))
    id += "_";
  std::string unique = id;
  for (int i = 2; !used.insert(unique).second; ++i)
    unique = id + "_" + std::to_string(i);
  return unique;
}

/// `name` for a C comment: printable ASCII, and never a `*/` that would end
/// the comment nor a `/*` that compilers warn of (model files hold only
/// printable names; this holds whatever reaches it).
std::string commentText(llvm::StringRef name) {
  std::string text;
  for (size_t i = 0; i < name.size(); ++i) {
    unsigned char c = name[i];
    if (c < 0x20 || c > 0x7e)
      text += llvm::formatv("\\x{0:x-2}", unsigned(c)).str();
    else if (c == '*' && i + 1 < name.size() && name[i + 1] == '/')
      text += "*\\";
    else if (c == '/' && i + 1 < name.size() && name[i + 1] == '*')
      text += "/\\";
    else
      text += static_cast<char>(c);
  }
  return text;
}

/// The C type and the dtype name of an element type, or nulls.
std::pair<const char *, const char *> cType(mlir::Type t) {
  if (t.isF32())
    return {"float", "float32"};
  if (t.isF64())
    return {"double", "float64"};
  if (t.isF16())
    return {"uint16_t", "float16"};
  if (t.isBF16())
    return {"uint16_t", "bfloat16"};
  if (t.isInteger(64))
    return {"int64_t", "int64"};
  if (t.isInteger(32))
    return {"int32_t", "int32"};
  if (t.isInteger(16))
    return {"int16_t", "int16"};
  if (t.isInteger(8))
    return {"int8_t", "int8"};
  if (t.isInteger(1))
    return {"uint8_t", "bool"};
  return {nullptr, nullptr};
}

/// Reads a buffer's description from a tensor type; false if unsupported.
bool describeBuffer(mlir::Type type, Buffer &buffer) {
  auto tensor = llvm::dyn_cast<mlir::RankedTensorType>(type);
  if (!tensor || !tensor.hasStaticShape() ||
      !cType(tensor.getElementType()).first)
    return false;
  buffer.shape.assign(tensor.getShape().begin(), tensor.getShape().end());
  buffer.element = tensor.getElementType();
  int64_t elementBytes = (tensor.getElementTypeBitWidth() + 7) / 8;
  buffer.bytes = tensor.getNumElements() * elementBytes;
  return true;
}

std::string shapeText(llvm::ArrayRef<int64_t> shape) {
  std::string text = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + "]";
}

/// The header: error codes, shapes as constants, and the API.
std::string writeHeader(const AotOptions &options,
                        llvm::ArrayRef<Buffer> inputs,
                        llvm::ArrayRef<Buffer> outputs, int64_t workspace,
                        int64_t modelBytes) {
  const std::string &p = options.prefix;
  std::string P = llvm::StringRef(p).upper();
  std::ostringstream h;
  h << "/* " << p << ".h: the C API of " << p
    << ".o, a model compiled ahead of time by `kiln compile`.\n"
    << " *\n"
    << " * Link: cc app.c " << p << ".o "
    << (options.runtimeCalls
            ? "libKilnRuntime.a -ldnnl -lgomp -lstdc++ -lm\n"
              " * (Kiln's static runtime: oneDNN contractions and "
              "OMP_NUM_THREADS threads).\n"
            : "-lm\n"
              " * (built with --no-library-calls: nothing but libc and libm, "
              "one thread).\n")
    << " *\n"
    << " * Every function returns " << P
    << "_OK or an error code and never aborts. Buffers are\n"
    << " * dense and row-major, with the shapes below. A model handle runs "
       "one call at\n"
    << " * a time: use one per thread.\n */\n"
    << "#ifndef " << P << "_H\n#define " << P << "_H\n\n"
    << "#include <stddef.h>\n#include <stdint.h>\n\n"
    << "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n"
    << "#define " << P << "_OK 0\n"
    << "#define " << P << "_ERROR_ARGUMENT " << kBadArgument
    << "       /* a null pointer, a misaligned workspace */\n"
    << "#define " << P << "_ERROR_OUT_OF_MEMORY " << kOutOfMemory << "\n";
  if (options.externalWeights)
    h << "#define " << P << "_ERROR_WEIGHTS_UNREADABLE " << kWeightsUnreadable
      << " /* the weights file cannot be opened */\n"
      << "#define " << P << "_ERROR_WEIGHTS_MISMATCH " << kWeightsMismatch
      << "   /* truncated, or not this model's weights */\n";
  h << "\n";
  auto constants = [&](const char *kind, size_t i, const Buffer &b) {
    std::string M = P + "_" + kind + std::to_string(i);
    h << "/* " << llvm::StringRef(kind).lower() << " " << i << ": \""
      << commentText(b.name) << "\", " << cType(b.element).second << " "
      << shapeText(b.shape) << " */\n"
      << "#define " << M << "_RANK " << b.shape.size() << "\n"
      << "#define " << M << "_NUMEL "
      << b.bytes / ((b.element.getIntOrFloatBitWidth() + 7) / 8) << "\n"
      << "static const int64_t " << M << "_SHAPE["
      << std::max<size_t>(b.shape.size(), 1) << "] = {";
    for (size_t d = 0; d < b.shape.size(); ++d)
      h << (d ? ", " : "") << b.shape[d];
    if (b.shape.empty())
      h << "1";
    h << "};\n";
  };
  h << "#define " << P << "_NUM_INPUTS " << inputs.size() << "\n"
    << "#define " << P << "_NUM_OUTPUTS " << outputs.size() << "\n";
  for (size_t i = 0; i < inputs.size(); ++i)
    constants("INPUT", i, inputs[i]);
  for (size_t i = 0; i < outputs.size(); ++i)
    constants("OUTPUT", i, outputs[i]);
  h << "/* The temporaries of one call, planned ahead of time. */\n"
    << "#define " << P << "_WORKSPACE_BYTES " << workspace << "\n"
    << "/* What " << p << "_create allocates, once. */\n"
    << "#define " << P << "_MODEL_BYTES " << modelBytes << "\n\n";

  std::string params;
  for (const Buffer &b : inputs)
    params += std::string(", const ") + cType(b.element).first + " *" + b.cName;
  for (const Buffer &b : outputs)
    params += std::string(", ") + cType(b.element).first + " *" + b.cName;

  h << "typedef struct " << p << "_model " << p << "_model;\n\n";
  if (options.externalWeights)
    h << "/* Allocates a model and reads its weights from `weights_path` (the "
         "exported\n * weights.safetensors): one allocation, no other. */\n"
      << "int " << p << "_create(" << p
      << "_model **model, const char *weights_path);\n";
  else
    h << "/* Allocates a model (its workspace): the one allocation. */\n"
      << "int " << p << "_create(" << p << "_model **model);\n";
  h << "/* Runs the model: reads the inputs, writes the outputs, allocates "
       "nothing. */\n"
    << "int " << p << "_run(" << p << "_model *model" << params << ");\n"
    << "/* Frees a model (null is allowed). */\n"
    << "void " << p << "_destroy(" << p << "_model *model);\n";
  if (!options.externalWeights)
    h << "/* Runs with a caller-provided workspace of " << P
      << "_WORKSPACE_BYTES bytes,\n * 64-byte aligned; no handle at all. */\n"
      << "int " << p << "_run_with_workspace(void *workspace" << params
      << ");\n";
  h << "\nstatic inline const char *" << p << "_error_string(int code) {\n"
    << "  switch (code) {\n"
    << "  case " << P << "_OK: return \"success\";\n"
    << "  case " << P
    << "_ERROR_ARGUMENT: return \"a null pointer argument\";\n"
    << "  case " << P << "_ERROR_OUT_OF_MEMORY: return \"out of memory\";\n";
  if (options.externalWeights)
    h << "  case " << P
      << "_ERROR_WEIGHTS_UNREADABLE: return \"the weights file cannot be "
         "opened\";\n"
      << "  case " << P
      << "_ERROR_WEIGHTS_MISMATCH: return \"the weights file is truncated "
         "or belongs to another model\";\n";
  h << "  default: return \"unknown error\";\n  }\n}\n\n"
    << "#ifdef __cplusplus\n}\n#endif\n\n#endif /* " << P << "_H */\n";
  return h.str();
}

/// Writes the C API into `module` around the compiled forward `<name>`.
class ApiWriter {
public:
  ApiWriter(llvm::Module &module, const AotOptions &options,
            llvm::ArrayRef<Buffer> inputs, llvm::ArrayRef<Buffer> weights,
            llvm::ArrayRef<AotWeight> weightData,
            llvm::ArrayRef<Buffer> outputs, int64_t workspace)
      : m(module), ctx(module.getContext()), options(options), inputs(inputs),
        weights(weights), weightData(weightData), outputs(outputs) {
    ptr = llvm::PointerType::getUnqual(ctx);
    i64 = llvm::Type::getInt64Ty(ctx);
    i32 = llvm::Type::getInt32Ty(ctx);
    i8 = llvm::Type::getInt8Ty(ctx);
    int64_t offset = roundUp(workspace);
    for (const Buffer &w : weights) {
      weightOffsets.push_back(offset);
      offset += roundUp(w.bytes);
    }
    modelBytes = options.externalWeights
                     ? std::max<int64_t>(offset, 64)
                     : std::max<int64_t>(roundUp(workspace), 64);
  }

  int64_t modelBytes = 0;

  bool write(llvm::Function *forward, std::string &error) {
    if (!options.externalWeights)
      embedWeights();
    llvm::Function *invoke = writeInvoke(forward, error);
    if (!invoke)
      return false;
    writeCreate();
    writeRun(invoke, /*withWorkspace=*/false);
    if (!options.externalWeights)
      writeRun(invoke, /*withWorkspace=*/true);
    writeDestroy();
    return true;
  }

private:
  llvm::Module &m;
  llvm::LLVMContext &ctx;
  const AotOptions &options;
  llvm::ArrayRef<Buffer> inputs, weights;
  llvm::ArrayRef<AotWeight> weightData;
  llvm::ArrayRef<Buffer> outputs;
  llvm::SmallVector<int64_t> weightOffsets;
  llvm::SmallVector<llvm::GlobalVariable *> weightGlobals;
  llvm::Type *ptr, *i64, *i32, *i8;

  std::string symbol(llvm::StringRef suffix) {
    return options.prefix + "_" + suffix.str();
  }

  llvm::FunctionCallee libc(llvm::StringRef name, llvm::Type *result,
                            llvm::ArrayRef<llvm::Type *> params) {
    return m.getOrInsertFunction(
        name, llvm::FunctionType::get(result, params, false));
  }

  llvm::Constant *constant(int64_t v) { return llvm::ConstantInt::get(i64, v); }
  llvm::Constant *status(int32_t v) { return llvm::ConstantInt::get(i32, v); }

  void embedWeights() {
    for (size_t i = 0; i < weights.size(); ++i) {
      llvm::StringRef bytes = weightData[i].bytes;
      auto *type = llvm::ArrayType::get(i8, bytes.size());
      llvm::Constant *init =
          bytes.empty()
              ? static_cast<llvm::Constant *>(
                    llvm::ConstantAggregateZero::get(type))
              : llvm::ConstantDataArray::getRaw(bytes, bytes.size(), i8);
      auto *global = new llvm::GlobalVariable(
          m, type, /*isConstant=*/true, llvm::GlobalValue::PrivateLinkage, init,
          symbol("weight_" + std::to_string(i)));
      global->setAlignment(llvm::Align(64));
      global->setUnnamedAddr(llvm::GlobalValue::UnnamedAddr::Global);
      weightGlobals.push_back(global);
    }
  }

  /// `void invoke(arena, model, inputs..., outputs...)`: calls the forward.
  llvm::Function *writeInvoke(llvm::Function *forward, std::string &error) {
    llvm::SmallVector<llvm::Type *> params(2 + inputs.size() + outputs.size(),
                                           ptr);
    auto *fn = llvm::Function::Create(
        llvm::FunctionType::get(llvm::Type::getVoidTy(ctx), params, false),
        llvm::GlobalValue::InternalLinkage, symbol("invoke"), m);
    llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx, "entry", fn));
    // The forward takes each buffer's data pointer: inputs, weights,
    // outputs, then the workspace.
    llvm::SmallVector<llvm::Value *> buffers;
    size_t arg = 2;
    for (size_t i = 0; i < inputs.size(); ++i)
      buffers.push_back(fn->getArg(arg++));
    for (size_t i = 0; i < weights.size(); ++i)
      buffers.push_back(options.externalWeights
                            ? b.CreateConstInBoundsGEP1_64(i8, fn->getArg(1),
                                                           weightOffsets[i])
                            : static_cast<llvm::Value *>(weightGlobals[i]));
    for (size_t i = 0; i < outputs.size(); ++i)
      buffers.push_back(fn->getArg(arg++));
    buffers.push_back(fn->getArg(0));
    if (forward->arg_size() != buffers.size() ||
        !llvm::all_of(forward->args(), [](llvm::Argument &a) {
          return a.getType()->isPointerTy();
        })) {
      error = "the compiled forward takes " +
              std::to_string(forward->arg_size()) + " arguments, expected " +
              std::to_string(buffers.size()) + " buffer pointers";
      return nullptr;
    }
    b.CreateCall(forward, buffers);
    b.CreateRetVoid();
    return fn;
  }

  /// Returns `code` from a new block; `cleanup` runs first.
  llvm::BasicBlock *
  failure(llvm::Function *fn, int32_t code,
          const std::function<void(llvm::IRBuilder<> &)> &cleanup = nullptr) {
    auto *block = llvm::BasicBlock::Create(ctx, "fail", fn);
    llvm::IRBuilder<> b(block);
    if (cleanup)
      cleanup(b);
    b.CreateRet(status(code));
    return block;
  }

  /// Continues at a new block when `ok`, else branches to `fail`.
  void check(llvm::IRBuilder<> &b, llvm::Value *ok, llvm::BasicBlock *fail) {
    auto *next =
        llvm::BasicBlock::Create(ctx, "ok", b.GetInsertBlock()->getParent());
    b.CreateCondBr(ok, next, fail);
    b.SetInsertPoint(next);
  }

  llvm::Value *allNonNull(llvm::IRBuilder<> &b,
                          llvm::ArrayRef<llvm::Value *> pointers) {
    llvm::Value *ok = b.getTrue();
    for (llvm::Value *p : pointers)
      ok = b.CreateAnd(ok, b.CreateIsNotNull(p));
    return ok;
  }

  void writeCreate() {
    llvm::SmallVector<llvm::Type *> params = {ptr};
    if (options.externalWeights)
      params.push_back(ptr);
    auto *fn = llvm::Function::Create(
        llvm::FunctionType::get(i32, params, false),
        llvm::GlobalValue::ExternalLinkage, symbol("create"), m);
    llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx, "entry", fn));
    llvm::Value *out = fn->getArg(0);
    llvm::SmallVector<llvm::Value *> args;
    for (llvm::Argument &a : fn->args())
      args.push_back(&a);
    check(b, allNonNull(b, args), failure(fn, kBadArgument));
    b.CreateStore(
        llvm::ConstantPointerNull::get(llvm::cast<llvm::PointerType>(ptr)),
        out);
    auto alignedAlloc = libc("aligned_alloc", ptr, {i64, i64});
    auto free = libc("free", llvm::Type::getVoidTy(ctx), {ptr});
    llvm::Value *block =
        b.CreateCall(alignedAlloc, {constant(64), constant(modelBytes)});
    check(b, b.CreateIsNotNull(block), failure(fn, kOutOfMemory));
    if (options.externalWeights)
      readWeights(b, fn, block, fn->getArg(1), free);
    b.CreateStore(block, out);
    b.CreateRet(status(kOk));
  }

  /// Reads the weights file into the model block after its workspace.
  void readWeights(llvm::IRBuilder<> &b, llvm::Function *fn, llvm::Value *block,
                   llvm::Value *path, llvm::FunctionCallee free) {
    auto fopen = libc("fopen", ptr, {ptr, ptr});
    auto fclose = libc("fclose", i32, {ptr});
    auto fread = libc("fread", i64, {ptr, i64, i64, ptr});
    auto fseek = libc("fseek", i32, {ptr, i64, i32});
    auto malloc = libc("malloc", ptr, {i64});
    auto memcmp = libc("memcmp", i32, {ptr, ptr, i64});

    llvm::Value *file =
        b.CreateCall(fopen, {path, b.CreateGlobalStringPtr("rb")});
    check(b, b.CreateIsNotNull(file),
          failure(fn, kWeightsUnreadable,
                  [&](llvm::IRBuilder<> &c) { c.CreateCall(free, {block}); }));
    auto closeAndFree = [&](llvm::IRBuilder<> &c) {
      c.CreateCall(fclose, {file});
      c.CreateCall(free, {block});
    };
    llvm::BasicBlock *mismatch = failure(fn, kWeightsMismatch, closeAndFree);

    // The header must be the one compiled against, byte for byte.
    const std::string &expected = options.weightsHeader;
    int64_t headerBytes = static_cast<int64_t>(expected.size());
    llvm::Value *header = b.CreateCall(malloc, {constant(headerBytes)});
    check(b, b.CreateIsNotNull(header),
          failure(fn, kOutOfMemory, closeAndFree));
    llvm::Value *read =
        b.CreateCall(fread, {header, constant(1), constant(headerBytes), file});
    auto *expectedGlobal = new llvm::GlobalVariable(
        m, llvm::ArrayType::get(i8, expected.size()), true,
        llvm::GlobalValue::PrivateLinkage,
        llvm::ConstantDataArray::getRaw(expected, expected.size(), i8),
        symbol("weights_header"));
    llvm::Value *same = b.CreateICmpEQ(
        b.CreateCall(memcmp, {header, expectedGlobal, constant(headerBytes)}),
        status(0));
    llvm::Value *complete = b.CreateICmpEQ(read, constant(headerBytes));
    b.CreateCall(free, {header});
    check(b, b.CreateAnd(complete, same), mismatch);

    for (size_t i = 0; i < weights.size(); ++i) {
      const AotWeight &w = weightData[i];
      int64_t bytes = static_cast<int64_t>(w.end - w.begin);
      llvm::Value *seek = b.CreateCall(
          fseek, {file, constant(headerBytes + static_cast<int64_t>(w.begin)),
                  status(0) /*SEEK_SET*/});
      check(b, b.CreateICmpEQ(seek, status(0)), mismatch);
      llvm::Value *dest =
          b.CreateConstInBoundsGEP1_64(i8, block, weightOffsets[i]);
      llvm::Value *got =
          b.CreateCall(fread, {dest, constant(1), constant(bytes), file});
      check(b, b.CreateICmpEQ(got, constant(bytes)), mismatch);
    }
    b.CreateCall(fclose, {file});
  }

  /// `run(model, inputs..., outputs...)` or
  /// `run_with_workspace(workspace, inputs..., outputs...)`.
  void writeRun(llvm::Function *invoke, bool withWorkspace) {
    llvm::SmallVector<llvm::Type *> params(1 + inputs.size() + outputs.size(),
                                           ptr);
    auto *fn = llvm::Function::Create(
        llvm::FunctionType::get(i32, params, false),
        llvm::GlobalValue::ExternalLinkage,
        symbol(withWorkspace ? "run_with_workspace" : "run"), m);
    llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx, "entry", fn));
    llvm::SmallVector<llvm::Value *> args;
    for (llvm::Argument &a : fn->args())
      args.push_back(&a);
    check(b, allNonNull(b, args), failure(fn, kBadArgument));
    // The plan's offsets are multiples of 64 from a 64-byte aligned base.
    if (withWorkspace)
      check(b,
            b.CreateICmpEQ(
                b.CreateAnd(b.CreatePtrToInt(fn->getArg(0), i64), constant(63)),
                constant(0)),
            failure(fn, kBadArgument));
    llvm::SmallVector<llvm::Value *> call = {fn->getArg(0), fn->getArg(0)};
    call.append(args.begin() + 1, args.end());
    b.CreateCall(invoke, call);
    b.CreateRet(status(kOk));
  }

  void writeDestroy() {
    auto *fn = llvm::Function::Create(
        llvm::FunctionType::get(llvm::Type::getVoidTy(ctx), {ptr}, false),
        llvm::GlobalValue::ExternalLinkage, symbol("destroy"), m);
    llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx, "entry", fn));
    b.CreateCall(libc("free", llvm::Type::getVoidTy(ctx), {ptr}),
                 {fn->getArg(0)});
    b.CreateRetVoid();
  }
};

} // namespace

std::optional<AotArtifacts> compileAot(mlir::ModuleOp module,
                                       llvm::StringRef name,
                                       llvm::ArrayRef<AotWeight> weightData,
                                       const AotOptions &options,
                                       std::string &error) {
  auto fn = module.lookupSymbol<mlir::func::FuncOp>(name);
  if (!fn || fn.isDeclaration()) {
    error = "the model has no function @" + name.str();
    return std::nullopt;
  }
  std::set<std::string> used = {"model", "workspace", "weights_path"};
  llvm::SmallVector<Buffer> inputs, weights, outputs;
  for (unsigned i = 0; i < fn.getNumArguments(); ++i) {
    Buffer buffer;
    auto input = fn.getArgAttrOfType<mlir::StringAttr>(
        i, ir::InputNameAttr::getNameStr());
    auto weight = fn.getArgAttrOfType<mlir::StringAttr>(
        i, ir::WeightNameAttr::getNameStr());
    if (!input && !weight) {
      error = "argument " + std::to_string(i) + " of @" + name.str() +
              " is neither a kiln.input nor a kiln.weight";
      return std::nullopt;
    }
    if (input && !weights.empty()) {
      error = "input '" + input.str() + "' follows a weight: inputs come first";
      return std::nullopt;
    }
    buffer.name = (input ? input : weight).str();
    if (!describeBuffer(fn.getArgumentTypes()[i], buffer)) {
      error = "'" + buffer.name + "' has a type the C API cannot pass";
      return std::nullopt;
    }
    if (input)
      buffer.cName = cIdentifier(buffer.name, used);
    (input ? inputs : weights).push_back(std::move(buffer));
  }
  for (unsigned i = 0; i < fn.getNumResults(); ++i) {
    Buffer buffer;
    auto output = fn.getResultAttrOfType<mlir::StringAttr>(
        i, ir::OutputNameAttr::getNameStr());
    buffer.name = output ? output.str() : "output" + std::to_string(i);
    if (!describeBuffer(fn.getResultTypes()[i], buffer)) {
      error = "output '" + buffer.name + "' has a type the C API cannot pass";
      return std::nullopt;
    }
    buffer.cName = cIdentifier(buffer.name, used);
    outputs.push_back(std::move(buffer));
  }
  if (weightData.size() != weights.size()) {
    error = "@" + name.str() + " takes " + std::to_string(weights.size()) +
            " weights, given " + std::to_string(weightData.size());
    return std::nullopt;
  }
  AotArtifacts artifacts;
  for (size_t i = 0; i < weights.size(); ++i) {
    int64_t given =
        options.externalWeights
            ? static_cast<int64_t>(weightData[i].end - weightData[i].begin)
            : static_cast<int64_t>(weightData[i].bytes.size());
    if (given != weights[i].bytes) {
      error = "weight '" + weights[i].name + "' has " + std::to_string(given) +
              " bytes, the model takes " + std::to_string(weights[i].bytes);
      return std::nullopt;
    }
    artifacts.weightBytes += given;
  }

  auto machine = targetMachine(options.target);
  if (!machine) {
    error = llvm::toString(machine.takeError());
    return std::nullopt;
  }
  CodegenOptions codegen;
  codegen.runtimeCalls = options.runtimeCalls;
  if (mlir::failed(lowerToLLVMDialect(module, codegen))) {
    error = "lowering @" + name.str() + " to LLVM failed";
    return std::nullopt;
  }
  auto lowered = module.lookupSymbol<mlir::LLVM::LLVMFuncOp>(name);
  std::optional<ir::MemoryPlanAttrs> plan =
      lowered ? ir::MemoryPlanAttrs::read(lowered) : std::nullopt;
  if (!plan) {
    error = "@" + name.str() + " has no memory plan";
    return std::nullopt;
  }
  artifacts.workspaceBytes = plan->arenaBytes;

  llvm::LLVMContext context;
  std::unique_ptr<llvm::Module> llvmModule =
      mlir::translateModuleToLLVMIR(module, context, options.prefix);
  if (!llvmModule) {
    error = "translating to LLVM IR failed";
    return std::nullopt;
  }
  llvm::Function *forward = llvmModule->getFunction(name);
  if (!forward) {
    error = "no function @" + name.str() + " after lowering";
    return std::nullopt;
  }
  // Only the C API is visible: two models link into one program, and the
  // optimizer may inline the whole forward into it.
  for (llvm::Function &f : *llvmModule)
    if (!f.isDeclaration())
      f.setLinkage(llvm::GlobalValue::InternalLinkage);
  for (llvm::GlobalVariable &g : llvmModule->globals())
    if (!g.isDeclaration())
      g.setLinkage(llvm::GlobalValue::InternalLinkage);
  ApiWriter writer(*llvmModule, options, inputs, weights, weightData, outputs,
                   artifacts.workspaceBytes);
  if (!writer.write(forward, error))
    return std::nullopt;
  // Without the runtime, vector math stays scalar libm calls: libmvec is a
  // library of its own.
  std::optional<std::string> object = optimizeAndEmit(
      *llvmModule, **machine, /*vectorMath=*/options.runtimeCalls, error);
  if (!object)
    return std::nullopt;
  artifacts.object = std::move(*object);
  artifacts.header = writeHeader(options, inputs, outputs,
                                 artifacts.workspaceBytes, writer.modelBytes);
  return artifacts;
}

} // namespace kiln::codegen
