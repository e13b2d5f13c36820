//===- HostExecution.cpp - CUDA kernel source run on the CPU --------------===//
#include "kiln/codegen/cuda/HostExecution.h"
#include "kiln/runtime/Error.h"
#include "kiln/runtime/System.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/file.h>
#include <sys/wait.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>

extern char **environ;

namespace kiln::codegen::cuda {

namespace fs = std::filesystem;

namespace {

/// The entry point KILN_SIMT_HOST_ENTRY defines for a kernel: calls it, for
/// the current thread, with the arguments `args` points at.
using HostEntry = void (*)(void **args);

/// The SIMT runtime's kiln_simt_launch (see SimtShim.h).
using LaunchGrid = const char *(*)(HostEntry entry, void **args,
                                   const unsigned *dims,
                                   size_t dynamicSharedBytes, bool barriers);

/// What the host compiler is given for the kernels, the runtime and the
/// precompiled header alike (a precompiled header needs the same options).
const std::vector<std::string> kCompileOptions = {
    "-std=c++20",         "-O1", "-fPIC", "-fno-exceptions", "-fno-math-errno",
    "-fvisibility=hidden"};

bool isIdentifier(const std::string &name) {
  auto isStart = [](unsigned char c) { return std::isalpha(c) || c == '_'; };
  if (name.empty() || !isStart(name[0]))
    return false;
  for (unsigned char c : name)
    if (!isStart(c) && !std::isdigit(c))
      return false;
  return true;
}

/// `source` with line numbers, as the compiler's messages count them.
std::string numberLines(const std::string &source) {
  std::istringstream in(source);
  std::ostringstream out;
  int number = 0;
  for (std::string line; std::getline(in, line);)
    out << std::to_string(++number) << " | " << line << '\n';
  return out.str();
}

/// A new folder under the system's temporary folder, removed with its files
/// when this goes away.
class TemporaryFolder {
public:
  TemporaryFolder() {
    std::string pattern =
        (fs::temp_directory_path() / "kiln-cuda-host-XXXXXX").string();
    if (!mkdtemp(pattern.data()))
      throw Error("CUDA host compilation: cannot create a folder like " +
                  pattern + ": " + std::strerror(errno));
    path = pattern;
  }
  ~TemporaryFolder() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
  TemporaryFolder(const TemporaryFolder &) = delete;
  TemporaryFolder &operator=(const TemporaryFolder &) = delete;

