// The CUDA backend's code generator on whole programs: the example IR and
// the FileCheck inputs emitted as CUDA C++, compiled with NVRTC for sm_80
// and sm_90, assembled with ptxas, and run on the CPU through the host
// execution against the CPU backend's results.
#include "../RandomValues.h"

#include "kiln/codegen/cpu/Jit.h"
#include "kiln/codegen/cpu/Pipeline.h"
#include "kiln/codegen/cuda/Compile.h"
#include "kiln/codegen/cuda/CudaProgram.h"
#include "kiln/codegen/cuda/Nvrtc.h"
#include "kiln/runtime/Error.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/FormatVariadic.h"

#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

using namespace kiln::codegen;
using namespace kiln::codegen::cuda;

namespace {

/// The programs: every public function of the example IR and of the CUDA
/// FileCheck tests' inputs.
std::vector<std::filesystem::path> programFiles() {
  std::filesystem::path root(KILN_SOURCE_DIR);
  std::vector<std::filesystem::path> files;
  for (auto dir :
       {root / "examples" / "ir", root / "tests" / "lit" / "codegen" / "cuda"})
    for (auto &entry : std::filesystem::directory_iterator(dir))
      if (entry.path().extension() == ".mlir")
        files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

class Programs : public ::testing::Test {
protected:
  Programs() {
    mlir::DialectRegistry registry;
    registerDialects(registry);
    context.appendDialectRegistry(registry);
    context.loadAllAvailableDialects();
  }

  mlir::OwningOpRef<mlir::ModuleOp> parse(const std::filesystem::path &file) {
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    auto module = mlir::parseSourceString<mlir::ModuleOp>(text.str(), &context);
    EXPECT_TRUE(module) << file;
    return module;
  }

  std::vector<std::string> publicFunctions(mlir::ModuleOp module) {
    std::vector<std::string> names;
    for (auto fn : module.getOps<mlir::func::FuncOp>())
      if (fn.isPublic() && !fn.isExternal())
        names.push_back(fn.getName().str());
    return names;
  }

  mlir::MLIRContext context{mlir::MLIRContext::Threading::DISABLED};
};

bool toolkitPresent(std::string &why) {
  if (!nvrtcAvailable(&why))
    return false;
  if (ptxasPath().empty()) {
    why = "ptxas was not found";
    return false;
  }
  return true;
}

TEST_F(Programs, CompileWithNvrtcForSm80AndSm90AndAssembleWithPtxas) {
  std::string why;
  if (!toolkitPresent(why))
    GTEST_SKIP() << why;
  int kernels = 0;
  for (const auto &file : programFiles()) {
    auto module = parse(file);
    ASSERT_TRUE(module);
    for (const std::string &name : publicFunctions(*module)) {
      mlir::OwningOpRef<mlir::ModuleOp> copy(module->clone());
      CudaOptions options;
      options.hostExecution = false;
      std::unique_ptr<CudaProgram> program;
      try {
        program = CudaProgram::compile(*copy, name, options);
      } catch (const kiln::Error &e) {
        ADD_FAILURE() << file.filename() << " @" << name << ": " << e.what();
        continue;
      }
      for (const std::string arch : {"sm_80", "sm_90"}) {
        ASSERT_TRUE(program->binaries().count(arch));
        EXPECT_FALSE(program->binaries().at(arch).cubin.empty());
        const auto &resources = program->resources().at(arch);
        // ptxas reports every launched kernel.
        for (const KernelLaunch &launch : program->spec().launches) {
          auto it = std::find_if(
              resources.begin(), resources.end(),
              [&](const KernelResources &r) { return r.name == launch.name; });
          ASSERT_NE(it, resources.end()) << launch.name << " for " << arch;
          if (arch == std::string("sm_90"))
            std::cout << llvm::formatv("{0,-28} {1,-34} {2,3} registers, "
                                       "{3} bytes spilled, {4} bytes shared\n",
                                       file.filename().string() + " @" + name,
                                       launch.name, it->registers,
                                       it->spillStores, it->sharedBytes)
                             .str();
          ++kernels;
        }
      }
    }
  }
  EXPECT_GT(kernels, 20);
}

/// Random inputs for `fn`'s arguments: floats in [-2, 2), integers in
/// [0, 5) (valid indices for the gathers here).
std::vector<std::vector<char>> randomInputs(mlir::func::FuncOp fn) {
  std::vector<std::vector<char>> inputs;
  unsigned seed = 7;
  for (mlir::Type type : fn.getArgumentTypes()) {
    auto tensor = mlir::cast<mlir::RankedTensorType>(type);
    int64_t n = tensor.getNumElements();
    mlir::Type element = tensor.getElementType();
    std::vector<char> bytes;
    if (element.isF32()) {
      auto values = kiln::testing::randomValues(n, seed++);
      std::vector<float> narrow(values.begin(), values.end());
      bytes.resize(4 * n);
      std::memcpy(bytes.data(), narrow.data(), bytes.size());
    } else if (element.isF64()) {
      auto values = kiln::testing::randomValues(n, seed++);
      bytes.resize(8 * n);
      std::memcpy(bytes.data(), values.data(), bytes.size());
    } else {
      std::vector<int64_t> values(n);
      for (int64_t i = 0; i < n; ++i)
        values[i] = (i * 7 + seed) % 5;
      ++seed;
      bytes.resize(8 * n);
      std::memcpy(bytes.data(), values.data(), bytes.size());
    }
    inputs.push_back(std::move(bytes));
  }
  return inputs;
}

TEST_F(Programs, RunOnTheHostAsTheCpuBackendComputesThem) {
  std::string why;
  if (!toolkitPresent(why))
    GTEST_SKIP() << why;
  for (const auto &file : programFiles()) {
    auto module = parse(file);
    ASSERT_TRUE(module);
    for (const std::string &name : publicFunctions(*module)) {
      SCOPED_TRACE(file.filename().string() + " @" + name);
      auto fn = module->lookupSymbol<mlir::func::FuncOp>(name);
      // The CPU backend's functions take no empty buffers (MLIR gives a
      // memref with a dimension of 0 no strided layout, so no bare
      // pointer): the frontend never compiles such a program.
      if (llvm::any_of(fn.getArgumentTypes(), [](mlir::Type type) {
            return mlir::cast<mlir::RankedTensorType>(type).getNumElements() ==
                   0;
          }))
        continue;
      std::vector<std::vector<char>> inputs = randomInputs(fn);
      // Each backend compiles a copy that holds `name` and what it calls.
      mlir::OwningOpRef<mlir::ModuleOp> forCpu(module->clone());
      for (auto other :
           llvm::make_early_inc_range(forCpu->getOps<mlir::func::FuncOp>()))
        if (other.isPublic() && other.getName() != name)
          other.erase();
      mlir::OwningOpRef<mlir::ModuleOp> forCuda(forCpu->clone());
      std::string error;
      std::unique_ptr<Program> cpu = JitFunction::compile(*forCpu, name, error);
      ASSERT_TRUE(cpu) << error;
      CudaOptions options;
      options.architectures.clear();
      std::unique_ptr<Program> checked = crossChecked(
          std::move(cpu), CudaProgram::compile(*forCuda, name, options));
      std::vector<void *> in, out;
      for (auto &bytes : inputs)
        in.push_back(bytes.data());
      auto results = fn.getResultTypes();
      std::vector<std::vector<char>> outputs;
      for (mlir::Type type : results) {
        auto tensor = mlir::cast<mlir::RankedTensorType>(type);
        outputs.emplace_back(tensor.getNumElements() * 8 + 8);
      }
      for (auto &bytes : outputs)
        out.push_back(bytes.data());
      EXPECT_NO_THROW(checked->run(in, out));
    }
  }
}

TEST_F(Programs, BuffersThatAreNotSixteenByteAlignedAreStaged) {
  // from_blob memory may sit anywhere; the kernels load 16 bytes at a time.
  auto module = mlir::parseSourceString<mlir::ModuleOp>(R"mlir(
    func.func @main(%x: tensor<8x4xf32>, %y: tensor<8x4xf32>) -> tensor<8x4xf32> {
      %s = kiln.add %x, %y : tensor<8x4xf32>
      return %s : tensor<8x4xf32>
    })mlir",
                                                        &context);
  ASSERT_TRUE(module);
  CudaOptions options;
  options.architectures.clear();
  auto program = CudaProgram::compile(*module, "main", options);
  ASSERT_NE(program->spec().kernels.find("float4"), std::string::npos);
  std::vector<float> memory(3 * 33 + 4);
  float *x = memory.data() + 1, *y = x + 33, *out = y + 33;
  for (int i = 0; i < 32; ++i) {
    x[i] = static_cast<float>(i);
    y[i] = 0.5f * static_cast<float>(i);
  }
  program->run({x, y}, {out});
  for (int i = 0; i < 32; ++i)
    EXPECT_EQ(out[i], 1.5f * static_cast<float>(i)) << i;
}

TEST(Nvrtc, AFailedCompileShowsTheLogAndTheNumberedSource) {
  std::string why;
  if (!nvrtcAvailable(&why))
    GTEST_SKIP() << why;
  try {
    compileWithNvrtc("extern \"C\" __global__ void k(float *p) {\n"
                     "  p[0] = undeclared;\n}\n",
                     "sm_90");
    FAIL() << "compiled";
  } catch (const kiln::Error &e) {
    std::string message = e.what();
    EXPECT_NE(message.find("undeclared"), std::string::npos) << message;
    EXPECT_NE(message.find("2\t  p[0] = undeclared;"), std::string::npos)
        << message;
  }
}

TEST(Nvrtc, ComputeArchitecturesGivePtxOnly) {
  std::string why;
  if (!nvrtcAvailable(&why))
    GTEST_SKIP() << why;
  NvrtcResult result = compileWithNvrtc(
      "extern \"C\" __global__ void k(float *p) { p[threadIdx.x] = 1.0f; }\n",
      "compute_80");
  EXPECT_NE(result.ptx.find(".entry k"), std::string::npos);
  EXPECT_TRUE(result.cubin.empty());
  EXPECT_FALSE(nvrtcVersion().empty());
}

TEST_F(Programs, AnOpWithoutAKernelIsNamedWithItsLine) {
  auto module = mlir::parseSourceString<mlir::ModuleOp>(R"mlir(
    func.func @main(%x: tensor<4x3xbf16>, %i: tensor<2xi64>, %u: tensor<2x3xbf16>) -> tensor<4x3xbf16> {
      %s = kiln.scatter_add %x, %i, %u dim = 0 : tensor<4x3xbf16>, tensor<2xi64>, tensor<2x3xbf16>
      return %s : tensor<4x3xbf16>
    })mlir",
                                                        &context);
  ASSERT_TRUE(module);
  try {
    emitFunction(*module, "main");
    FAIL() << "emitted";
  } catch (const kiln::Error &e) {
    EXPECT_NE(std::string(e.what()).find("kiln.scatter_add of 16-bit floats"),
              std::string::npos)
        << e.what();
  }
}

} // namespace
