//===- CudaProgram.cpp - A compiled CUDA program --------------------------===//
#include "kiln/codegen/cuda/CudaProgram.h"

#include "kiln/codegen/cpu/Object.h"
#include "kiln/codegen/cuda/Compile.h"
#include "kiln/codegen/cuda/HostExecution.h"
#include "kiln/runtime/Error.h"

#include "mlir/IR/BuiltinOps.h"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <future>
#include <sstream>

namespace kiln::codegen::cuda {

namespace {

// A disk cache entry's object: NVRTC's PTX and CUBIN, then ptxas's report.
void putText(std::string &out, llvm::StringRef text) {
  uint64_t size = text.size();
  out.append(reinterpret_cast<const char *>(&size), sizeof size);
  out.append(text.data(), text.size());
}

bool getText(llvm::StringRef &in, std::string &text) {
  uint64_t size = 0;
  if (in.size() < sizeof size)
    return false;
  std::memcpy(&size, in.data(), sizeof size);
  in = in.drop_front(sizeof size);
  if (size > in.size())
    return false;
  text = in.take_front(size).str();
  in = in.drop_front(size);
  return true;
}

std::string encode(const NvrtcResult &result,
                   const std::vector<KernelResources> &kernels) {
  std::string out;
  putText(out, result.ptx);
  putText(out, llvm::StringRef(result.cubin.data(), result.cubin.size()));
  std::string report;
  for (const KernelResources &k : kernels)
    report += k.name + " " + std::to_string(k.registers) + " " +
              std::to_string(k.spillStores) + " " +
              std::to_string(k.spillLoads) + " " +
              std::to_string(k.sharedBytes) + "\n";
  putText(out, report);
  return out;
}

bool decode(llvm::StringRef in, NvrtcResult &result,
            std::vector<KernelResources> &kernels) {
  std::string cubin, report;
  if (!getText(in, result.ptx) || !getText(in, cubin) || !getText(in, report) ||
      !in.empty())
    return false;
  result.cubin.assign(cubin.begin(), cubin.end());
  std::istringstream lines(report);
  KernelResources k;
  kernels.clear();
  while (lines >> k.name >> k.registers >> k.spillStores >> k.spillLoads >>
         k.sharedBytes)
    kernels.push_back(k);
  return true;
}

} // namespace

CudaProgram::~CudaProgram() = default;

std::unique_ptr<CudaProgram> CudaProgram::compile(mlir::ModuleOp module,
                                                  llvm::StringRef name,
                                                  const CudaOptions &options) {
  std::unique_ptr<CudaProgram> program(new CudaProgram);
  program->spec_ = emitFunction(module, name, options.fuse);
  const CudaProgramSpec &spec = program->spec_;
  program->numInputs_ = spec.inputBytes.size();
  program->numOutputs_ = spec.outputBytes.size();
  program->arenaBytes_ = spec.arenaBytes;
  program->arenaLowerBound_ = spec.arenaLowerBound;
  program->naiveBytes_ = spec.naiveBytes;
  program->kernels_ = static_cast<int64_t>(spec.launches.size());
  for (const KernelLaunch &launch : spec.launches)
    program->kernelNames_.push_back(launch.name);
  // The host compiler runs beside NVRTC and ptxas: each is a program of
  // its own or a library call that waits on one thread.
  std::future<std::unique_ptr<HostModule>> host;
  if (options.hostExecution && !spec.launches.empty()) {
    std::vector<HostKernel> kernels;
    for (const KernelLaunch &launch : spec.launches)
      kernels.push_back({launch.name, launch.usesBarriers});
    host = std::async(std::launch::async,
                      [source = spec.source, kernels = std::move(kernels)] {
                        return HostModule::compile(source, kernels);
                      });
  }
  std::string source = nvrtcSource(spec);
  DiskCache cache(options.cacheDirectory, &program->cacheNote_);
  for (const std::string &arch : options.architectures) {
    std::string key = "kiln-nvrtc\n" + nvrtcVersion() + "\n";
    for (const std::string &option : nvrtcOptions(arch))
      key += option + "\n";
    key += source;
    if (std::optional<CachedProgram> entry =
            cache.load(key, &program->cacheNote_)) {
      if (decode(entry->object, program->binaries_[arch],
                 program->resources_[arch])) {
        program->cached_.push_back(arch);
        continue;
      }
    }
    NvrtcResult result = compileWithNvrtc(source, arch);
    program->resources_[arch] = assembleWithPtxas(result.ptx, arch);
    CachedProgram entry;
    entry.object = encode(result, program->resources_[arch]);
    cache.store(key, entry);
    program->binaries_[arch] = std::move(result);
  }
  program->fromDiskCache_ =
      !options.architectures.empty() &&
      program->cached_.size() == options.architectures.size();
  if (host.valid())
    program->host_ = host.get();
  return program;
}

void CudaProgram::run(llvm::ArrayRef<void *> inputs,
                      llvm::ArrayRef<void *> outputs) const {
  if (!host_ && !spec_.launches.empty())
    throw Error("this CUDA program was compiled without host execution");
  if (inputs.size() != numInputs_ || outputs.size() != numOutputs_)
    throw Error("a CUDA program of " + std::to_string(numInputs_) +
                " inputs and " + std::to_string(numOutputs_) +
                " outputs was run with " + std::to_string(inputs.size()) +
                " and " + std::to_string(outputs.size()));
  // The arena's offsets are multiples of 256, as cudaMalloc aligns.
  size_t bytes = (static_cast<size_t>(spec_.arenaBytes) + 255) / 256 * 256;
  std::unique_ptr<char, decltype(&std::free)> arena(
      static_cast<char *>(
          std::aligned_alloc(256, std::max<size_t>(bytes, 256))),
      &std::free);
  if (!arena)
    throw Error("out of memory allocating a CUDA program's arena of " +
                std::to_string(bytes) + " bytes");
  // Kernels move 16 bytes at a time, as CUDA's allocations allow: a buffer
  // of the caller's that is not 16-byte aligned (from_blob memory) is read
  // from, or written to, an aligned copy.
  std::vector<std::unique_ptr<char, decltype(&std::free)>> staged;
  auto aligned = [&](void *data, int64_t bytes, bool input) -> void * {
    if (reinterpret_cast<uintptr_t>(data) % 16 == 0)
      return data;
    size_t size = (static_cast<size_t>(bytes) + 15) / 16 * 16;
    staged.emplace_back(
        static_cast<char *>(std::aligned_alloc(16, std::max<size_t>(size, 16))),
        &std::free);
    if (!staged.back())
      throw Error("out of memory staging a CUDA program's buffer");
    if (input)
      std::memcpy(staged.back().get(), data, static_cast<size_t>(bytes));
    return staged.back().get();
  };
  std::vector<void *> outputData(outputs.begin(), outputs.end());
  for (size_t k = 0; k < outputData.size(); ++k)
    outputData[k] = aligned(outputs[k], spec_.outputBytes[k], false);
  std::vector<void *> pointers(spec_.buffers.size());
  for (size_t i = 0; i < spec_.buffers.size(); ++i) {
    const BufferSpec &buffer = spec_.buffers[i];
    switch (buffer.kind) {
    case BufferKind::Input:
      pointers[i] = aligned(inputs[buffer.index], buffer.bytes, true);
      break;
    case BufferKind::Output:
      pointers[i] = outputData[buffer.index];
      break;
    case BufferKind::Constant:
      pointers[i] = const_cast<char *>(spec_.constants[buffer.index].data());
      break;
    case BufferKind::Temporary:
      pointers[i] = arena.get() + buffer.offset;
      break;
    }
  }
  std::vector<void *> values, args;
  for (const KernelLaunch &launch : spec_.launches) {
    values.clear();
    for (int buffer : launch.buffers)
      values.push_back(pointers[buffer]);
    args.clear();
    for (void *&value : values)
      args.push_back(&value);
    host_->launch(launch.name, {launch.grid[0], launch.grid[1], launch.grid[2]},
                  {launch.block[0], launch.block[1], launch.block[2]},
                  launch.sharedBytes, args.data());
  }
  for (const BufferCopy &copy : spec_.copies)
    std::memmove(pointers[copy.to], pointers[copy.from],
                 static_cast<size_t>(copy.bytes));
  for (size_t k = 0; k < outputData.size(); ++k)
    if (outputData[k] != outputs[k])
      std::memcpy(outputs[k], outputData[k],
                  static_cast<size_t>(spec_.outputBytes[k]));
}

namespace {

/// Compares output `index` of `type` (MLIR's spelling); empty if they agree.
std::string compareOutput(size_t index, const std::string &type,
                          const char *cuda, const char *cpu, int64_t bytes) {
  std::ostringstream why;
  why.precision(9);
  auto mismatch = [&](int64_t element, double got, double want) {
    why << "output " << index << " (" << type << ") differs at element "
        << element << ": CUDA kernels gave " << got << ", the CPU " << want;
    return why.str();
  };
  auto floats = [&](auto load, int64_t count, double rtol) -> std::string {
    double scale = 1;
    for (int64_t i = 0; i < count; ++i)
      if (std::isfinite(load(cpu, i)))
        scale = std::max(scale, std::fabs(load(cpu, i)));
    for (int64_t i = 0; i < count; ++i) {
      double got = load(cuda, i), want = load(cpu, i);
      if (std::isnan(got) && std::isnan(want))
        continue;
      if (std::isinf(want) || std::isinf(got)) {
        if (got != want)
          return mismatch(i, got, want);
        continue;
      }
      if (!(std::fabs(got - want) <=
            rtol * std::fabs(want) + rtol * 0.1 * scale))
        return mismatch(i, got, want);
    }
    return {};
  };
  auto widen = [](uint16_t h, bool bf16) -> double {
    if (bf16) {
      uint32_t bits = static_cast<uint32_t>(h) << 16;
      float f;
      std::memcpy(&f, &bits, 4);
      return f;
    }
    int exponent = (h >> 10) & 0x1f, mantissa = h & 0x3ff;
    double sign = (h & 0x8000) ? -1 : 1;
    if (exponent == 0x1f)
      return mantissa ? NAN : sign * INFINITY;
    if (exponent == 0)
      return sign * std::ldexp(mantissa, -24);
    return sign * std::ldexp(1024 + mantissa, exponent - 25);
  };
  if (type == "f32")
    return floats(
        [](const char *p, int64_t i) {
          float v;
          std::memcpy(&v, p + 4 * i, 4);
          return static_cast<double>(v);
        },
        bytes / 4, 1e-3);
  if (type == "f64")
    return floats(
        [](const char *p, int64_t i) {
          double v;
          std::memcpy(&v, p + 8 * i, 8);
          return v;
        },
        // f64 results often come through f32 (a conversion), where libm
        // and the CPU's math approximations differ in the last bits.
        bytes / 8, 1e-6);
  if (type == "bf16" || type == "f16") {
    bool bf16 = type == "bf16";
    return floats(
        [&](const char *p, int64_t i) {
          uint16_t h;
          std::memcpy(&h, p + 2 * i, 2);
          return widen(h, bf16);
        },
        bytes / 2, bf16 ? 2e-2 : 4e-3);
  }
  // Integers and booleans agree exactly.
  int64_t width = type == "i1" ? 1 : type == "i32" ? 4 : 8;
  for (int64_t i = 0; i < bytes / width; ++i) {
    int64_t got = 0, want = 0;
    std::memcpy(&got, cuda + width * i, width);
    std::memcpy(&want, cpu + width * i, width);
    if (width == 4) {
      got = static_cast<int32_t>(got);
      want = static_cast<int32_t>(want);
    }
    if (got != want)
      return mismatch(i, static_cast<double>(got), static_cast<double>(want));
  }
  return {};
}

class CrossChecked : public Program {
public:
  CrossChecked(std::unique_ptr<Program> reference,
               std::unique_ptr<CudaProgram> cuda)
      : reference_(std::move(reference)), cuda_(std::move(cuda)) {
    numInputs_ = reference_->numInputs();
    numOutputs_ = reference_->numOutputs();
    arenaBytes_ = reference_->arenaBytes();
    arenaLowerBound_ = reference_->arenaLowerBound();
    naiveBytes_ = reference_->naiveBytes();
    kernels_ = reference_->kernels();
    kernelNames_ = reference_->kernelNames();
    donations_ = reference_->donations();
    fromDiskCache_ = reference_->fromDiskCache();
    cacheNote_ = reference_->cacheNote();
  }