  fs::path path;
};

void writeFile(const fs::path &path, std::string_view text) {
  std::ofstream out(path, std::ios::binary);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  if (!out.flush())
    throw Error("CUDA host compilation: cannot write " + path.string());
}

std::string readFile(const fs::path &path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// Runs `argv` with its standard output and error in `log`; how it ended,
/// in words, or empty when it exited with status 0.
std::string run(const std::vector<std::string> &argv, const fs::path &log) {
  std::vector<char *> cargv;
  for (const std::string &arg : argv)
    cargv.push_back(const_cast<char *>(arg.c_str()));
  cargv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  pid_t pid;
  int error =
      posix_spawnp(&pid, cargv[0], &actions, nullptr, cargv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (error)
    return "could not be started: " + std::string(std::strerror(error));
  int status;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR)
      return "could not be waited for: " + std::string(std::strerror(errno));
  if (WIFSIGNALED(status))
    return "was killed by signal " + std::to_string(WTERMSIG(status));
  if (WEXITSTATUS(status))
    return "exited with status " + std::to_string(WEXITSTATUS(status));
  return "";
}

/// The host compiler with kCompileOptions, then `arguments`.
std::vector<std::string> compilerCommand(std::vector<std::string> arguments) {
  std::vector<std::string> argv = {KILN_CUDA_HOST_COMPILER};
  argv.insert(argv.end(), kCompileOptions.begin(), kCompileOptions.end());
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  return argv;
}

std::string describe(Dim3 d) {
  return std::to_string(d.x) + "x" + std::to_string(d.y) + "x" +
         std::to_string(d.z);
}

/// Why CUDA would refuse to launch `grid` x `block`, or empty.
std::string checkLaunchShape(Dim3 grid, Dim3 block) {
  if (!grid.x || !grid.y || !grid.z || !block.x || !block.y || !block.z)
    return "a grid or block size is 0";
  if (static_cast<unsigned long long>(block.x) * block.y * block.z > 1024 ||
      block.z > 64)
    return "a block has at most 1024 threads, and at most 64 in z";
  if (grid.x > 0x7fffffffu || grid.y > 65535 || grid.z > 65535)
    return "a grid has at most 2^31-1 blocks in x and 65535 in y and z";
  return "";
}

/// A 64-bit FNV-1a hash of `text`, in hexadecimal.
std::string fingerprint(std::string_view text) {
  uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : text)
    hash = (hash ^ c) * 1099511628211ull;
  char hex[17];
  snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
  return hex;
}

/// The SIMT runtime and what kernels compile against: SimtShim.h, its
/// precompiled header, and the runtime's shared object, which each kernel
/// module is linked against and which holds the state all modules share
/// (the thread identity, the stacks). Made once and kept in Kiln's cache
/// folder, shared by the processes that use the same compiler and texts;
/// where the cache folder cannot be written, made by each process in a
/// temporary folder of its own.
class SimtRuntime {
public:
  static const SimtRuntime &get() {
    // Thread-safe; when making it throws, the next call tries again.
    static const SimtRuntime runtime;
    return runtime;
  }

  /// The options that compile `cpp` into the object `object` against
  /// SimtShim.h: with its precompiled header when there is one.
  std::vector<std::string> compileCommand(const fs::path &cpp,
                                          const fs::path &object) const {
    fs::path pch = folder / "SimtShim.h.pch";
    return compilerCommand({hasPch ? "-include-pch" : "-include",
                            hasPch ? pch.string() : header().string(), "-c",
                            "-o", object.string(), cpp.string()});
  }

  /// Links `object` into the shared object `so`, which needs the runtime.
  /// The linker runs without the compiler driver, which would take as long
  /// to start as the linker takes to run: the kernels need no start files
  /// and no libraries but the runtime (and through it the C library).
  std::vector<std::string> linkCommand(const fs::path &object,
                                       const fs::path &so) const {
    return {linker,      "-shared",       "-o",
            so.string(), object.string(), library().string()};
  }

  LaunchGrid launch = nullptr;

private:
  SimtRuntime() {
    if (std::optional<fs::path> cached = cachedFolder()) {
      folder = *cached;
      if (load())
        return;
    }
    temporary.emplace();
    folder = temporary->path;
    make(folder);
    if (!load())
      throw Error("CUDA host compilation: cannot load the SIMT runtime: " +
                  std::string(dlerror()));
  }

  fs::path header() const { return folder / "SimtShim.h"; }
  fs::path library() const { return folder / "libkiln-simt-runtime.so"; }

