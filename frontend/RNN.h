//===- RNN.h - RNN, LSTM, GRU and their cells -------------------*- C++ -*-===//
//
// LibTorch's recurrent layers with PyTorch's parameters (weight_ih_l0,
// weight_hh_l0, bias_ih_l0, bias_hh_l0, "_reverse" for the backward
// direction), gate order (LSTM: input, forget, cell, output; GRU: reset,
// update, new) and initialization (uniform in +-1/sqrt(hidden_size)). The
// time loop is recorded step by step, so a sequence compiles into one
// program with the input projection of every step done as one matmul.
//
//   nn::LSTM lstm(nn::LSTMOptions(10, 20).num_layers(2).batch_first(true));
//   auto [output, state] = lstm(x);          // x [N, T, 10]
//   auto [h, c] = state;                      // [2, N, 20] each
//
//===----------------------------------------------------------------------===//
#ifndef KILN_FRONTEND_RNN_H
#define KILN_FRONTEND_RNN_H

#include "kiln/frontend/Enum.h"
#include "kiln/frontend/Module.h"
#include "kiln/frontend/ModuleOptions.h"
#include "kiln/frontend/RNNUtils.h"
#include "kiln/frontend/Tensor.h"

#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace kiln::nn {

/// The options RNN, LSTM and GRU share; each options type declares them
/// itself so that every setter returns that type.
#define KILN_RNN_OPTIONS_COMMON                                                \
  KILN_ARG(int64_t, input_size);                                               \
  KILN_ARG(int64_t, hidden_size);                                              \
  KILN_ARG(int64_t, num_layers) = 1;                                           \
  KILN_ARG(bool, bias) = true;                                                 \
  /* Inputs and outputs are [N, T, features] instead of [T, N, features]. */   \
  KILN_ARG(bool, batch_first) = false;                                         \
  /* Dropout on the outputs of each layer but the last, in training. */        \
  KILN_ARG(double, dropout) = 0.0;                                             \
  KILN_ARG(bool, bidirectional) = false

/// Options of RNN: `nonlinearity` is kiln::kTanh or kiln::kReLU.
struct RNNOptions {
  RNNOptions(int64_t input_size, int64_t hidden_size)
      : input_size_(input_size), hidden_size_(hidden_size) {}
  KILN_RNN_OPTIONS_COMMON;
  KILN_ARG(Mode, nonlinearity) = kTanh;
};
/// Options of LSTM. `proj_size` must be 0 (projections are not supported).
struct LSTMOptions {
  LSTMOptions(int64_t input_size, int64_t hidden_size)
      : input_size_(input_size), hidden_size_(hidden_size) {}
  KILN_RNN_OPTIONS_COMMON;
  KILN_ARG(int64_t, proj_size) = 0;
};
/// Options of GRU.
struct GRUOptions {
  GRUOptions(int64_t input_size, int64_t hidden_size)
      : input_size_(input_size), hidden_size_(hidden_size) {}
  KILN_RNN_OPTIONS_COMMON;
};

/// The options every recurrent layer has, taken from its own options.
struct RNNOptionsBase {
  template <typename Options>
  explicit RNNOptionsBase(const Options &o)
      : input_size_(o.input_size()), hidden_size_(o.hidden_size()),
        num_layers_(o.num_layers()), bias_(o.bias()),
        batch_first_(o.batch_first()), dropout_(o.dropout()),
        bidirectional_(o.bidirectional()) {}
  KILN_RNN_OPTIONS_COMMON;
};

/// What RNN, LSTM and GRU share: the parameters of every layer and
/// direction, and the checks of the input.
class RNNImplBase : public Module {
public:
  using PackedSequence = utils::rnn::PackedSequence;
  /// Draws new parameters.
  void reset();
  void reset_parameters();
  void pretty_print(std::ostream &stream) const override;

  /// The parameters in PyTorch's order: per layer and direction, weight_ih,
  /// weight_hh, then bias_ih and bias_hh.
  std::vector<Tensor> all_weights() const;
  /// Accepted for porting: the parameters are already one program's.
  void flatten_parameters() {}

