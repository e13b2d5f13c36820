//===- NodePool.cpp - Recycled memory for recorded nodes ------------------===//
#include "kiln/frontend/NodePool.h"
#include "kiln/ir/Shapes.h"
#include "kiln/runtime/Error.h"
#include "kiln/runtime/HostMemory.h"

#include <cstring>
#include <string>
#include <utility>
#include <vector>

namespace kiln::detail {

namespace {

// Every block comes from operator new, so one freed by another thread simply
// joins that thread's cache, and one freed after its thread's cache closed
// goes back to operator delete.

/// Blocks are cached in size classes of 64 bytes, up to 512 bytes.
constexpr size_t kBlockClassBytes = 64;
constexpr size_t kBlockClasses = 8;
/// At most this many blocks per class, and shapes, per thread are kept.
constexpr size_t kMaxCachedBlocks = 1024;

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KILN_ASAN
#endif
#endif
/// Under AddressSanitizer nothing is recycled, so that it still sees every
/// use after free.
#if defined(KILN_ASAN) || defined(__SANITIZE_ADDRESS__)
constexpr bool kRecycle = false;
#else
constexpr bool kRecycle = true;
#endif

struct FreeBlock {
  FreeBlock *next;
};

/// One thread's cached blocks. Trivially destructible, so that it is usable
/// until the thread's very end, after the destructor of BlockCacheCloser.
struct BlockCache {
  FreeBlock *heads[kBlockClasses] = {};
  size_t counts[kBlockClasses] = {};
  /// Emptied shapes that keep their buffers (behind a pointer, to keep this
  /// struct trivially destructible).
  std::vector<Shape> *shapes = nullptr;
  bool registered = false; ///< a BlockCacheCloser empties it at thread end
  bool closed = false;     ///< emptied: blocks go back to operator delete
};
// The initial-exec model reads it at a fixed offset from the thread pointer
// rather than through a __tls_get_addr call, which was a few percent of a
// record; the few bytes fit the static TLS that glibc keeps spare for
// libraries, even one that is dlopened.
__attribute__((tls_model("initial-exec"))) thread_local BlockCache blockCache;

/// Frees the calling thread's cached blocks when the thread ends.
struct BlockCacheCloser {
  BlockCacheCloser() { blockCache.registered = true; }
  ~BlockCacheCloser() {
    blockCache.closed = true;
    for (FreeBlock *&head : blockCache.heads)
      while (FreeBlock *block = head) {
        head = block->next;
        ::operator delete(block);
      }
    delete std::exchange(blockCache.shapes, nullptr);
  }
};

void closeBlockCacheAtThreadExit() {
  // Constructed, and its destructor registered, on the first call.
  thread_local BlockCacheCloser closer;
}

} // namespace

void *takeBlock(size_t bytes) {
  size_t c = (bytes - 1) / kBlockClassBytes;
  if (kRecycle && c < kBlockClasses) {
    BlockCache &cache = blockCache;
    if (FreeBlock *block = cache.heads[c]) {
      cache.heads[c] = block->next;
      --cache.counts[c];
      return block;
    }
    // The class's full size, so that the block fits any request of it.
    return ::operator new((c + 1) * kBlockClassBytes);
  }
  return ::operator new(bytes);
}

void returnBlock(void *p, size_t bytes) {
  size_t c = (bytes - 1) / kBlockClassBytes;
  BlockCache &cache = blockCache;
  if (kRecycle && c < kBlockClasses && !cache.closed &&
      cache.counts[c] < kMaxCachedBlocks) {
    if (!cache.registered)
      closeBlockCacheAtThreadExit();
    auto *block = static_cast<FreeBlock *>(p);
    block->next = cache.heads[c];
    cache.heads[c] = block;
    ++cache.counts[c];
    return;
  }
  ::operator delete(p);
}

void assignShape(Shape &out, std::span<const int64_t> shape) {
  BlockCache &cache = blockCache;
  if (kRecycle && cache.shapes && !cache.shapes->empty()) {
    out.swap(cache.shapes->back());
    cache.shapes->pop_back();
  }
  // push_back, not assign(): within the capacity it is inline.
  for (int64_t d : shape)
    out.push_back(d);
}

namespace {
/// Empties `shape`, keeping its buffer for assignShape() on this thread.
void recycleShape(Shape &shape) {
  if (!kRecycle || shape.capacity() == 0)
    return;
  BlockCache &cache = blockCache;
  if (cache.closed)
    return;
  if (!cache.registered)
    closeBlockCacheAtThreadExit();
  if (!cache.shapes)
    cache.shapes = new std::vector<Shape>;
  if (cache.shapes->size() < kMaxCachedBlocks) {
    cache.shapes->push_back(std::move(shape));
    cache.shapes->back().clear();
  }
}

} // namespace

TensorImpl::~TensorImpl() { recycleShape(type.shape); }

namespace {
/// How many ~Node calls are on this thread's stack, and, once that is deep,
/// the list the outermost deep one releases iteratively.
thread_local int teardownDepth = 0;
using TeardownQueue = llvm::SmallVector<std::shared_ptr<void>, 32>;
thread_local TeardownQueue *teardownQueue = nullptr;
/// Nested teardowns recurse up to here (a few kilobytes of stack), then
/// continue in a loop.
constexpr int kRecursiveTeardown = 64;
} // namespace

Node::~Node() {
  if (teardownQueue) {
    // Inside a deep teardown: hand the edges to its loop.
    for (auto &input : inputs)
      if (input)
        teardownQueue->push_back(std::move(input));
    if (gradFunction)
      teardownQueue->push_back(std::move(gradFunction));
    return;
  }
  if (++teardownDepth < kRecursiveTeardown) {
    inputs.clear();
    gradFunction.reset();
  } else {
    TeardownQueue queue; // a chain keeps it short: no allocation
    teardownQueue = &queue;
    inputs.clear();
    gradFunction.reset();
    while (!queue.empty()) {
      std::shared_ptr<void> last = std::move(queue.back());
      queue.pop_back();
      last.reset(); // may append to the queue
    }
    teardownQueue = nullptr;
  }
  --teardownDepth;
}

Storage::~Storage() {
  if (owned)
    runtime::freeHost(data, bytes);
  else if (deleter)
    deleter(data);
}

std::shared_ptr<Storage> Storage::allocate(size_t bytes, bool zero) {
  // The storage and its counts in one recycled block.
  auto storage = std::allocate_shared<Storage>(RecycledAllocator<Storage>());
  storage->data = runtime::allocateHost(bytes);
  if (!storage->data)
    throw Error("out of memory allocating " + std::to_string(bytes) +
                " bytes for a tensor");
  storage->bytes = bytes;
  storage->owned = true;
  if (zero)
    std::memset(storage->data, 0, bytes);
  return storage;
}

int64_t ValueType::numel() const { return ir::numElements(shape); }

std::shared_ptr<TensorImpl> makeRealized(const ValueType &type) {
  auto impl = std::make_shared<TensorImpl>();
  impl->type = type;
  impl->storage = Storage::allocate(type.bytes());
  return impl;
}

} // namespace kiln::detail