  /// The runtime's folder in the cache, made unless another process made
  /// it; nullopt when the cache folder cannot be written.
  static std::optional<fs::path> cachedFolder() {
    // What the files depend on: the compiler (a precompiled header fits
    // only the compiler that made it), its options and the texts.
    std::string identity = KILN_CUDA_HOST_COMPILER;
    std::error_code error;
    fs::path compiler = fs::canonical(KILN_CUDA_HOST_COMPILER, error);
    if (!error)
      identity +=
          "\n" + compiler.string() + " " +
          std::to_string(fs::file_size(compiler, error)) + " " +
          std::to_string(
              fs::last_write_time(compiler, error).time_since_epoch().count());
    for (const std::string &option : kCompileOptions)
      identity += " " + option;
    identity += "\n";
    identity += simtShimHeader();
    identity += simtRuntimeSource();
    // It holds code this process runs: only a folder private to the user.
    std::string directory = runtime::cacheDirectory();
    if (!runtime::cacheFolderProblem(directory).empty())
      return std::nullopt;
    fs::path cache =
        fs::path(directory) / ("cuda-host-runtime-" + fingerprint(identity));
    // One process makes the folder while the others wait.
    int lock = open((cache.string() + ".lock").c_str(),
                    O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (lock < 0)
      return std::nullopt;
    while (flock(lock, LOCK_EX) < 0 && errno == EINTR) {
    }
    struct Unlock {
      int lock;
      ~Unlock() { close(lock); }
    } unlock{lock};
    if (fs::exists(cache / "ready", error))
      return cache;
    fs::remove_all(cache, error);
    if (!fs::create_directory(cache, error))
      return std::nullopt;
    make(cache);
    writeFile(cache / "ready", "");
    return cache;
  }

  /// Writes the texts into `folder` and compiles them there.
  static void make(const fs::path &folder) {
    fs::path header = folder / "SimtShim.h",
             source = folder / "SimtRuntime.cpp";
    writeFile(header, simtShimHeader());
    writeFile(source, simtRuntimeSource());

    // The header is precompiled while the runtime compiles. Templates are
    // instantiated in it (<cmath>'s would otherwise be in every kernel
    // module). Without a precompiled header, kernels include the header.
    std::thread precompile([&] {
      fs::path pch = folder / "SimtShim.h.pch";
      if (!run(compilerCommand({"-fpch-instantiate-templates", "-x",
                                "c++-header", "-o", pch.string(),
                                header.string()}),
               folder / "pch.log")
               .empty())
        fs::remove(pch);
    });
    fs::path log = folder / "runtime.log";
    std::string failure =
        run(compilerCommand({"-shared", "-o",
                             (folder / "libkiln-simt-runtime.so").string(),
                             source.string()}),
            log);
    precompile.join();
    if (!failure.empty())
      throw Error("CUDA host compilation: the SIMT runtime failed to "
                  "compile: " +
                  std::string(KILN_CUDA_HOST_COMPILER) + " " + failure + "\n" +
                  readFile(log));

    if (std::string failure = run(
            {KILN_CUDA_HOST_COMPILER, "-print-prog-name=ld"}, folder / "ld");
        !failure.empty())
      throw Error("CUDA host compilation: cannot find the linker: " +
                  std::string(KILN_CUDA_HOST_COMPILER) + " " + failure);
  }

  /// Loads the runtime made in `folder`; false when it cannot.
  bool load() {
    linker = readFile(folder / "ld");
    while (!linker.empty() &&
           std::isspace(static_cast<unsigned char>(linker.back())))
      linker.pop_back();
    std::error_code error;
    hasPch = fs::exists(folder / "SimtShim.h.pch", error);
    // Never closed: modules loaded later link against it.
    void *handle = dlopen(library().c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle)
      launch = reinterpret_cast<LaunchGrid>(dlsym(handle, "kiln_simt_launch"));
    return !linker.empty() && launch;
  }

  std::optional<TemporaryFolder> temporary;
  fs::path folder;
  bool hasPch = false;
  std::string linker;
};

} // namespace

struct HostModule::Library {
  ~Library() {
    if (handle)
      dlclose(handle);
  }

  struct Kernel {
    HostEntry entry;
    bool usesBarriers;
  };

