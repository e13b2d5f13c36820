//===- Nvrtc.cpp - CUDA C++ to PTX and CUBIN at run time ------------------===//
#include "kiln/codegen/cuda/Nvrtc.h"

#include "kiln/runtime/Error.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <dlfcn.h>
#include <mutex>
#include <regex>
#include <sstream>

namespace kiln::codegen::cuda {

namespace {

// NVRTC's C API, declared here so that Kiln needs no CUDA header to build.
using Program = struct NvrtcProgramImpl *;
struct Api {
  int (*version)(int *, int *) = nullptr;
  int (*create)(Program *, const char *, const char *, int, const char *const *,
                const char *const *) = nullptr;
  int (*compile)(Program, int, const char *const *) = nullptr;
  int (*destroy)(Program *) = nullptr;
  int (*logSize)(Program, size_t *) = nullptr;
  int (*log)(Program, char *) = nullptr;
  int (*ptxSize)(Program, size_t *) = nullptr;
  int (*ptx)(Program, char *) = nullptr;
  int (*cubinSize)(Program, size_t *) = nullptr;
  int (*cubin)(Program, char *) = nullptr;
  const char *(*errorString)(int) = nullptr;
  std::string why; ///< why it is not loaded
};

const Api &api() {
  static Api api = [] {
    Api a;
    void *library = nullptr;
    for (const char *name : {"libnvrtc.so", "libnvrtc.so.13", "libnvrtc.so.12",
                             KILN_CUDA_LIBRARY_DIR "/libnvrtc.so"})
      if ((library = dlopen(name, RTLD_NOW | RTLD_LOCAL)))
        break;
    if (!library) {
      a.why = "NVRTC (libnvrtc.so) was not found";
      return a;
    }
    auto load = [&](auto &fn, const char *symbol) {
      fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(
          dlsym(library, symbol));
      if (!fn && a.why.empty())
        a.why = std::string("NVRTC lacks ") + symbol;
    };
    load(a.version, "nvrtcVersion");
    load(a.create, "nvrtcCreateProgram");
    load(a.compile, "nvrtcCompileProgram");
    load(a.destroy, "nvrtcDestroyProgram");
    load(a.logSize, "nvrtcGetProgramLogSize");
    load(a.log, "nvrtcGetProgramLog");
    load(a.ptxSize, "nvrtcGetPTXSize");
    load(a.ptx, "nvrtcGetPTX");
    load(a.cubinSize, "nvrtcGetCUBINSize");
    load(a.cubin, "nvrtcGetCUBIN");
    load(a.errorString, "nvrtcGetErrorString");
    return a;
  }();
  return api;
}

} // namespace

bool nvrtcAvailable(std::string *why) {
  const Api &a = api();
  if (why)
    *why = a.why;
  return a.why.empty();
}

std::string nvrtcVersion() {
  if (!nvrtcAvailable())
    return {};
  int major = 0, minor = 0;
  if (api().version(&major, &minor) != 0)
    return {};
  return std::to_string(major) + "." + std::to_string(minor);
}

std::string numberLines(const std::string &source) {
  std::ostringstream out;
  std::istringstream in(source);
  std::string line;
  for (int n = 1; std::getline(in, line); ++n)
    out << n << "\t" << line << "\n";
  return out.str();
}

std::vector<std::string> nvrtcOptions(const std::string &arch) {
  return {"--gpu-architecture=" + arch, "--std=c++17", "-default-device"};
}

NvrtcResult compileWithNvrtc(const std::string &source,
                             const std::string &arch) {
  std::string why;
  if (!nvrtcAvailable(&why))
    throw Error("cannot compile CUDA kernels: " + why);
  const Api &a = api();
  NvrtcResult result;
  result.options = nvrtcOptions(arch);
  Program program = nullptr;
  int status = a.create(&program, source.c_str(), "kiln_kernels.cu", 0, nullptr,
                        nullptr);
  if (status != 0)
    throw Error(std::string("NVRTC could not create a program: ") +
                a.errorString(status));
  std::vector<const char *> options;
  for (const std::string &option : result.options)
    options.push_back(option.c_str());
  status = a.compile(program, static_cast<int>(options.size()), options.data());
  size_t size = 0;
  a.logSize(program, &size);
  result.log.resize(size);
  if (size)
    a.log(program, result.log.data());
  while (!result.log.empty() &&
         (result.log.back() == '\0' || result.log.back() == '\n'))
    result.log.pop_back();
  if (status != 0) {
    a.destroy(&program);
    throw Error("NVRTC failed to compile the CUDA kernels for " + arch + " (" +
                a.errorString(status) + "):\n" + result.log +
                "\nThe source:\n" + numberLines(source));
  }
  a.ptxSize(program, &size);
  result.ptx.resize(size);
  a.ptx(program, result.ptx.data());
  if (!result.ptx.empty() && result.ptx.back() == '\0')
    result.ptx.pop_back();
  if (llvm::StringRef(arch).starts_with("sm_")) {
    a.cubinSize(program, &size);
    result.cubin.resize(size);
    if (size)
      a.cubin(program, result.cubin.data());
  }
  a.destroy(&program);
  return result;
}

std::string ptxasPath() {
  if (auto found = llvm::sys::findProgramByName("ptxas"))
    return *found;
  if (auto found = llvm::sys::findProgramByName("ptxas", {KILN_CUDA_BIN_DIR}))
    return *found;
  return {};
}

std::vector<KernelResources> assembleWithPtxas(const std::string &ptx,
                                               const std::string &arch) {
  std::string ptxas = ptxasPath();
  if (ptxas.empty())
    throw Error("cannot assemble PTX: ptxas was not found");
  llvm::SmallString<128> input, output, log;
  int fd = -1;
  if (llvm::sys::fs::createTemporaryFile("kiln-kernels", "ptx", fd, input))
    throw Error("cannot create a temporary file for ptxas");
  {
    llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
    os << ptx;
  }
  llvm::sys::fs::createTemporaryFile("kiln-kernels", "cubin", output);
  llvm::sys::fs::createTemporaryFile("kiln-ptxas", "log", log);
  std::vector<llvm::StringRef> args = {ptxas, "-arch", arch,  "-v",
                                       input, "-o",    output};
  std::optional<llvm::StringRef> redirects[] = {std::nullopt, log.str(),
                                                log.str()};
  std::string message;
  int rc = llvm::sys::ExecuteAndWait(ptxas, args, std::nullopt, redirects, 120,
                                     0, &message);
  std::string text;
  if (auto buffer = llvm::MemoryBuffer::getFile(log))
    text = (*buffer)->getBuffer().str();
  llvm::sys::fs::remove(input);
  llvm::sys::fs::remove(output);
  llvm::sys::fs::remove(log);
  if (rc != 0)
    throw Error("ptxas failed to assemble the kernels for " + arch + ": " +
                (message.empty() ? "" : message + "\n") + text);
  // ptxas -v: "Compiling entry function 'name' for 'sm_90'", then
  // "N bytes stack frame, S bytes spill stores, L bytes spill loads" and
  // "Used R registers, ... S bytes smem".
  std::vector<KernelResources> kernels;
  std::istringstream in(text);
  std::string line;
  static const std::regex entry("Compiling entry function '([^']+)'");
  static const std::regex spills("([0-9]+) bytes spill stores, ([0-9]+) "
                                 "bytes spill loads");
  static const std::regex used("Used ([0-9]+) registers");
  static const std::regex smem("([0-9]+) bytes smem");
  while (std::getline(in, line)) {
    std::smatch m;
    if (std::regex_search(line, m, entry)) {
      kernels.push_back({m[1].str()});
    } else if (!kernels.empty() && std::regex_search(line, m, spills)) {
      kernels.back().spillStores = std::stoi(m[1].str());
      kernels.back().spillLoads = std::stoi(m[2].str());
    } else if (!kernels.empty() && std::regex_search(line, m, used)) {
      kernels.back().registers = std::stoi(m[1].str());
      if (std::regex_search(line, m, smem))
        kernels.back().sharedBytes = std::stoi(m[1].str());
    }
  }
  return kernels;
}

} // namespace kiln::codegen::cuda
