//===- Object.cpp - Native objects: emission, loading, the disk cache -----===//
#include "kiln/codegen/cpu/Object.h"
#include "kiln/runtime/AtomicFile.h"
#include "kiln/runtime/Onednn.h"
#include "kiln/runtime/Parallel.h"
#include "kiln/runtime/System.h"

#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Analysis/TargetLibraryInfo.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/ExecutionEngine/Orc/ExecutionUtils.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/ExecutionEngine/Orc/LLJIT.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/Object/ObjectFile.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/DynamicLibrary.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SHA256.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/TargetParser/Host.h"

#include <algorithm>
#include <atomic>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>

#include <dlfcn.h>
#include <sys/stat.h>
#include <unistd.h>

namespace kiln::codegen {

namespace {

void initializeNativeTarget() {
  static std::once_flag once;
  std::call_once(once, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
  });
}

/// `_kiln_packed_<name>(void **args)`: calls `<name>` with args[0],
/// args[1], ... (each slot holds a buffer's data pointer).
void addPackedEntry(llvm::Function &target) {
  llvm::Module &module = *target.getParent();
  llvm::LLVMContext &context = module.getContext();
  auto *ptr = llvm::PointerType::getUnqual(context);
  auto *packed = llvm::Function::Create(
      llvm::FunctionType::get(llvm::Type::getVoidTy(context), {ptr}, false),
      llvm::GlobalValue::ExternalLinkage,
      ("_kiln_packed_" + target.getName()).str(), module);
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(context, "entry", packed));
  llvm::SmallVector<llvm::Value *> args;
  for (llvm::Argument &arg : target.args())
    args.push_back(b.CreateLoad(
        ptr, b.CreateConstGEP1_64(ptr, packed->getArg(0), arg.getArgNo())));
  b.CreateCall(&target, args);
  b.CreateRetVoid();
}

std::string hex(llvm::ArrayRef<uint8_t> bytes) {
  static const char digits[] = "0123456789abcdef";
  std::string text;
  for (uint8_t byte : bytes) {
    text += digits[byte >> 4];
    text += digits[byte & 15];
  }
  return text;
}

std::array<uint8_t, 32> sha256(llvm::StringRef text) {
  return llvm::SHA256::hash(llvm::ArrayRef<uint8_t>(
      reinterpret_cast<const uint8_t *>(text.data()), text.size()));
}

// An entry: magic, schema, the key's digest, the plan, the donations (a
// count, then the values), the object's size,
// the object, then the SHA-256 of everything before it. The schema also
// names the entry's calling convention (3: a data pointer per buffer).
constexpr char kMagic[8] = {'K', 'I', 'L', 'N', 'O', 'B', 'J', '\0'};
constexpr uint32_t kSchema = 3;

template <typename T> void put(std::string &out, T value) {
  out.append(reinterpret_cast<const char *>(&value), sizeof value);
}

template <typename T> bool get(llvm::StringRef &in, T &value) {
  if (in.size() < sizeof value)
    return false;
  std::memcpy(&value, in.data(), sizeof value);
  in = in.drop_front(sizeof value);
  return true;
}

} // namespace

llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
targetMachine(llvm::StringRef cpu) {
  initializeNativeTarget();
  auto builder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!builder)
    return builder.takeError();
  if (cpu != "host") {
    builder->setCPU(cpu.str());
    builder->getFeatures() = llvm::SubtargetFeatures();
  }
  builder->setRelocationModel(llvm::Reloc::PIC_);
  builder->setCodeGenOptLevel(llvm::CodeGenOptLevel::Aggressive);
  auto machine = builder->createTargetMachine();
  if (machine && cpu != "host" &&
      !(*machine)->getMCSubtargetInfo()->isCPUStringValid(cpu))
    return llvm::createStringError(
        "unknown CPU '" + cpu.str() +
        "': use host or an x86-64 CPU name such as x86-64-v3 or znver3");
  return machine;
}