  RNNOptionsBase options_base;

protected:
  /// `gates` rows per hidden unit: 1 (RNN), 4 (LSTM), 3 (GRU).
  RNNImplBase(const RNNOptionsBase &options, int64_t gates, const char *kind);
  /// The input as [T, N, F], and whether it was unbatched.
  std::pair<Tensor, bool> timeMajor(const Tensor &input) const;
  /// An initial state [layers * directions, N, H]: `given` checked, or
  /// zeros.
  Tensor initialState(const Tensor &given, int64_t batch, bool unbatched,
                      const Tensor &like, const char *what) const;
  /// The output back in the caller's layout.
  Tensor callerLayout(const Tensor &output, bool unbatched) const;

  /// Packed input as padded steps [T, N, F] in its sorted order, each
  /// sequence's length, and the initial states (given in the batch's
  /// original order) in that order.
  struct Unpacked {
    Tensor x, h0, c0;
    std::vector<int64_t> lengths;
  };
  Unpacked unpack(const PackedSequence &packed, const Tensor &hx,
                  const Tensor &cx) const;
  /// The outputs [T, N, H] of the running sequences, packed as `packed`.
  PackedSequence repack(const Tensor &output,
                        const PackedSequence &packed) const;
  /// A final state [L D, N, H] back in the batch's original order.
  Tensor unsortState(const Tensor &state, const PackedSequence &packed) const;
  int64_t directions() const { return options_base.bidirectional() ? 2 : 1; }

  /// Per layer and direction: weight_ih, weight_hh, bias_ih, bias_hh.
  struct Weights {
    Tensor w_ih, w_hh, b_ih, b_hh;
  };
  std::vector<Weights> weights_;
  int64_t gates_;
  const char *kind_;
};

/// Elman RNN: h' = act(x W_ih^T + b_ih + h W_hh^T + b_hh).
class RNNImpl : public detail::ClonableFromOptions<RNNImpl, RNNImplBase> {
public:
  RNNImpl(int64_t input_size, int64_t hidden_size)
      : RNNImpl(RNNOptions(input_size, hidden_size)) {}
  explicit RNNImpl(const RNNOptions &options);
  /// `input` [T, N, F] ([N, T, F] with batch_first, [T, F] unbatched) and
  /// `hx` [layers * directions, N, H] (zeros when undefined); returns the
  /// last layer's outputs [T, N, directions * H] and the final states.
  std::tuple<Tensor, Tensor> forward(const Tensor &input, Tensor hx = {});
  /// The same over packed sequences of different lengths (each one's final
  /// state is the state after its own last step); `hx` and the final state
  /// are in the batch's original order.
  std::tuple<PackedSequence, Tensor>
  forward_with_packed_input(const PackedSequence &packed_input, Tensor hx = {});

  RNNOptions options;
};
KILN_MODULE(RNN);

/// Long short-term memory.
class LSTMImpl : public detail::ClonableFromOptions<LSTMImpl, RNNImplBase> {
public:
  LSTMImpl(int64_t input_size, int64_t hidden_size)
      : LSTMImpl(LSTMOptions(input_size, hidden_size)) {}
  explicit LSTMImpl(const LSTMOptions &options);
  /// As RNN's forward, with the state a pair (h, c) of
  /// [layers * directions, N, H].
  std::tuple<Tensor, std::tuple<Tensor, Tensor>>
  forward(const Tensor &input,
          std::optional<std::tuple<Tensor, Tensor>> hx_opt = {});
  std::tuple<PackedSequence, std::tuple<Tensor, Tensor>>
  forward_with_packed_input(
      const PackedSequence &packed_input,
      std::optional<std::tuple<Tensor, Tensor>> hx_opt = {});

  LSTMOptions options;
};
KILN_MODULE(LSTM);

