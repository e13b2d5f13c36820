//===- RNNUtils.cpp - Padding and packing variable-length sequences -------===//
#include "kiln/frontend/RNNUtils.h"
#include "kiln/frontend/TensorInternal.h"
#include "kiln/runtime/Error.h"

#include <algorithm>
#include <numeric>

namespace kiln::nn::utils::rnn {

using detail::fail;
using detail::str;

PackedSequence::PackedSequence(Tensor data, Tensor batch_sizes,
                               Tensor sorted_indices, Tensor unsorted_indices)
    : data_(std::move(data)), batch_sizes_(std::move(batch_sizes)),
      sorted_indices_(std::move(sorted_indices)),
      unsorted_indices_(std::move(unsorted_indices)) {
  if (sorted_indices_.defined() && !unsorted_indices_.defined())
    unsorted_indices_ = invert_permutation(sorted_indices_);
}

PackedSequence PackedSequence::to(TensorOptions options) const {
  Tensor data = data_;
  if (options.has_dtype())
    data = data.to(options.dtype());
  if (options.device() != data.device())
    data = data.to(options.device());
  return PackedSequence(data, batch_sizes_, sorted_indices_, unsorted_indices_);
}

Tensor invert_permutation(const Tensor &permutation, Loc loc) {
  if (!permutation.defined())
    return {};
  detail::checkDefined(permutation, "invert_permutation", loc);
  std::vector<int64_t> order = permutation.to(kInt64, loc).to_vector<int64_t>();
  std::vector<int64_t> inverse(order.size(), -1);
  for (size_t i = 0; i < order.size(); ++i) {
    int64_t p = order[i];
    if (p < 0 || p >= static_cast<int64_t>(order.size()) || inverse[p] != -1)
      fail(loc, "invert_permutation",
           "the indices are not a permutation of 0.." +
               std::to_string(order.size() - 1));
    inverse[p] = static_cast<int64_t>(i);
  }
  return tensor(inverse, kInt64, loc);
}

namespace {

/// The lengths as integers: a 1-d tensor of `batch` positive values.
std::vector<int64_t> readLengths(const Tensor &lengths, int64_t batch,
                                 int64_t steps, std::string_view op,
                                 const Loc &loc) {
  detail::checkDefined(lengths, op, loc);
  if (lengths.dim() != 1 || lengths.size(0) != batch)
    fail(loc, op,
         "expects one length per sequence of the batch (" +
             std::to_string(batch) + "), got lengths of shape " +
             str(lengths.sizes()));
  std::vector<int64_t> out = lengths.to(kInt64, loc).to_vector<int64_t>();
  for (int64_t length : out) {
    if (length <= 0)
      fail(loc, op,
           "every length must be greater than 0, got " +
               std::to_string(length));
    if (length > steps)
      fail(loc, op,
           "a length of " + std::to_string(length) + " exceeds the " +
               std::to_string(steps) + " steps of the input");
  }
  return out;
}

} // namespace

PackedSequence pack_padded_sequence(Tensor input, Tensor lengths,
                                    bool batch_first, bool enforce_sorted,
                                    Loc loc) {
  detail::checkDefined(input, "pack_padded_sequence", loc);
  if (input.dim() < 2)
    fail(loc, "pack_padded_sequence",
         "expects a [T, B, *] input, got " + str(input.sizes()));
  if (batch_first)
    input = input.transpose(0, 1, loc);
  int64_t steps = input.size(0), batch = input.size(1);
  std::vector<int64_t> length =
      readLengths(lengths, batch, steps, "pack_padded_sequence", loc);
  Tensor sorted;
  if (enforce_sorted) {
    for (size_t b = 1; b < length.size(); ++b)
      if (length[b] > length[b - 1])
        fail(loc, "pack_padded_sequence",
             "the lengths must be sorted in decreasing order when "
             "enforce_sorted is true (pass enforce_sorted = false to pack "
             "unsorted sequences)");
  } else {
    std::vector<int64_t> order(length.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
      return length[a] > length[b];
    });
    std::vector<int64_t> reordered;
    for (int64_t b : order)
      reordered.push_back(length[b]);
    length = reordered;
    sorted = tensor(order, kInt64, loc);
    input = input.index_select(1, sorted, loc);
  }
  // Step t holds the sequences longer than t: the first batch_sizes[t].
  std::vector<int64_t> batchSizes;
  std::vector<Tensor> rows;
  for (int64_t t = 0; t < length.front(); ++t) {
    int64_t running = std::count_if(length.begin(), length.end(),
                                    [&](int64_t l) { return l > t; });
    batchSizes.push_back(running);
    rows.push_back(input.select(0, t, loc).narrow(0, 0, running, loc));
  }
  return PackedSequence(cat(rows, 0, loc), tensor(batchSizes, kInt64, loc),
                        sorted, invert_permutation(sorted, loc));
}

