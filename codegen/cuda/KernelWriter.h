//===- KernelWriter.h - Writes one CUDA kernel's source ---------*- C++ -*-===//
//
// Internal to the CUDA emitter. A KernelWriter holds one kernel being
// written: its parameters (one pointer per buffer it touches), its body,
// and the value of any kiln value at any index as a C++ expression, each
// computed once per scope (a loop body, a branch) and named.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_CODEGEN_CUDA_KERNELWRITER_H
#define KILN_CODEGEN_CUDA_KERNELWRITER_H

#include "kiln/codegen/cuda/Emitter.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Operation.h"
#include "mlir/IR/Value.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"

#include <functional>
#include <string>

namespace kiln::codegen::cuda {

/// An element index: one C++ expression (of type long long) per dimension.
using Index = llvm::SmallVector<std::string, 4>;

/// The C++ type that stores elements of `type` in memory.
std::string storageType(mlir::Type type);
/// The C++ type that computes on them (float for f16 and bf16).
std::string computeType(mlir::Type type);
/// The bytes of one element of `type` in memory.
int64_t elementBytes(mlir::Type type);
/// `value` of element type `type` as a C++ literal of its compute type.
std::string literal(mlir::Type type, double value);
/// The row-major linear position of `index` in `shape`.
std::string linearize(const Index &index, llvm::ArrayRef<int64_t> shape);

/// What the program emitter provides a kernel: the buffer of each value.
class BufferResolver {
public:
  virtual ~BufferResolver() = default;
  /// The buffer that holds top-level `value` (a function argument, an op's
  /// result, or a non-splat constant).
  virtual int bufferOf(mlir::Value value) = 0;
};

class KernelWriter {
public:
  KernelWriter(std::string name, BufferResolver &buffers);

  /// Marks `op` (and, for a kiln.fusion, its body) as computed by this
  /// kernel: values it defines are expressions, all others are loaded.
  void computes(mlir::Operation *op);

  /// The parameter (a pointer name) of buffer `buffer`; `output` makes it
  /// writable.
  std::string param(int buffer, mlir::Type element, bool output);
  /// The pointer that holds top-level `value`.
  std::string pointerTo(mlir::Value value, bool output = false);

  /// Appends a line of the body at the current depth.
  void line(const std::string &text);
  /// Appends `head` followed by `{` and enters a scope.
  void open(const std::string &head);
  /// Leaves the scope (`}`).
  void close();
  /// Where the body ends now, and how deep: insertLine() adds a line there
  /// later (and moves `at` past it).
  size_t mark() const { return body_.size(); }
  int depth() const { return depth_; }
  void insertLine(size_t &at, int depth, const std::string &text);
  /// A fresh variable name with `prefix`.
  std::string fresh(const std::string &prefix);
  /// Declares `type name = init;` and returns `name`.
  std::string let(const std::string &type, const std::string &prefix,
                  const std::string &init);
  /// Splits linear position `linear` of `shape` into one index per
  /// dimension (declared as variables).
  Index delinearize(const std::string &linear, llvm::ArrayRef<int64_t> shape);

  /// The element of `value` at `index`, as an expression of its compute
  /// type: loaded from its buffer, or computed by the ops of this kernel.
  std::string valueAt(mlir::Value value, const Index &index);
  /// Stores `computed` (of `value`'s compute type) at linear position
  /// `linear` of `value`'s output buffer.
  void store(mlir::Value value, const std::string &linear,
             const std::string &computed);
  /// `expression` of compute type as stored (f16/bf16 converted).
  static std::string toStorage(mlir::Type element, const std::string &expr);
  static std::string fromStorage(mlir::Type element, const std::string &expr);

  /// Loads of a buffer at the kernel's root index come from `lanes[j]`
  /// instead (16-byte vector loads); `root` is that index.
  struct Vector {
    Index root;
    llvm::SmallVector<int64_t, 4> shape;              ///< the root's
    std::string lane;                                 ///< the lane variable
    std::function<std::string(int, mlir::Type)> load; ///< array per buffer
  };
  void setVector(Vector *vector) { vector_ = vector; }

  /// Declares `__shared__ type name[count]` at the top of the body.
  std::string shared(const std::string &type, const std::string &name,
                     const std::string &count);

  bool usesBarriers = false;

  /// The kernel's source: its signature (with `launchBound` threads a block
  /// at most) and its body.
  std::string source(unsigned launchBound) const;
  const std::string &name() const { return name_; }
  const std::vector<int> &buffers() const { return buffers_; }

private:
  std::string compute(mlir::Operation *op, unsigned result, const Index &index);
  std::string load(mlir::Value value, const Index &index);
  std::string lookup(const std::string &key) const;

  std::string name_;
  BufferResolver &resolver_;
  llvm::SmallPtrSet<mlir::Operation *, 16> ops_;
  /// Region arguments of fused kernels: the top-level value each stands for.
  llvm::DenseMap<mlir::Value, mlir::Value> outside_;
  std::vector<int> buffers_;
  std::vector<std::string> params_;
  std::vector<bool> writable_;
  std::string shared_;
  std::string body_;
  int depth_ = 1;
  int counter_ = 0;
  /// Named expressions by value and index, one map per open scope.
  std::vector<llvm::StringMap<std::string>> scopes_;
  Vector *vector_ = nullptr;
};

} // namespace kiln::codegen::cuda

#endif // KILN_CODEGEN_CUDA_KERNELWRITER_H
