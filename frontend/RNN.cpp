//===- RNN.cpp - RNN, LSTM, GRU and their cells ----------------------------===//
#include "kiln/frontend/RNN.h"
#include "kiln/frontend/Autograd.h"
#include "kiln/frontend/Functional.h"
#include "kiln/frontend/NN.h"
#include "kiln/ir/Shapes.h"
#include "kiln/runtime/Error.h"

#include <cmath>

namespace kiln::nn {

using utils::rnn::PackedSequence;

namespace {

std::string describe(const Tensor &t) {
  return t.defined() ? ir::formatShape(t.sizes())
                     : std::string("an undefined tensor");
}

Tensor addBias(const Tensor &x, const Tensor &bias) {
  return bias.defined() ? x + bias : x;
}

/// x W^T + b over the last dimension.
Tensor project(const Tensor &x, const Tensor &weight, const Tensor &bias) {
  return addBias(x.matmul(weight.t()), bias);
}

enum class Kind { Tanh, ReLU, LSTM, GRU };

Kind rnnKind(const Mode &mode, const char *layer) {
  const std::string &nonlinearity = mode.str();
  if (nonlinearity == "tanh")
    return Kind::Tanh;
  if (nonlinearity == "relu")
    return Kind::ReLU;
  throw Error(std::string(layer) + ": nonlinearity must be \"tanh\" or " +
              "\"relu\", got \"" + nonlinearity + "\"");
}

/// One step: `xw` is the input's projection with its bias, [N, G H]; `h`
/// and (for the LSTM) `c` are [N, H]. Returns the new h and c.
std::pair<Tensor, Tensor> step(Kind kind, const Tensor &xw, const Tensor &h,
                               const Tensor &c, const Tensor &w_hh,
                               const Tensor &b_hh) {
  Tensor hw = project(h, w_hh, b_hh);
  switch (kind) {
  case Kind::Tanh:
    return {tanh(xw + hw), Tensor()};
  case Kind::ReLU:
    return {relu(xw + hw), Tensor()};
  case Kind::LSTM: {
    std::vector<Tensor> g = (xw + hw).chunk(4, 1);
    Tensor next = sigmoid(g[1]) * c + sigmoid(g[0]) * tanh(g[2]);
    return {sigmoid(g[3]) * tanh(next), next};
  }
  case Kind::GRU: {
    std::vector<Tensor> x = xw.chunk(3, 1), r = hw.chunk(3, 1);
    Tensor reset = sigmoid(x[0] + r[0]);
    Tensor update = sigmoid(x[1] + r[1]);
    Tensor fresh = tanh(x[2] + reset * r[2]);
    return {(1 - update) * fresh + update * h, Tensor()};
  }
  }
  return {};
}

void checkSizes(const char *layer, int64_t input, int64_t hidden) {
  if (input < 1 || hidden < 1)
    throw Error(std::string(layer) +
                ": input_size and hidden_size must be positive, got " +
                std::to_string(input) + " and " + std::to_string(hidden));
}

} // namespace

// --- The multi-layer modules

RNNImplBase::RNNImplBase(const RNNOptionsBase &options, int64_t gates,
                         const char *kind)
    : options_base(options), gates_(gates), kind_(kind) {
  reset();
}

void RNNImplBase::reset() {
  const RNNOptionsBase &o = options_base;
  checkSizes(kind_, o.input_size(), o.hidden_size());
  if (o.num_layers() < 1)
    throw Error(std::string(kind_) + ": num_layers must be positive, got " +
                std::to_string(o.num_layers()));
  if (!(o.dropout() >= 0 && o.dropout() <= 1))
    throw Error(std::string(kind_) + ": dropout must be in [0, 1], got " +
                std::to_string(o.dropout()));
  int64_t h = o.hidden_size(), rows = gates_ * h;
  weights_.clear();
  for (int64_t layer = 0; layer < o.num_layers(); ++layer)
    for (int64_t d = 0; d < directions(); ++d) {
      int64_t in = layer == 0 ? o.input_size() : h * directions();
      std::string suffix =
          "_l" + std::to_string(layer) + (d == 1 ? "_reverse" : "");
      Weights w;
      w.w_ih = register_parameter("weight_ih" + suffix, empty({rows, in}));
      w.w_hh = register_parameter("weight_hh" + suffix, empty({rows, h}));
      if (o.bias()) {
        w.b_ih = register_parameter("bias_ih" + suffix, empty({rows}));
        w.b_hh = register_parameter("bias_hh" + suffix, empty({rows}));
      }
      weights_.push_back(w);
    }
  reset_parameters();
}

void RNNImplBase::reset_parameters() {
  double bound =
      1.0 / std::sqrt(static_cast<double>(options_base.hidden_size()));
  for (Tensor &p : parameters(/*recurse=*/false))
    init::uniform_(p, -bound, bound);
}

std::vector<Tensor> RNNImplBase::all_weights() const {
  return parameters(/*recurse=*/false);
}

void RNNImplBase::pretty_print(std::ostream &os) const {
  const RNNOptionsBase &o = options_base;
  os << "kiln::nn::" << kind_ << "(input_size=" << o.input_size()
     << ", hidden_size=" << o.hidden_size() << ", num_layers=" << o.num_layers()
     << ", bias=" << (o.bias() ? "true" : "false")
     << ", batch_first=" << (o.batch_first() ? "true" : "false")
     << ", dropout=" << o.dropout()
     << ", bidirectional=" << (o.bidirectional() ? "true" : "false") << ")";
}

std::pair<Tensor, bool> RNNImplBase::timeMajor(const Tensor &input) const {
  int64_t features = options_base.input_size();
  if (!input.defined() || (input.dim() != 2 && input.dim() != 3) ||
      input.size(-1) != features)
    throw Error(std::string(kind_) + ": expected an input " +
                (options_base.batch_first() ? "[N, T, " : "[T, N, ") +
                std::to_string(features) + "] (or [T, " +
                std::to_string(features) + "] unbatched), got " +
                describe(input));
  if (input.dim() == 2)
    return {input.unsqueeze(1), true};
  return {options_base.batch_first() ? input.transpose(0, 1) : input, false};
}

Tensor RNNImplBase::initialState(const Tensor &given, int64_t batch,
                                 bool unbatched, const Tensor &like,
                                 const char *what) const {
  int64_t stack = options_base.num_layers() * directions(),
          h = options_base.hidden_size();
  if (!given.defined())
    return zeros({stack, batch, h}, like.dtype());
  Shape expected = unbatched ? Shape{stack, h} : Shape{stack, batch, h};
  if (given.sizes() != expected)
    throw Error(std::string(kind_) + ": the initial " + what + " must be " +
                ir::formatShape(expected) + ", got " + describe(given));
  return unbatched ? given.unsqueeze(1) : given;
}

Tensor RNNImplBase::callerLayout(const Tensor &output, bool unbatched) const {
  if (unbatched)
    return output.squeeze(1);
  return options_base.batch_first() ? output.transpose(0, 1) : output;
}

namespace {

/// Runs every layer and direction of a multi-layer RNN of `kind` over `x`
/// [T, N, F] from the states `h0` (and `c0`), [L D, N, H]; returns the last
/// layer's outputs [T, N, D H] and the final states.
/// With `lengths` (packed input, longest first), sequence n runs for
/// lengths[n] steps: its state stays as it is at the steps after (and,
/// going backward, before it starts).
std::tuple<Tensor, Tensor, Tensor>
runLayers(Kind kind, const Tensor &x, const Tensor &h0, const Tensor &c0,
          const std::vector<Tensor> &weights, int64_t layers,
          int64_t directions, bool withBias, double dropoutP, bool training,
          const std::vector<int64_t> *lengths = nullptr) {
  int64_t steps = x.size(0);
  std::vector<Tensor> running;
  if (lengths)
    for (int64_t t = 0; t < steps; ++t) {
      std::vector<int64_t> on;
      for (int64_t length : *lengths)
        on.push_back(t < length);
      running.push_back(tensor(on).to(kBool).unsqueeze(1));
    }
  Tensor layerInput = x;
  std::vector<Tensor> finalH, finalC;
  size_t w = 0;
  for (int64_t layer = 0; layer < layers; ++layer) {
    std::vector<Tensor> outputs;
    for (int64_t d = 0; d < directions; ++d) {
      const Tensor &w_ih = weights[w++], &w_hh = weights[w++];
      Tensor b_ih, b_hh;
      if (withBias) {
        b_ih = weights[w++];
        b_hh = weights[w++];
      }
      int64_t state = layer * directions + d;
      Tensor h = h0.select(0, state);
      Tensor c = c0.defined() ? c0.select(0, state) : Tensor();
      // Every step's input projection at once: [T, N, G H].
      Tensor xw = project(layerInput, w_ih, b_ih);
      std::vector<Tensor> hs(static_cast<size_t>(steps));
      for (int64_t i = 0; i < steps; ++i) {
        int64_t t = d == 0 ? i : steps - 1 - i;
        auto [hNext, cNext] = step(kind, xw.select(0, t), h, c, w_hh, b_hh);
        if (lengths) {
          const Tensor &on = running[static_cast<size_t>(t)];
          hNext = where(on, hNext, h);
          if (c.defined())
            cNext = where(on, cNext, c);
        }
        h = hNext;
        c = cNext;
        hs[static_cast<size_t>(t)] = h;
      }
      outputs.push_back(stack(hs, 0));
      finalH.push_back(h);
      if (c.defined())
        finalC.push_back(c);
    }
    layerInput = directions == 1 ? outputs[0] : cat(outputs, 2);
    if (layer + 1 < layers && dropoutP > 0 && training)
      layerInput = dropout(layerInput, dropoutP, true);
  }
  return {layerInput, stack(finalH, 0),
          finalC.empty() ? Tensor() : stack(finalC, 0)};
}

} // namespace

RNNImplBase::Unpacked RNNImplBase::unpack(const PackedSequence &packed,
                                          const Tensor &hx,
                                          const Tensor &cx) const {
  const Tensor &data = packed.data();
  if (!data.defined() || data.dim() != 2 ||
      data.size(1) != options_base.input_size())
    throw Error(std::string(kind_) + ": expected packed data [*, " +
                std::to_string(options_base.input_size()) + "], got " +
                describe(data));
  // The padded steps in the packed (sorted) order, and each one's length.
  auto [x, lengthTensor] = utils::rnn::pad_packed_sequence(
      PackedSequence(data, packed.batch_sizes()));
  Unpacked out;
  out.x = x;
  out.lengths = lengthTensor.to_vector<int64_t>();
  int64_t batch = x.size(1);
  auto sorted = [&](const Tensor &state) {
    return state.defined() && packed.sorted_indices().defined()
               ? state.index_select(1, packed.sorted_indices())
               : state;
  };
  out.h0 = initialState(sorted(hx), batch, false, x, "hidden state");
  if (gates_ == 4)
    out.c0 = initialState(sorted(cx), batch, false, x, "cell state");
  return out;
}

PackedSequence RNNImplBase::repack(const Tensor &output,
                                   const PackedSequence &packed) const {
  // The output steps of the running sequences, step by step, as packed.
  std::vector<int64_t> batchSizes = packed.batch_sizes().to_vector<int64_t>();
  std::vector<Tensor> rows;
  for (size_t t = 0; t < batchSizes.size(); ++t)
    rows.push_back(
        output.select(0, static_cast<int64_t>(t)).narrow(0, 0, batchSizes[t]));
  return PackedSequence(cat(rows, 0), packed.batch_sizes(),
                        packed.sorted_indices(), packed.unsorted_indices());
}

Tensor RNNImplBase::unsortState(const Tensor &state,
                                const PackedSequence &packed) const {
  return packed.unsorted_indices().defined()
             ? state.index_select(1, packed.unsorted_indices())
             : state;
}

RNNImpl::RNNImpl(const RNNOptions &options)
    : ClonableFromOptions(RNNOptionsBase(options), 1, "RNN"), options(options) {
  rnnKind(options.nonlinearity(), "RNN");
}

std::tuple<Tensor, Tensor> RNNImpl::forward(const Tensor &input, Tensor hx) {
  auto [x, unbatched] = timeMajor(input);
  Tensor h0 = initialState(hx, x.size(1), unbatched, x, "hidden state");
  auto [out, h, c] =
      runLayers(rnnKind(options.nonlinearity(), "RNN"), x, h0, Tensor(),
                all_weights(), options.num_layers(), directions(),
                options.bias(), options.dropout(), is_training());
  return {callerLayout(out, unbatched), unbatched ? h.squeeze(1) : h};
}

std::tuple<PackedSequence, Tensor>
RNNImpl::forward_with_packed_input(const PackedSequence &packed_input,
                                   Tensor hx) {
  Unpacked in = unpack(packed_input, hx, Tensor());
  auto [out, h, c] =
      runLayers(rnnKind(options.nonlinearity(), "RNN"), in.x, in.h0, Tensor(),
                all_weights(), options.num_layers(), directions(),
                options.bias(), options.dropout(), is_training(), &in.lengths);
  return {repack(out, packed_input), unsortState(h, packed_input)};
}

LSTMImpl::LSTMImpl(const LSTMOptions &options)
    : ClonableFromOptions(RNNOptionsBase(options), 4, "LSTM"),
      options(options) {
  if (options.proj_size() != 0)
    throw Error("LSTM: proj_size is not supported, got " +
                std::to_string(options.proj_size()));
}

std::tuple<Tensor, std::tuple<Tensor, Tensor>>
LSTMImpl::forward(const Tensor &input,
                  std::optional<std::tuple<Tensor, Tensor>> hx_opt) {
  auto [x, unbatched] = timeMajor(input);
  Tensor hGiven, cGiven;
  if (hx_opt)
    std::tie(hGiven, cGiven) = *hx_opt;
  Tensor h0 = initialState(hGiven, x.size(1), unbatched, x, "hidden state");
  Tensor c0 = initialState(cGiven, x.size(1), unbatched, x, "cell state");
  auto [out, h, c] =
      runLayers(Kind::LSTM, x, h0, c0, all_weights(), options.num_layers(),
                directions(), options.bias(), options.dropout(), is_training());
  if (unbatched) {
    h = h.squeeze(1);
    c = c.squeeze(1);
  }
  return {callerLayout(out, unbatched), {h, c}};
}

std::tuple<PackedSequence, std::tuple<Tensor, Tensor>>
LSTMImpl::forward_with_packed_input(
    const PackedSequence &packed_input,
    std::optional<std::tuple<Tensor, Tensor>> hx_opt) {
  Tensor hGiven, cGiven;
  if (hx_opt)
    std::tie(hGiven, cGiven) = *hx_opt;
  Unpacked in = unpack(packed_input, hGiven, cGiven);
  auto [out, h, c] =
      runLayers(Kind::LSTM, in.x, in.h0, in.c0, all_weights(),
                options.num_layers(), directions(), options.bias(),
                options.dropout(), is_training(), &in.lengths);
  return {repack(out, packed_input),
          {unsortState(h, packed_input), unsortState(c, packed_input)}};
}

GRUImpl::GRUImpl(const GRUOptions &options)
    : ClonableFromOptions(RNNOptionsBase(options), 3, "GRU"), options(options) {
}

std::tuple<Tensor, Tensor> GRUImpl::forward(const Tensor &input, Tensor hx) {
  auto [x, unbatched] = timeMajor(input);
  Tensor h0 = initialState(hx, x.size(1), unbatched, x, "hidden state");
  auto [out, h, c] =
      runLayers(Kind::GRU, x, h0, Tensor(), all_weights(), options.num_layers(),
                directions(), options.bias(), options.dropout(), is_training());
  return {callerLayout(out, unbatched), unbatched ? h.squeeze(1) : h};
}

std::tuple<PackedSequence, Tensor>
GRUImpl::forward_with_packed_input(const PackedSequence &packed_input,
                                   Tensor hx) {
  Unpacked in = unpack(packed_input, hx, Tensor());
  auto [out, h, c] =
      runLayers(Kind::GRU, in.x, in.h0, Tensor(), all_weights(),
                options.num_layers(), directions(), options.bias(),
                options.dropout(), is_training(), &in.lengths);
  return {repack(out, packed_input), unsortState(h, packed_input)};
}

// --- The cells

RNNCellImplBase::RNNCellImplBase(const RNNCellOptionsBase &options,
                                 int64_t gates, const char *kind)
    : options_base(options), gates_(gates), kind_(kind) {
  reset();
}

void RNNCellImplBase::reset() {
  const RNNCellOptionsBase &o = options_base;
  checkSizes(kind_, o.input_size(), o.hidden_size());
  int64_t rows = gates_ * o.hidden_size();
  weight_ih = register_parameter("weight_ih", empty({rows, o.input_size()}));
  weight_hh = register_parameter("weight_hh", empty({rows, o.hidden_size()}));
  bias_ih = register_parameter("bias_ih", o.bias() ? empty({rows}) : Tensor(),
                               o.bias());
  bias_hh = register_parameter("bias_hh", o.bias() ? empty({rows}) : Tensor(),
                               o.bias());
  reset_parameters();
}

void RNNCellImplBase::reset_parameters() {
  double bound =
      1.0 / std::sqrt(static_cast<double>(options_base.hidden_size()));
  for (Tensor &p : parameters(/*recurse=*/false))
    init::uniform_(p, -bound, bound);
}

void RNNCellImpl::pretty_print(std::ostream &os) const {
  os << "kiln::nn::RNNCell(" << options.input_size() << ", "
     << options.hidden_size();
  if (!options.bias())
    os << ", bias=false";
  if (options.nonlinearity() != kTanh)
    os << ", nonlinearity=" << constantName(options.nonlinearity());
  os << ")";
}

void RNNCellImplBase::pretty_print(std::ostream &os) const {
  os << "kiln::nn::" << kind_ << "(" << options_base.input_size() << ", "
     << options_base.hidden_size();
  if (!options_base.bias())
    os << ", bias=false";
  os << ")";
}

std::pair<Tensor, bool> RNNCellImplBase::batched(const Tensor &input) const {
  int64_t features = options_base.input_size();
  if (!input.defined() || (input.dim() != 1 && input.dim() != 2) ||
      input.size(-1) != features)
    throw Error(std::string(kind_) + ": expected an input [N, " +
                std::to_string(features) + "] or [" + std::to_string(features) +
                "], got " + describe(input));
  return input.dim() == 1 ? std::pair{input.unsqueeze(0), true}
                          : std::pair{input, false};
}

Tensor RNNCellImplBase::state(const Tensor &given, const Tensor &input,
                              bool unbatched) const {
  int64_t n = input.size(0), h = options_base.hidden_size();
  if (!given.defined())
    return zeros({n, h}, input.dtype());
  Shape expected = unbatched ? Shape{h} : Shape{n, h};
  if (given.sizes() != expected)
    throw Error(std::string(kind_) + ": the state must be " +
                ir::formatShape(expected) + ", got " + describe(given));
  return unbatched ? given.unsqueeze(0) : given;
}

RNNCellImpl::RNNCellImpl(const RNNCellOptions &options)
    : ClonableFromOptions(
          RNNCellOptionsBase(options.input_size(), options.hidden_size())
              .bias(options.bias()),
          1, "RNNCell"),
      options(options) {
  rnnKind(options.nonlinearity(), "RNNCell");
}

Tensor RNNCellImpl::forward(const Tensor &input, Tensor hx) {
  auto [x, unbatched] = batched(input);
  Tensor h = state(hx, x, unbatched);
  Tensor next =
      step(rnnKind(options.nonlinearity(), "RNNCell"),
           project(x, weight_ih, bias_ih), h, Tensor(), weight_hh, bias_hh)
          .first;
  return unbatched ? next.squeeze(0) : next;
}

LSTMCellImpl::LSTMCellImpl(const LSTMCellOptions &options)
    : ClonableFromOptions(options, 4, "LSTMCell"), options(options) {}

std::tuple<Tensor, Tensor>
LSTMCellImpl::forward(const Tensor &input,
                      std::optional<std::tuple<Tensor, Tensor>> hx_opt) {
  auto [x, unbatched] = batched(input);
  Tensor hGiven, cGiven;
  if (hx_opt)
    std::tie(hGiven, cGiven) = *hx_opt;
  Tensor h = state(hGiven, x, unbatched), c = state(cGiven, x, unbatched);
  auto [nextH, nextC] = step(Kind::LSTM, project(x, weight_ih, bias_ih), h, c,
                             weight_hh, bias_hh);
  if (unbatched)
    return {nextH.squeeze(0), nextC.squeeze(0)};
  return {nextH, nextC};
}

GRUCellImpl::GRUCellImpl(const GRUCellOptions &options)
    : ClonableFromOptions(options, 3, "GRUCell"), options(options) {}

Tensor GRUCellImpl::forward(const Tensor &input, Tensor hx) {
  auto [x, unbatched] = batched(input);
  Tensor h = state(hx, x, unbatched);
  Tensor next = step(Kind::GRU, project(x, weight_ih, bias_ih), h, Tensor(),
                     weight_hh, bias_hh)
                    .first;
  return unbatched ? next.squeeze(0) : next;
}

} // namespace kiln::nn