  void *handle = nullptr;
  LaunchGrid launch = nullptr;
  std::map<std::string, Kernel, std::less<>> kernels;
};

HostModule::HostModule(std::shared_ptr<const Library> library)
    : library(std::move(library)) {}

HostModule::~HostModule() = default;

std::unique_ptr<HostModule>
HostModule::compile(const std::string &source,
                    std::vector<HostKernel> kernels) {
  // The kernel source stays exactly what NVRTC sees; the entry points
  // follow it, and #line makes the compiler's messages count its lines.
  std::string unit =
      "#line 1 \"kernel.cu\"\n" + source + "\n#line 1 \"kiln-host-entries\"\n";
  // Modules are reused for the same text and the same kernels' barriers.
  std::string key = unit;
  std::map<std::string, bool> seen;
  for (const HostKernel &kernel : kernels) {
    if (!isIdentifier(kernel.name))
      throw Error("CUDA host compilation: '" + kernel.name +
                  "' is not a kernel name");
    if (!seen.emplace(kernel.name, true).second)
      throw Error("CUDA host compilation: kernel '" + kernel.name +
                  "' is listed twice");
    unit += "KILN_SIMT_HOST_ENTRY(" + kernel.name + ")\n";
    key += kernel.name + (kernel.usesBarriers ? " with barriers\n" : "\n");
  }

  static std::mutex mutex;
  static std::map<std::string, std::weak_ptr<const Library>> loaded;
  {
    std::lock_guard lock(mutex);
    auto it = loaded.find(key);
    if (it != loaded.end())
      if (auto library = it->second.lock())
        return std::unique_ptr<HostModule>(new HostModule(std::move(library)));
  }

  const SimtRuntime &runtime = SimtRuntime::get();
  TemporaryFolder folder;
  fs::path cpp = folder.path / "kernel.cpp", object = folder.path / "kernel.o",
           so = folder.path / "kernel.so", log = folder.path / "compiler.log";
  writeFile(cpp, unit);
  std::string failure = run(runtime.compileCommand(cpp, object), log);
  if (!failure.empty())
    throw Error("CUDA host compilation failed: " +
                std::string(KILN_CUDA_HOST_COMPILER) + " " + failure + "\n" +
                readFile(log) + "The kernel source:\n" + numberLines(source));
  failure = run(runtime.linkCommand(object, so), log);
  if (!failure.empty())
    throw Error("CUDA host compilation: linking the kernels failed: the "
                "linker " +
                failure + "\n" + readFile(log));

  auto library = std::make_shared<Library>();
  library->launch = runtime.launch;
  library->handle = dlopen(so.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!library->handle)
    throw Error("CUDA host compilation: cannot load the compiled kernels: " +
                std::string(dlerror()));
  for (const HostKernel &kernel : kernels) {
    void *entry = dlsym(library->handle, ("kiln_host_" + kernel.name).c_str());
    if (!entry)
      throw Error("CUDA host compilation: no entry point for kernel '" +
                  kernel.name + "'");
    library->kernels[kernel.name] = {reinterpret_cast<HostEntry>(entry),
                                     kernel.usesBarriers};
  }

  std::lock_guard lock(mutex);
  std::erase_if(loaded,
                [](const auto &entry) { return entry.second.expired(); });
  loaded[key] = library;
  return std::unique_ptr<HostModule>(new HostModule(std::move(library)));
}

void HostModule::launch(const std::string &kernel, Dim3 grid, Dim3 block,
                        size_t dynamicSharedBytes, void **args) const {
  auto it = library->kernels.find(kernel);
  if (it == library->kernels.end()) {
    std::string known;
    for (const auto &[name, loaded] : library->kernels)
      known += (known.empty() ? "" : ", ") + name;
    throw Error("CUDA host launch: no kernel named '" + kernel +
                "' in this module (" +
                (known.empty() ? "it has none" : "it has: " + known) + ")");
  }
  std::string where = "CUDA host launch of " + kernel + " (grid " +
                      describe(grid) + ", block " + describe(block) + "): ";
  if (std::string refusal = checkLaunchShape(grid, block); !refusal.empty())
    throw Error(where + refusal);
  const unsigned dims[] = {grid.x, grid.y, grid.z, block.x, block.y, block.z};
  if (const char *failure =
          library->launch(it->second.entry, args, dims, dynamicSharedBytes,
                          it->second.usesBarriers))
    throw Error(where + failure);
}

} // namespace kiln::codegen::cuda
