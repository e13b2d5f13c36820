//===- System.cpp - What the machine offers Kiln: threads, CUDA, cache ----===//
#include "kiln/runtime/System.h"
#include "kiln/runtime/Environment.h"
#include "kiln/runtime/Error.h"

#include <oneapi/dnnl/dnnl.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <dlfcn.h>
#include <filesystem>
#include <string>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

// OpenMP's runtime API, from libgomp (the runtime oneDNN is built against).
extern "C" int omp_get_max_threads(void);
extern "C" void omp_set_num_threads(int);

namespace kiln::runtime {

std::string kilnVersion() { return KILN_VERSION; }

std::string onednnVersion() {
  const dnnl_version_t *v = dnnl_version();
  std::string runtime = v->cpu_runtime == DNNL_RUNTIME_OMP   ? "OpenMP"
                        : v->cpu_runtime == DNNL_RUNTIME_SEQ ? "sequential"
                                                             : "other";
  return std::to_string(v->major) + "." + std::to_string(v->minor) + "." +
         std::to_string(v->patch) + " (" + runtime + " CPU runtime)";
}

int numThreads() { return omp_get_max_threads(); }

int maxNumThreads() {
  return std::max(256,
                  4 * static_cast<int>(std::thread::hardware_concurrency()));
}

void setNumThreads(int n) {
  if (n < 1)
    throw Error("set_num_threads: the thread count must be >= 1, got " +
                std::to_string(n));
  // OpenMP ends the process when it cannot start a thread; far more threads
  // than cores only slow loops down.
  int most = maxNumThreads();
  if (n > most)
    throw Error("set_num_threads: " + std::to_string(n) +
                " threads is more than Kiln runs on this machine (at most " +
                std::to_string(most) +
                ", 4 per hardware thread and at least "
                "256)");
  omp_set_num_threads(n);
}

std::string cacheDirectory() {
  if (std::string dir = envPath("KILN_CACHE_DIR"); !dir.empty())
    return dir;
  if (const char *xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg)
    return std::string(xdg) + "/kiln";
  if (const char *home = std::getenv("HOME"); home && *home)
    return std::string(home) + "/.cache/kiln";
  return ".kiln-cache";
}

std::string cacheFolderProblem(const std::string &directory) {
  std::error_code ec;
  if (!std::filesystem::exists(directory, ec)) {
    std::filesystem::create_directories(directory, ec);
    if (ec)
      return ec.message();
    ::chmod(directory.c_str(), 0700);
  }
  struct stat st;
  if (::stat(directory.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    return "it is not a folder";
  if (st.st_uid != ::geteuid())
    return "another user owns it";
  if (st.st_mode & (S_IWGRP | S_IWOTH))
    return "other users can write to it, and it holds code that Kiln runs "
           "(chmod go-w it)";
  // Every folder above it too, as OpenSSH checks the path of a key file:
  // owned by root or by us, and writable by nobody else, since whoever can
  // write a parent can swap the cache for a folder of their own. A sticky
  // folder of root's (/tmp) is the one exception: others may add to it but
  // cannot move or remove what we own.
  char resolved[PATH_MAX];
  if (!::realpath(directory.c_str(), resolved))
    return "its path cannot be resolved";
  for (std::filesystem::path folder =
           std::filesystem::path(resolved).parent_path();
       ; folder = folder.parent_path()) {
    struct stat parent;
    if (::stat(folder.c_str(), &parent) != 0)
      return "its parent " + folder.string() + " cannot be read";
    if (parent.st_uid != 0 && parent.st_uid != ::geteuid())
      return "its parent " + folder.string() +
             " belongs to another user, who could replace it";
    bool sharedSticky = (parent.st_mode & S_ISVTX) && parent.st_uid == 0;
    if ((parent.st_mode & (S_IWGRP | S_IWOTH)) && !sharedSticky)
      return "other users can write to its parent " + folder.string() +
             ", and could replace it (chmod go-w " + folder.string() + ")";
    if (folder == folder.root_path())
      break;
  }
  return "";
}

namespace {

/// Opens the first library of `names` that dlopen finds.
void *openFirst(std::initializer_list<const char *> names) {
  for (const char *name : names)
    if (void *handle = dlopen(name, RTLD_NOW | RTLD_LOCAL))
      return handle;
  return nullptr;
}

} // namespace

CudaStatus probeCuda() {
  CudaStatus status;
  // The driver API returns CUresult, 0 on success.
  using CuInit = int (*)(unsigned);
  using CuIntQuery = int (*)(int *);
  if (void *driver = openFirst({"libcuda.so.1", "libcuda.so"})) {
    auto init = reinterpret_cast<CuInit>(dlsym(driver, "cuInit"));
    auto version =
        reinterpret_cast<CuIntQuery>(dlsym(driver, "cuDriverGetVersion"));
    auto count =
        reinterpret_cast<CuIntQuery>(dlsym(driver, "cuDeviceGetCount"));
    if (!init || !version || !count) {
      status.detail = "libcuda.so.1 lacks the driver API";
    } else if (int rc = init(0); rc != 0) {
      status.detail = "cuInit failed with CUresult " + std::to_string(rc);
    } else {
      status.driverLoaded = true;
      version(&status.driverVersion);
      count(&status.deviceCount);
    }
  } else {
    status.detail = "no CUDA driver (libcuda.so.1 not found)";
  }

  using NvrtcVersion = int (*)(int *, int *);
  if (void *nvrtc =
          openFirst({"libnvrtc.so", "libnvrtc.so.13", "libnvrtc.so.12",
                     "/usr/local/cuda/lib64/libnvrtc.so"})) {
    if (auto query =
            reinterpret_cast<NvrtcVersion>(dlsym(nvrtc, "nvrtcVersion"))) {
      int major = 0, minor = 0;
      if (query(&major, &minor) == 0)
        status.nvrtcVersion =
            std::to_string(major) + "." + std::to_string(minor);
    }
  }
  return status;
}

} // namespace kiln::runtime