std::optional<std::string> optimizeAndEmit(llvm::Module &module,
                                           llvm::TargetMachine &machine,
                                           bool vectorMath,
                                           std::string &error) {
  module.setDataLayout(machine.createDataLayout());
  module.setTargetTriple(machine.getTargetTriple().str());

  // LLVM's O3 pipeline, optionally with glibc's vector math library
  // (libmvec) known to the loop vectorizer: a loop that calls expf, tanhf or
  // logf then vectorizes into calls of their vector forms.
  llvm::LoopAnalysisManager loops;
  llvm::FunctionAnalysisManager functions;
  llvm::CGSCCAnalysisManager cgscc;
  llvm::ModuleAnalysisManager modules;
  llvm::PipelineTuningOptions tuning;
  tuning.LoopVectorization = true;
  tuning.SLPVectorization = true;
  llvm::PassBuilder builder(&machine, tuning);
  llvm::Triple triple(module.getTargetTriple());
  llvm::TargetLibraryInfoImpl library(triple);
  if (vectorMath)
    library.addVectorizableFunctionsFromVecLib(
        llvm::TargetLibraryInfoImpl::LIBMVEC_X86, triple);
  functions.registerPass([&] { return llvm::TargetLibraryAnalysis(library); });
  builder.registerModuleAnalyses(modules);
  builder.registerCGSCCAnalyses(cgscc);
  builder.registerFunctionAnalyses(functions);
  builder.registerLoopAnalyses(loops);
  builder.crossRegisterProxies(loops, functions, cgscc, modules);
  builder.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O3)
      .run(module, modules);

  llvm::SmallVector<char, 0> buffer;
  llvm::raw_svector_ostream os(buffer);
  llvm::legacy::PassManager passes;
  if (machine.addPassesToEmitFile(passes, os, nullptr,
                                  llvm::CodeGenFileType::ObjectFile)) {
    error = "the target cannot emit object files";
    return std::nullopt;
  }
  passes.run(module);
  return std::string(buffer.begin(), buffer.end());
}

std::optional<std::string>
emitObject(mlir::ModuleOp module, llvm::StringRef name, std::string &error) {
  llvm::LLVMContext context;
  std::unique_ptr<llvm::Module> llvmModule =
      mlir::translateModuleToLLVMIR(module, context);
  if (!llvmModule) {
    error = "translating to LLVM IR failed";
    return std::nullopt;
  }
  llvm::Function *entry = llvmModule->getFunction(name);
  if (!entry || !llvm::all_of(entry->args(), [](llvm::Argument &arg) {
        return arg.getType()->isPointerTy();
      })) {
    error = "@" + name.str() + " does not take its buffers as pointers";
    return std::nullopt;
  }
  addPackedEntry(*entry);
  // Only the packed entry is called from outside; inlined into it, the
  // function's pointers are loads, never a call of a thousand arguments.
  entry->setLinkage(llvm::GlobalValue::InternalLinkage);
  entry->removeFnAttr(llvm::Attribute::NoInline);
  entry->addFnAttr(llvm::Attribute::AlwaysInline);
  auto machine = targetMachine("host");
  if (!machine) {
    error = llvm::toString(machine.takeError());
    return std::nullopt;
  }
  return optimizeAndEmit(*llvmModule, **machine, /*vectorMath=*/true, error);
}

bool isRuntimeLibrarySymbol(llvm::StringRef name) {
  static const llvm::StringSet<> math = [] {
    llvm::StringSet<> set;
    for (const char *f :
         {"exp",   "exp2",  "expm1", "log",       "log2",      "log10", "log1p",
          "pow",   "sqrt",  "cbrt",  "sin",       "cos",       "tan",   "asin",
          "acos",  "atan",  "atan2", "sinh",      "cosh",      "tanh",  "asinh",
          "acosh", "atanh", "erf",   "erfc",      "fabs",      "floor", "ceil",
          "round", "trunc", "rint",  "nearbyint", "fmod",      "fmin",  "fmax",
          "fma",   "hypot", "ldexp", "copysign",  "roundeven", "sincos"}) {
      set.insert(f);
      set.insert(std::string(f) + "f");
    }
    return set;
  }();
  static const llvm::StringSet<> other = {
      "memcpy",       "memmove",        "memset",        "malloc",
      "free",         "aligned_alloc",  "__truncsfhf2",  "__extendhfsf2",
      "__truncdfhf2", "__truncsfbf2",   "__truncdfbf2",  "__powisf2",
      "__powidf2",    "__gnu_h2f_ieee", "__gnu_f2h_ieee"};
  if (math.contains(name) || other.contains(name))
    return true;
  // libmvec's vector variants: _ZGV<isa><mask><lanes><args>_<function>.
  if (name.consume_front("_ZGV")) {
    size_t underscore = name.find('_');
    return underscore != llvm::StringRef::npos &&
           math.contains(name.drop_front(underscore + 1));
  }
  return false;
}