/// Gated recurrent unit.
class GRUImpl : public detail::ClonableFromOptions<GRUImpl, RNNImplBase> {
public:
  GRUImpl(int64_t input_size, int64_t hidden_size)
      : GRUImpl(GRUOptions(input_size, hidden_size)) {}
  explicit GRUImpl(const GRUOptions &options);
  std::tuple<Tensor, Tensor> forward(const Tensor &input, Tensor hx = {});
  std::tuple<PackedSequence, Tensor>
  forward_with_packed_input(const PackedSequence &packed_input, Tensor hx = {});

  GRUOptions options;
};
KILN_MODULE(GRU);

/// Options of the cells.
struct RNNCellOptionsBase {
  RNNCellOptionsBase(int64_t input_size, int64_t hidden_size)
      : input_size_(input_size), hidden_size_(hidden_size) {}
  KILN_ARG(int64_t, input_size);
  KILN_ARG(int64_t, hidden_size);
  KILN_ARG(bool, bias) = true;
};
struct RNNCellOptions {
  RNNCellOptions(int64_t input_size, int64_t hidden_size)
      : input_size_(input_size), hidden_size_(hidden_size) {}
  KILN_ARG(int64_t, input_size);
  KILN_ARG(int64_t, hidden_size);
  KILN_ARG(bool, bias) = true;
  KILN_ARG(Mode, nonlinearity) = kTanh;
};
using LSTMCellOptions = RNNCellOptionsBase;
using GRUCellOptions = RNNCellOptionsBase;

/// What the cells share: weight_ih, weight_hh, bias_ih, bias_hh.
class RNNCellImplBase : public Module {
public:
  void reset();
  void reset_parameters();
  void pretty_print(std::ostream &stream) const override;

  RNNCellOptionsBase options_base;
  Tensor weight_ih, weight_hh, bias_ih, bias_hh;

protected:
  RNNCellImplBase(const RNNCellOptionsBase &options, int64_t gates,
                  const char *kind);
  /// The input as [N, F] and whether it was unbatched ([F]).
  std::pair<Tensor, bool> batched(const Tensor &input) const;
  /// A state [N, H]: `given` checked, or zeros.
  Tensor state(const Tensor &given, const Tensor &input, bool unbatched) const;
  int64_t gates_;
  const char *kind_;
};

class RNNCellImpl
    : public detail::ClonableFromOptions<RNNCellImpl, RNNCellImplBase> {
public:
  RNNCellImpl(int64_t input_size, int64_t hidden_size)
      : RNNCellImpl(RNNCellOptions(input_size, hidden_size)) {}
  explicit RNNCellImpl(const RNNCellOptions &options);
  /// The next hidden state [N, H] of `input` [N, F] ([F] unbatched).
  Tensor forward(const Tensor &input, Tensor hx = {});
  void pretty_print(std::ostream &stream) const override;

  RNNCellOptions options;
};
KILN_MODULE(RNNCell);

class LSTMCellImpl
    : public detail::ClonableFromOptions<LSTMCellImpl, RNNCellImplBase> {
public:
  LSTMCellImpl(int64_t input_size, int64_t hidden_size)
      : LSTMCellImpl(LSTMCellOptions(input_size, hidden_size)) {}
  explicit LSTMCellImpl(const LSTMCellOptions &options);
  /// The next (h, c), each [N, H].
  std::tuple<Tensor, Tensor>
  forward(const Tensor &input,
          std::optional<std::tuple<Tensor, Tensor>> hx_opt = {});

  LSTMCellOptions options;
};
KILN_MODULE(LSTMCell);

class GRUCellImpl
    : public detail::ClonableFromOptions<GRUCellImpl, RNNCellImplBase> {
public:
  GRUCellImpl(int64_t input_size, int64_t hidden_size)
      : GRUCellImpl(GRUCellOptions(input_size, hidden_size)) {}
  explicit GRUCellImpl(const GRUCellOptions &options);
  Tensor forward(const Tensor &input, Tensor hx = {});

  GRUCellOptions options;
};
KILN_MODULE(GRUCell);

} // namespace kiln::nn

#endif // KILN_FRONTEND_RNN_H
