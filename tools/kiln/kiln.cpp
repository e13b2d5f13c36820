//===- kiln.cpp - The kiln command line: info, dump -----------------------===//
#include "kiln/codegen/cpu/Jit.h"
#include "kiln/frontend/Config.h"
#include "kiln/runtime/System.h"
#include "kiln/tools/Registration.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OperationSupport.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {

constexpr const char *kUsage = R"(usage: kiln <command> [options]

Commands:
  info               Versions, CUDA/NVRTC availability, threads, cache folder
  dump FILE.mlir     Parse and verify a kiln IR file, then print it

Run `kiln <command> --help` for a command's options.
)";

constexpr const char *kInfoUsage = R"(usage: kiln info

Prints Kiln's version, the LLVM/MLIR and oneDNN it was built with, whether a
CUDA driver and NVRTC can be loaded, the thread count (OMP_NUM_THREADS) and
the kernel cache folder (KILN_CACHE_DIR).
)";

constexpr const char *kDumpUsage = R"(usage: kiln dump FILE.mlir [options]

Parses FILE.mlir ("-" reads standard input), verifies it and prints it.
Errors are reported as FILE:LINE:COL and exit with status 1.

Options:
  --stage=S     print the IR after a compiler stage: traced (as read, the
                default), autodiff (kiln.grad expanded), decomposed
                (composite ops rewritten), lowered (linalg on tensors) or
                llvm (the LLVM dialect the JIT compiles)
  --generic     print operations in MLIR's generic form
  --debuginfo   print source locations (the user's file:line for traced ops)
  -o FILE       write to FILE instead of standard output
)";

bool isHelp(std::string_view arg) {
  return arg == "--help" || arg == "-h" || arg == "-help";
}

int runInfo(const std::vector<std::string_view> &args) {
  for (std::string_view arg : args) {
    if (isHelp(arg)) {
      llvm::outs() << kInfoUsage;
      return 0;
    }
    llvm::errs() << "kiln info: unknown option '" << arg << "'\n" << kInfoUsage;
    return 2;
  }
  llvm::outs() << kiln::show_config();
  return 0;
}

int runDump(const std::vector<std::string_view> &args) {
  std::string input, output = "-";
  std::optional<kiln::codegen::Stage> stage;
  mlir::OpPrintingFlags flags;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string_view arg = args[i];
    if (isHelp(arg)) {
      llvm::outs() << kDumpUsage;
      return 0;
    }
    if (arg.starts_with("--stage=")) {
      std::string_view name = arg.substr(8);
      if (name == "autodiff")
        stage = kiln::codegen::Stage::Autodiff;
      else if (name == "decomposed")
        stage = kiln::codegen::Stage::Decomposed;
      else if (name == "lowered")
        stage = kiln::codegen::Stage::Lowered;
      else if (name == "llvm")
        stage = kiln::codegen::Stage::LLVM;
      else if (name != "traced") {
        llvm::errs() << "kiln dump: unknown stage '" << name << "'\n"
                     << kDumpUsage;
        return 2;
      }
    } else if (arg == "--generic") {
      flags.printGenericOpForm();
    } else if (arg == "--debuginfo") {
      flags.enableDebugInfo(/*enable=*/true, /*prettyForm=*/false);
    } else if (arg == "-o" && i + 1 < args.size()) {
      output = std::string(args[++i]);
    } else if (arg.size() > 1 && arg[0] == '-') {
      llvm::errs() << "kiln dump: unknown option '" << arg << "'\n"
                   << kDumpUsage;
      return 2;
    } else if (input.empty()) {
      input = std::string(arg);
    } else {
      llvm::errs() << "kiln dump: more than one input file\n" << kDumpUsage;
      return 2;
    }
  }
  if (input.empty()) {
    llvm::errs() << "kiln dump: no input file\n" << kDumpUsage;
    return 2;
  }

  std::string error;
  auto buffer = mlir::openInputFile(input, &error);
  if (!buffer) {
    llvm::errs() << "kiln dump: " << error << "\n";
    return 1;
  }
  mlir::DialectRegistry registry;
  kiln::registerKilnDialects(registry);
  mlir::MLIRContext context(registry);
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(std::move(buffer), llvm::SMLoc());
  // Prints every diagnostic as FILE:LINE:COL: error: message.
  mlir::SourceMgrDiagnosticHandler handler(sourceMgr, &context);
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceFile<mlir::ModuleOp>(sourceMgr, &context);
  if (!module || mlir::failed(mlir::verify(*module)))
    return 1;
  if (stage && mlir::failed(kiln::codegen::lowerTo(*module, *stage)))
    return 1;

  auto out = mlir::openOutputFile(output, &error);
  if (!out) {
    llvm::errs() << "kiln dump: " << error << "\n";
    return 1;
  }
  module->print(out->os(), flags);
  out->keep();
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  if (argc < 2) {
    llvm::errs() << kUsage;
    return 2;
  }
  std::string_view command = argv[1];
  std::vector<std::string_view> args(argv + 2, argv + argc);
  if (isHelp(command)) {
    llvm::outs() << kUsage;
    return 0;
  }
  if (command == "--version") {
    llvm::outs() << "kiln " << kiln::version() << " (LLVM "
                 << LLVM_VERSION_STRING << ")\n";
    return 0;
  }
  if (command == "info")
    return runInfo(args);
  if (command == "dump")
    return runDump(args);
  llvm::errs() << "kiln: unknown command '" << command << "'\n" << kUsage;
  return 2;
}
