//===- RNNUtils.h - Padding and packing variable-length sequences -*- C++ -*-===//
//
// LibTorch's nn::utils::rnn: pad_sequence stacks sequences of different
// lengths with padding; a PackedSequence holds them without padding, time
// step by time step, with how many sequences are still running at each
// step. The conversions read the lengths (small host tensors) and move the
// data with slices and concatenations, so gradients flow through them.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_FRONTEND_RNNUTILS_H
#define KILN_FRONTEND_RNNUTILS_H

#include "kiln/frontend/Tensor.h"

#include <optional>
#include <string_view>
#include <tuple>
#include <vector>

namespace kiln::nn::utils::rnn {

/// Sequences packed time step by time step: `data` is [sum of lengths, *],
/// the rows of step t being the batch_sizes[t] sequences still running.
/// `sorted_indices` orders the original batch by decreasing length (undefined
/// when it already was), `unsorted_indices` undoes that.
class PackedSequence {
public:
  PackedSequence() = default;
  explicit PackedSequence(Tensor data, Tensor batch_sizes,
                          Tensor sorted_indices = {},
                          Tensor unsorted_indices = {});

  const Tensor &data() const { return data_; }
  const Tensor &batch_sizes() const { return batch_sizes_; }
  const Tensor &sorted_indices() const { return sorted_indices_; }
  const Tensor &unsorted_indices() const { return unsorted_indices_; }
  /// The same sequences with the data converted (dtype or device).
  PackedSequence to(TensorOptions options) const;
  bool is_cuda() const {
    return data_.defined() && data_.device().type() == kCUDA;
  }

private:
  Tensor data_, batch_sizes_, sorted_indices_, unsorted_indices_;
};

/// The permutation that undoes `permutation`.
Tensor invert_permutation(const Tensor &permutation, Loc loc = Loc::current());

/// Packs `input` ([T, B, *], or [B, T, *] with batch_first) whose sequence
/// b has `lengths[b]` steps. With enforce_sorted the lengths must not
/// increase; without, the batch is sorted first and the order kept.
PackedSequence pack_padded_sequence(Tensor input, Tensor lengths,
                                    bool batch_first = false,
                                    bool enforce_sorted = true,
                                    Loc loc = Loc::current());

/// The padded tensor ([T, B, *], or [B, T, *] with batch_first; T is
/// `total_length` when given) and the lengths, in the original order.
std::tuple<Tensor, Tensor>
pad_packed_sequence(const PackedSequence &sequence, bool batch_first = false,
                    double padding_value = 0.0,
                    std::optional<int64_t> total_length = std::nullopt,
                    Loc loc = Loc::current());

/// Stacks sequences [L_i, *] into [max L, B, *] ([B, max L, *] with
/// batch_first), padding each at `padding_side` ("right" or "left").
Tensor pad_sequence(const std::vector<Tensor> &sequences,
                    bool batch_first = false, double padding_value = 0.0,
                    std::string_view padding_side = "right",
                    Loc loc = Loc::current());

/// pack_padded_sequence of pad_sequence(sequences) with their lengths.
PackedSequence pack_sequence(const std::vector<Tensor> &sequences,
                             bool enforce_sorted = true,
                             Loc loc = Loc::current());

} // namespace kiln::nn::utils::rnn

#endif // KILN_FRONTEND_RNNUTILS_H