std::unique_ptr<llvm::orc::LLJIT> loadObject(const std::string &object,
                                             std::string &error) {
  initializeNativeTarget();
  auto builder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!builder) {
    error = llvm::toString(builder.takeError());
    return nullptr;
  }
  // LLJIT links every JITDylib to one of the process's symbols; Kiln's
  // offers only what generated code calls: libm and libmvec's math, the C
  // library's memory functions and compiler-rt's conversions. An object
  // asking for anything else (system, say) fails to load.
  auto jit =
      llvm::orc::LLJITBuilder()
          .setJITTargetMachineBuilder(std::move(*builder))
          .setProcessSymbolsJITDylibSetup([](llvm::orc::LLJIT &j)
                                              -> llvm::Expected<
                                                  llvm::orc::JITDylibSP> {
            auto process =
                llvm::orc::DynamicLibrarySearchGenerator::GetForCurrentProcess(
                    j.getDataLayout().getGlobalPrefix(),
                    [](const llvm::orc::SymbolStringPtr &name) {
                      return isRuntimeLibrarySymbol(*name);
                    });
            if (!process)
              return process.takeError();
            llvm::orc::JITDylib &dylib =
                j.getExecutionSession().createBareJITDylib("<Process Symbols>");
            dylib.addGenerator(std::move(*process));
            return &dylib;
          })
          .create();
  if (!jit) {
    error = llvm::toString(jit.takeError());
    return nullptr;
  }
  llvm::orc::JITDylib &main = (*jit)->getMainJITDylib();
  // The runtime's entry points, then the process symbols above.
  llvm::orc::MangleAndInterner mangle((*jit)->getExecutionSession(),
                                      (*jit)->getDataLayout());
  llvm::orc::SymbolMap symbols;
  auto add = [&](const char *symbol, auto *fn) {
    symbols[mangle(symbol)] = {llvm::orc::ExecutorAddr::fromPtr(fn),
                               llvm::JITSymbolFlags::Exported};
  };
  add("_mlir_ciface_kiln_matmul_f32", &_mlir_ciface_kiln_matmul_f32);
  add("_mlir_ciface_kiln_batch_matmul_f32",
      &_mlir_ciface_kiln_batch_matmul_f32);
  add("_mlir_ciface_kiln_conv2d_f32", &_mlir_ciface_kiln_conv2d_f32);
  add("_mlir_ciface_kiln_matmul_epilogue_f32",
      &_mlir_ciface_kiln_matmul_epilogue_f32);
  add("_mlir_ciface_kiln_batch_matmul_epilogue_f32",
      &_mlir_ciface_kiln_batch_matmul_epilogue_f32);
  add("_mlir_ciface_kiln_conv2d_epilogue_f32",
      &_mlir_ciface_kiln_conv2d_epilogue_f32);
  add("kiln_parallel_for", &kiln_parallel_for);
  if (llvm::Error e = main.define(llvm::orc::absoluteSymbols(symbols))) {
    error = llvm::toString(std::move(e));
    return nullptr;
  }
  // Name a symbol the object needs and may not have, before linking.
  auto file = llvm::object::ObjectFile::createObjectFile(
      llvm::MemoryBufferRef(object, "kiln-program"));
  if (!file) {
    error = llvm::toString(file.takeError());
    return nullptr;
  }
  for (const llvm::object::SymbolRef &symbol : (*file)->symbols()) {
    llvm::Expected<uint32_t> flags = symbol.getFlags();
    llvm::Expected<llvm::StringRef> name = symbol.getName();
    if (!flags || !name) {
      llvm::consumeError(flags.takeError());
      llvm::consumeError(name.takeError());
      error = "the object's symbol table cannot be read";
      return nullptr;
    }
    if (!(*flags & llvm::object::SymbolRef::SF_Undefined) || name->empty() ||
        *name == "_GLOBAL_OFFSET_TABLE_" || isRuntimeLibrarySymbol(*name) ||
        symbols.count(mangle(*name)))
      continue;
    error = "the program calls '" + name->str() +
            "', which is not a function Kiln's generated code may call";
    return nullptr;
  }
  // The vector forms of expf and friends that vectorized loops call.
  static const bool vectorMath =
      !llvm::sys::DynamicLibrary::LoadLibraryPermanently("libmvec.so.1");
  (void)vectorMath;
  if (llvm::Error e = (*jit)->addObjectFile(
          llvm::MemoryBuffer::getMemBufferCopy(object, "kiln-program"))) {
    error = llvm::toString(std::move(e));
    return nullptr;
  }
  return std::move(*jit);
}

