//===- MemoryPlan.cpp - Best-fit placement of buffers in one arena --------===//
#include "kiln/runtime/MemoryPlan.h"
#include "kiln/runtime/Error.h"

#include <algorithm>
#include <functional>
#include <map>
#include <numeric>
#include <string>

namespace kiln::runtime {

namespace {

int64_t roundUp(int64_t bytes, int64_t alignment) {
  return (bytes + alignment - 1) / alignment * alignment;
}

bool overlap(const BufferLifetime &a, const BufferLifetime &b) {
  return a.first <= b.last && b.first <= a.last;
}

/// Places the buffers one by one in `order`: each goes into the smallest
/// gap between the buffers already placed that conflict with it, or above
/// them all when no gap fits.
std::vector<int64_t> placeInOrder(std::span<const BufferLifetime> buffers,
                                  std::span<const int64_t> sizes,
                                  std::span<const size_t> order,
                                  int64_t &arenaBytes) {
  std::vector<int64_t> offsets(buffers.size(), -1);
  std::vector<size_t> placed;
  std::vector<std::pair<int64_t, int64_t>> taken; // [begin, end) in bytes
  arenaBytes = 0;
  for (size_t i : order) {
    taken.clear();
    for (size_t j : placed)
      if (overlap(buffers[i], buffers[j]))
        taken.emplace_back(offsets[j], offsets[j] + sizes[j]);
    std::sort(taken.begin(), taken.end());
    int64_t best = -1, bestGap = 0, cursor = 0;
    for (auto [begin, end] : taken) {
      int64_t gap = begin - cursor;
      if (gap >= sizes[i] && (best < 0 || gap < bestGap)) {
        best = cursor;
        bestGap = gap;
      }
      cursor = std::max(cursor, end);
    }
    offsets[i] = best >= 0 ? best : cursor;
    arenaBytes = std::max(arenaBytes, offsets[i] + sizes[i]);
    placed.push_back(i);
  }
  return offsets;
}

} // namespace

MemoryPlan planMemory(std::span<const BufferLifetime> buffers,
                      int64_t alignment) {
  if (alignment <= 0 || (alignment & (alignment - 1)) != 0)
    throw Error("planMemory: the alignment must be a power of two, got " +
                std::to_string(alignment));
  std::vector<int64_t> sizes;
  for (size_t i = 0; i < buffers.size(); ++i) {
    const BufferLifetime &b = buffers[i];
    if (b.bytes < 0 || b.last < b.first)
      throw Error("planMemory: buffer " + std::to_string(i) + " has " +
                  std::to_string(b.bytes) + " bytes live from step " +
                  std::to_string(b.first) + " to step " +
                  std::to_string(b.last));
    sizes.push_back(roundUp(b.bytes, alignment));
  }

  MemoryPlan plan;
  plan.naiveBytes = std::accumulate(sizes.begin(), sizes.end(), int64_t(0));
  // The peak of live bytes: sizes enter at `first` and leave after `last`.
  std::map<int64_t, int64_t> delta;
  for (size_t i = 0; i < buffers.size(); ++i) {
    delta[buffers[i].first] += sizes[i];
    delta[buffers[i].last + 1] -= sizes[i];
  }
  int64_t live = 0;
  for (auto [step, change] : delta) {
    live += change;
    plan.lowerBoundBytes = std::max(plan.lowerBoundBytes, live);
  }

  // Best fit in several orders; the smallest arena wins. Decreasing size
  // is the classic; first use follows the program; longest-lived and
  // largest area (bytes x steps) first settle the buffers that constrain
  // the most others before the gaps fill.
  auto steps = [&](size_t i) { return buffers[i].last - buffers[i].first + 1; };
  std::vector<std::function<bool(size_t, size_t)>> orders = {
      [&](size_t a, size_t b) { return sizes[a] > sizes[b]; },
      [&](size_t a, size_t b) { return buffers[a].first < buffers[b].first; },
      [&](size_t a, size_t b) { return steps(a) > steps(b); },
      [&](size_t a, size_t b) {
        return static_cast<double>(sizes[a]) * steps(a) >
               static_cast<double>(sizes[b]) * steps(b);
      },
  };
  plan.arenaBytes = -1;
  for (auto &before : orders) {
    std::vector<size_t> order(buffers.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), before);
    int64_t arena = 0;
    std::vector<int64_t> offsets = placeInOrder(buffers, sizes, order, arena);
    if (plan.arenaBytes < 0 || arena < plan.arenaBytes) {
      plan.offsets = std::move(offsets);
      plan.arenaBytes = arena;
    }
  }
  return plan;
}

} // namespace kiln::runtime