std::tuple<Tensor, Tensor>
pad_packed_sequence(const PackedSequence &sequence, bool batch_first,
                    double padding_value, std::optional<int64_t> total_length,
                    Loc loc) {
  detail::checkDefined(sequence.data(), "pad_packed_sequence", loc);
  detail::checkDefined(sequence.batch_sizes(), "pad_packed_sequence", loc);
  std::vector<int64_t> batchSizes =
      sequence.batch_sizes().to(kInt64, loc).to_vector<int64_t>();
  const Tensor &data = sequence.data();
  int64_t steps = static_cast<int64_t>(batchSizes.size());
  int64_t batch = steps ? batchSizes.front() : 0;
  if (std::accumulate(batchSizes.begin(), batchSizes.end(), int64_t{0}) !=
      data.size(0))
    fail(loc, "pad_packed_sequence",
         "the batch sizes add up to " +
             std::to_string(std::accumulate(batchSizes.begin(),
                                            batchSizes.end(), int64_t{0})) +
             " rows, but the data has " + std::to_string(data.size(0)));
  int64_t outSteps = steps;
  if (total_length) {
    if (*total_length < steps)
      fail(loc, "pad_packed_sequence",
           "total_length " + std::to_string(*total_length) +
               " is shorter than the longest sequence (" +
               std::to_string(steps) + ")");
    outSteps = *total_length;
  }
  Shape rowShape(data.sizes().begin() + 1, data.sizes().end());
  std::vector<Tensor> padded;
  std::vector<int64_t> length(batch, 0);
  int64_t offset = 0;
  for (int64_t t = 0; t < outSteps; ++t) {
    int64_t running = t < steps ? batchSizes[t] : 0;
    for (int64_t b = 0; b < running; ++b)
      length[b] = t + 1;
    Shape fillShape = rowShape;
    fillShape.insert(fillShape.begin(), batch - running);
    Tensor fill = full(fillShape, padding_value, data.dtype(), loc);
    if (running == 0) {
      padded.push_back(fill);
      continue;
    }
    Tensor rows = data.narrow(0, offset, running, loc);
    offset += running;
    padded.push_back(running == batch ? rows : cat({rows, fill}, 0, loc));
  }
  Tensor out = stack(padded, 0, loc); // [T, B, *]
  Tensor lengths = tensor(length, kInt64, loc);
  if (sequence.unsorted_indices().defined()) {
    out = out.index_select(1, sequence.unsorted_indices(), loc);
    lengths = lengths.index_select(0, sequence.unsorted_indices(), loc);
  }
  if (batch_first)
    out = out.transpose(0, 1, loc);
  return {out, lengths};
}

Tensor pad_sequence(const std::vector<Tensor> &sequences, bool batch_first,
                    double padding_value, std::string_view padding_side,
                    Loc loc) {
  if (sequences.empty())
    fail(loc, "pad_sequence", "expects at least one sequence");
  if (padding_side != "right" && padding_side != "left")
    fail(loc, "pad_sequence",
         "padding_side must be \"right\" or \"left\", got \"" +
             std::string(padding_side) + "\"");
  int64_t longest = 0;
  for (const Tensor &s : sequences) {
    detail::checkDefined(s, "pad_sequence", loc);
    if (s.dim() < 1)
      fail(loc, "pad_sequence", "each sequence needs a time dimension");
    Shape trailing(s.sizes().begin() + 1, s.sizes().end());
    Shape first(sequences[0].sizes().begin() + 1, sequences[0].sizes().end());
    if (trailing != first || s.dtype() != sequences[0].dtype())
      fail(loc, "pad_sequence",
           "every sequence must have the same trailing shape and dtype, got " +
               str(sequences[0].sizes()) + " and " + str(s.sizes()));
    longest = std::max(longest, s.size(0));
  }
  std::vector<Tensor> columns;
  for (const Tensor &s : sequences) {
    Shape fillShape = s.sizes();
    fillShape[0] = longest - s.size(0);
    if (fillShape[0] == 0) {
      columns.push_back(s);
      continue;
    }
    Tensor fill = full(fillShape, padding_value, s.dtype(), loc);
    columns.push_back(padding_side == "right" ? cat({s, fill}, 0, loc)
                                              : cat({fill, s}, 0, loc));
  }
  return stack(columns, batch_first ? 0 : 1, loc);
}

PackedSequence pack_sequence(const std::vector<Tensor> &sequences,
                             bool enforce_sorted, Loc loc) {
  std::vector<int64_t> lengths;
  for (const Tensor &s : sequences) {
    detail::checkDefined(s, "pack_sequence", loc);
    lengths.push_back(s.dim() ? s.size(0) : 0);
  }
  return pack_padded_sequence(pad_sequence(sequences, false, 0.0, "right", loc),
                              tensor(lengths, kInt64, loc), false,
                              enforce_sorted, loc);
}

} // namespace kiln::nn::utils::rnn