  void run(llvm::ArrayRef<void *> inputs,
           llvm::ArrayRef<void *> outputs) const override {
    // The CUDA kernels first: the reference may overwrite donated inputs.
    const CudaProgramSpec &spec = cuda_->spec();
    std::vector<std::vector<char>> results(spec.outputBytes.size());
    std::vector<void *> pointers;
    for (size_t k = 0; k < results.size(); ++k) {
      results[k].resize(static_cast<size_t>(spec.outputBytes[k]) + 1);
      pointers.push_back(results[k].data());
    }
    cuda_->run(inputs, pointers);
    reference_->run(inputs, outputs);
    for (size_t k = 0; k < results.size(); ++k) {
      std::string why = compareOutput(k, spec.outputTypes[k], results[k].data(),
                                      static_cast<const char *>(outputs[k]),
                                      spec.outputBytes[k]);
      if (!why.empty())
        throw Error("the CUDA backend disagrees with the CPU: " + why + "\n" +
                    describe(spec, "main"));
    }
  }

  llvm::StringRef backend() const override { return reference_->backend(); }

private:
  std::unique_ptr<Program> reference_;
  std::unique_ptr<CudaProgram> cuda_;
};

} // namespace

std::unique_ptr<Program> crossChecked(std::unique_ptr<Program> reference,
                                      std::unique_ptr<CudaProgram> cuda) {
  return std::make_unique<CrossChecked>(std::move(reference), std::move(cuda));
}

} // namespace kiln::codegen::cuda
