//===- Program.h - A compiled program, whatever the backend -----*- C++ -*-===//
//
// What a backend gives back for one function: something that runs on
// dense row-major buffers, with the figures the frontend reports. The
// frontend's program cache holds these; the CPU JIT (cpu/Jit.h) and the
// CUDA backend (cuda/CudaProgram.h) are the two implementations.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_CODEGEN_PROGRAM_H
#define KILN_CODEGEN_PROGRAM_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <string>
#include <vector>

namespace kiln::codegen {

class Program {
public:
  virtual ~Program();

  /// Runs the program. `inputs` and `outputs` hold one data pointer per
  /// argument and result, each pointing to enough memory for its type; for
  /// each of donations() the input and the output should be the same
  /// pointer (otherwise the input is first copied to the output).
  virtual void run(llvm::ArrayRef<void *> inputs,
                   llvm::ArrayRef<void *> outputs) const = 0;

  /// "cpu" or "cuda".
  virtual llvm::StringRef backend() const = 0;

  size_t numInputs() const { return numInputs_; }
  size_t numOutputs() const { return numOutputs_; }
  /// The arena a run places its temporaries in (the memory plan).
  int64_t arenaBytes() const { return arenaBytes_; }
  /// The most bytes live at once: no arena can be smaller.
  int64_t arenaLowerBound() const { return arenaLowerBound_; }
  /// The bytes of the temporaries if each had its own memory.
  int64_t naiveBytes() const { return naiveBytes_; }
  /// Loop nests, library calls or kernel launches a run makes, in order.
  int64_t kernels() const { return kernels_; }
  /// Their names, where the backend names them (CUDA's kernels).
  const std::vector<std::string> &kernelNames() const { return kernelNames_; }
  /// An input whose buffer the program overwrites with an output.
  struct Donation {
    size_t input = 0, output = 0;
    size_t bytes = 0;
  };
  /// A caller that passes different buffers for a donation pays a copy.
  const std::vector<Donation> &donations() const { return donations_; }
  /// Whether the code came from the disk cache instead of the compiler.
  bool fromDiskCache() const { return fromDiskCache_; }
  /// Why the disk cache was not used or an entry was ignored, if it was.
  const std::string &cacheNote() const { return cacheNote_; }

protected:
  Program() = default;

  size_t numInputs_ = 0, numOutputs_ = 0;
  int64_t arenaBytes_ = 0, arenaLowerBound_ = 0, naiveBytes_ = 0, kernels_ = 0;
  std::vector<std::string> kernelNames_;
  std::vector<Donation> donations_;
  bool fromDiskCache_ = false;
  std::string cacheNote_;
};

} // namespace kiln::codegen

#endif // KILN_CODEGEN_PROGRAM_H