const std::string &compilerIdentity() {
  static const std::string identity = [] {
    std::ostringstream os;
    os << "kiln " << runtime::kilnVersion() << "; LLVM " << LLVM_VERSION_STRING
       << "; schema " << kSchema << "; cpu "
       << llvm::sys::getHostCPUName().str();
    llvm::StringMap<bool> features = llvm::sys::getHostCPUFeatures();
    std::vector<std::string> enabled;
    for (auto &feature : features)
      if (feature.second)
        enabled.push_back(feature.first().str());
    std::sort(enabled.begin(), enabled.end());
    for (const std::string &feature : enabled)
      os << " +" << feature;
    // The binary holding this code: a rebuilt compiler may emit other code
    // for the same input, so its size and time are part of every key.
    Dl_info info;
    struct stat st;
    if (dladdr(reinterpret_cast<void *>(&compilerIdentity), &info) &&
        info.dli_fname && ::stat(info.dli_fname, &st) == 0)
      os << "; binary " << info.dli_fname << " " << st.st_size << " "
         << st.st_mtim.tv_sec << "." << st.st_mtim.tv_nsec;
    return os.str();
  }();
  return identity;
}

DiskCache::DiskCache(const std::string &directory, std::string *warning) {
  if (directory.empty())
    return;
  std::string why = runtime::cacheFolderProblem(directory);
  if (why.empty())
    directory_ = directory;
  else if (warning)
    *warning = "the kernel cache " + directory + " is not used: " + why;
}

std::string DiskCache::path(llvm::StringRef key) const {
  return directory_ + "/" + hex(sha256(key)).substr(0, 40) + ".kobj";
}

std::optional<CachedProgram> DiskCache::load(llvm::StringRef key,
                                             std::string *why) const {
  if (!enabled())
    return std::nullopt;
  std::string file = path(key);
  std::ifstream in(file, std::ios::binary);
  if (!in)
    return std::nullopt;
  std::string bytes((std::istreambuf_iterator<char>(in)),
                    std::istreambuf_iterator<char>());
  auto reject = [&](const char *reason) -> std::optional<CachedProgram> {
    if (why)
      *why = file + ": " + reason;
    std::error_code ec;
    std::filesystem::remove(file, ec);
    return std::nullopt;
  };
  if (bytes.size() < sizeof kMagic + 32 ||
      std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0)
    return reject("not a Kiln cache entry");
  llvm::StringRef body(bytes.data(), bytes.size() - 32);
  auto checksum = sha256(body);
  if (std::memcmp(checksum.data(), bytes.data() + body.size(), 32) != 0)
    return reject("its checksum does not match (truncated or corrupt)");
  llvm::StringRef in2 = body.drop_front(sizeof kMagic);
  uint32_t schema = 0;
  if (!get(in2, schema) || schema != kSchema)
    return reject("written by another version of the cache");
  auto digest = sha256(key);
  if (in2.size() < 32 || std::memcmp(in2.data(), digest.data(), 32) != 0)
    return reject("it belongs to another program");
  in2 = in2.drop_front(32);
  CachedProgram program;
  uint64_t size = 0;
  if (!get(in2, program.arenaBytes) || !get(in2, program.arenaLowerBound) ||
      !get(in2, program.naiveBytes) || !get(in2, program.kernels) ||
      !get(in2, size) || size > in2.size() / sizeof(int64_t))
    return reject("its header does not match its size");
  program.donations.resize(size);
  for (int64_t &value : program.donations)
    if (!get(in2, value))
      return reject("its header does not match its size");
  if (!get(in2, size) || size != in2.size())
    return reject("its header does not match its size");
  program.object = in2.str();
  return program;
}

void DiskCache::store(llvm::StringRef key, const CachedProgram &program) const {
  if (!enabled())
    return;
  std::string bytes(kMagic, sizeof kMagic);
  put(bytes, kSchema);
  auto digest = sha256(key);
  bytes.append(reinterpret_cast<const char *>(digest.data()), digest.size());
  put(bytes, program.arenaBytes);
  put(bytes, program.arenaLowerBound);
  put(bytes, program.naiveBytes);
  put(bytes, program.kernels);
  put(bytes, static_cast<uint64_t>(program.donations.size()));
  for (int64_t value : program.donations)
    put(bytes, value);
  put(bytes, static_cast<uint64_t>(program.object.size()));
  bytes += program.object;
  auto checksum = sha256(bytes);
  bytes.append(reinterpret_cast<const char *>(checksum.data()),
               checksum.size());
  // Written beside, then renamed over: readers see all of it or nothing. A
  // cache that cannot be written only costs a recompilation.
  std::string error;
  runtime::writeFileAtomically(path(key), bytes, error);
}

} // namespace kiln::codegen
