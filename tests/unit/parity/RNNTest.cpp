//===- RNNTest.cpp - RNN, LSTM, GRU and their cells, as LibTorch's ---------===//
//
// Each layer against a reference written with plain loops in double, its
// parameters' names and shapes, its layouts (batch_first, unbatched,
// bidirectional, stacked), and f64 finite-difference gradients.
//
//===----------------------------------------------------------------------===//
#include "../TestUtil.h"

#include <kiln/kiln.h>

#include <gtest/gtest.h>

#include <cmath>

namespace {

using kiln::testing::expectAllNear;
using kiln::testing::expectError;
using kiln::testing::expectGradientsMatchFiniteDifferences;
using kiln::testing::values;

using Matrix = std::vector<double>; // row-major

double sigmoid(double x) { return 1 / (1 + std::exp(-x)); }

/// y[r] = sum_c W[r, c] x[c] + b[r].
std::vector<double> affine(const Matrix &w, const std::vector<double> &b,
                           const std::vector<double> &x) {
  size_t rows = b.size(), cols = x.size();
  std::vector<double> y(rows);
  for (size_t r = 0; r < rows; ++r) {
    y[r] = b[r];
    for (size_t c = 0; c < cols; ++c)
      y[r] += w[r * cols + c] * x[c];
  }
  return y;
}

/// One sequence of one sample through a one-layer cell of `kind` ("lstm",
/// "gru", "tanh", "relu"); returns every step's h.
std::vector<std::vector<double>>
reference(const std::string &kind, const std::vector<std::vector<double>> &xs,
          const Matrix &wih, const Matrix &whh, const std::vector<double> &bih,
          const std::vector<double> &bhh, size_t hidden) {
  std::vector<double> h(hidden, 0), c(hidden, 0);
  std::vector<std::vector<double>> out;
  for (const auto &x : xs) {
    std::vector<double> gx = affine(wih, bih, x), gh = affine(whh, bhh, h);
    std::vector<double> next(hidden);
    for (size_t j = 0; j < hidden; ++j) {
      if (kind == "lstm") {
        double i = sigmoid(gx[j] + gh[j]);
        double f = sigmoid(gx[hidden + j] + gh[hidden + j]);
        double g = std::tanh(gx[2 * hidden + j] + gh[2 * hidden + j]);
        double o = sigmoid(gx[3 * hidden + j] + gh[3 * hidden + j]);
        c[j] = f * c[j] + i * g;
        next[j] = o * std::tanh(c[j]);
      } else if (kind == "gru") {
        double r = sigmoid(gx[j] + gh[j]);
        double z = sigmoid(gx[hidden + j] + gh[hidden + j]);
        double n = std::tanh(gx[2 * hidden + j] + r * gh[2 * hidden + j]);
        next[j] = (1 - z) * n + z * h[j];
      } else if (kind == "relu") {
        next[j] = std::max(0.0, gx[j] + gh[j]);
      } else {
        next[j] = std::tanh(gx[j] + gh[j]);
      }
    }
    h = next;
    out.push_back(h);
  }
  return out;
}

template <typename Layer>
void expectMatchesReference(Layer &layer, const std::string &kind) {
  kiln::manual_seed(7);
  layer->to(kiln::kFloat64);
  const int64_t steps = 4, batch = 2, in = 3, hidden = 2;
  auto x = kiln::randn({steps, batch, in}, kiln::kFloat64);
  auto params = layer->named_parameters();
  Matrix wih = values(params["weight_ih_l0"]),
         whh = values(params["weight_hh_l0"]);
  std::vector<double> bih = values(params["bias_ih_l0"]),
                      bhh = values(params["bias_hh_l0"]);
  auto result = layer(x);
  kiln::Tensor out = std::get<0>(result);
  ASSERT_EQ(out.sizes(), (std::vector<int64_t>{steps, batch, hidden}));
  for (int64_t n = 0; n < batch; ++n) {
    std::vector<std::vector<double>> xs;
    for (int64_t t = 0; t < steps; ++t)
      xs.push_back(values(x[t][n]));
    auto expected = reference(kind, xs, wih, whh, bih, bhh, hidden);
    for (int64_t t = 0; t < steps; ++t)
      expectAllNear(values(out[t][n]), expected[static_cast<size_t>(t)], 1e-12);
  }
}

TEST(ParityRNN, LSTMMatchesLoops) {
  kiln::nn::LSTM lstm(3, 2);
  expectMatchesReference(lstm, "lstm");
  EXPECT_EQ(lstm->named_parameters().keys(),
            (std::vector<std::string>{"weight_ih_l0", "weight_hh_l0",
                                      "bias_ih_l0", "bias_hh_l0"}));
  EXPECT_EQ(lstm->named_parameters()["weight_ih_l0"].sizes(),
            (std::vector<int64_t>{8, 3}));
}

TEST(ParityRNN, GRUMatchesLoops) {
  kiln::nn::GRU gru(kiln::nn::GRUOptions(3, 2));
  expectMatchesReference(gru, "gru");
  EXPECT_EQ(gru->named_parameters()["weight_hh_l0"].sizes(),
            (std::vector<int64_t>{6, 2}));
}

TEST(ParityRNN, RNNMatchesLoops) {
  kiln::nn::RNN rnn(kiln::nn::RNNOptions(3, 2).nonlinearity(kiln::kTanh));
  expectMatchesReference(rnn, "tanh");
  kiln::nn::RNN relu(kiln::nn::RNNOptions(3, 2).nonlinearity(kiln::kReLU));
  expectMatchesReference(relu, "relu");
}

TEST(ParityRNN, LayoutsAndStates) {
  kiln::manual_seed(1);
  kiln::nn::LSTM lstm(
      kiln::nn::LSTMOptions(4, 5).num_layers(2).batch_first(true).bidirectional(
          true));
  auto x = kiln::randn({3, 6, 4}); // [N, T, F]
  auto [out, state] = lstm(x);
  auto [h, c] = state;
  EXPECT_EQ(out.sizes(), (std::vector<int64_t>{3, 6, 10}));
  EXPECT_EQ(h.sizes(), (std::vector<int64_t>{4, 3, 5}));
  EXPECT_EQ(c.sizes(), (std::vector<int64_t>{4, 3, 5}));
  EXPECT_EQ(lstm->named_parameters().size(), 16u);
  EXPECT_TRUE(lstm->named_parameters().contains("weight_ih_l1_reverse"));
  EXPECT_EQ(lstm->named_parameters()["weight_ih_l1"].sizes(),
            (std::vector<int64_t>{20, 10}));
  // The forward direction's last output is its final state; the backward
  // direction's first output is its final state.
  EXPECT_TRUE(kiln::allclose(out.select(1, 5).narrow(1, 0, 5), h[2]));
  EXPECT_TRUE(kiln::allclose(out.select(1, 0).narrow(1, 5, 5), h[3]));
  // Passing the state back continues the sequence.
  auto [out2, state2] = lstm(x, state);
  EXPECT_FALSE(kiln::allclose(out2, out));

  kiln::nn::GRU gru(kiln::nn::GRUOptions(4, 3));
  auto [single, hn] = gru(kiln::randn({6, 4})); // unbatched [T, F]
  EXPECT_EQ(single.sizes(), (std::vector<int64_t>{6, 3}));
  EXPECT_EQ(hn.sizes(), (std::vector<int64_t>{1, 3}));

  expectError([&] { lstm(kiln::randn({3, 6, 5})); },
              {"LSTM", "[N, T, 4]", "[3, 6, 5]"});
  expectError([&] { gru(kiln::randn({6, 2, 4}), kiln::zeros({2, 2, 3})); },
              {"GRU", "initial hidden state", "[1, 2, 3]"});
  expectError([] { kiln::nn::LSTM(kiln::nn::LSTMOptions(4, 5).proj_size(2)); },
              {"proj_size"});
  expectError(
      [] { kiln::nn::RNN(kiln::nn::RNNOptions(4, 5).nonlinearity("x")); },
      {"nonlinearity", "\"x\""});
}

TEST(ParityRNN, CellsStepOnce) {
  kiln::manual_seed(2);
  kiln::nn::LSTMCell lstm(3, 4);
  auto x = kiln::randn({2, 3});
  auto [h, c] = lstm(x);
  EXPECT_EQ(h.sizes(), (std::vector<int64_t>{2, 4}));
  auto [h2, c2] = lstm(x, std::make_tuple(h, c));
  EXPECT_FALSE(kiln::allclose(h2, h));
  // One cell step is one step of a one-layer LSTM with the same weights.
  kiln::nn::LSTM layer(3, 4);
  {
    kiln::NoGradGuard noGrad;
    auto params = layer->named_parameters();
    params["weight_ih_l0"].copy_(lstm->weight_ih);
    params["weight_hh_l0"].copy_(lstm->weight_hh);
    params["bias_ih_l0"].copy_(lstm->bias_ih);
    params["bias_hh_l0"].copy_(lstm->bias_hh);
  }
  auto [seq, state] = layer(x.unsqueeze(0));
  EXPECT_TRUE(kiln::allclose(seq[0], h, 1e-5, 1e-6));

  kiln::nn::GRUCell gru(kiln::nn::GRUCellOptions(3, 4).bias(false));
  EXPECT_EQ(gru->parameters().size(), 2u);
  EXPECT_EQ(gru(kiln::randn({3})).sizes(), (std::vector<int64_t>{4}));
  kiln::nn::RNNCell rnn(3, 4);
  EXPECT_EQ(rnn(x, kiln::zeros({2, 4})).sizes(), (std::vector<int64_t>{2, 4}));
}

TEST(ParityRNN, GradientsMatchFiniteDifferences) {
  kiln::manual_seed(4);
  kiln::nn::LSTM lstm(kiln::nn::LSTMOptions(2, 3).num_layers(2));
  lstm->to(kiln::kFloat64);
  kiln::nn::GRU gru(kiln::nn::GRUOptions(2, 3).bidirectional(true));
  gru->to(kiln::kFloat64);
  auto weights = kiln::randn({3, 2, 3}, kiln::kFloat64);
  auto gruWeights = kiln::randn({3, 2, 6}, kiln::kFloat64);
  expectGradientsMatchFiniteDifferences(
      [&](const std::vector<kiln::Tensor> &a) {
        auto [out, state] = lstm(a[0], std::make_tuple(a[1], a[2]));
        return (out * weights).sum() + std::get<1>(state).sum();
      },
      {kiln::randn({3, 2, 2}, kiln::kFloat64),
       kiln::randn({2, 2, 3}, kiln::kFloat64),
       kiln::randn({2, 2, 3}, kiln::kFloat64)});
  expectGradientsMatchFiniteDifferences(
      [&](const std::vector<kiln::Tensor> &a) {
        auto [out, h] = gru(a[0], a[1]);
        return (out * gruWeights).sum() + h.sum();
      },
      {kiln::randn({3, 2, 2}, kiln::kFloat64),
       kiln::randn({2, 2, 3}, kiln::kFloat64)});
}

TEST(ParityRNN, LearnsToCountOnes) {
  // Training end to end: an LSTM reads bit sequences and predicts how many
  // ones they hold.
  kiln::manual_seed(0);
  kiln::nn::LSTM lstm(kiln::nn::LSTMOptions(1, 8).batch_first(true));
  kiln::nn::Linear head(8, 1);
  std::vector<kiln::Tensor> params = lstm->parameters();
  for (auto &p : head->parameters())
    params.push_back(p);
  kiln::optim::Adam opt(params, kiln::optim::AdamOptions(0.02));
  double first = 0, last = 0;
  for (int step = 0; step < 150; ++step) {
    auto bits = kiln::randint(0, 2, {32, 6, 1}).to(kiln::kFloat32);
    auto target = bits.sum({1, 2});
    auto [out, state] = lstm(bits);
    auto pred = head(out.select(1, 5)).squeeze(1);
    auto loss = (pred - target).pow(2).mean();
    opt.zero_grad();
    loss.backward();
    opt.step();
    (step == 0 ? first : last) = loss.item<double>();
  }
  EXPECT_LT(last, first / 10) << first << " -> " << last;
}

TEST(ParityRNNUtils, PadSequence) {
  namespace rnn = kiln::nn::utils::rnn;
  auto a = kiln::tensor({1.0f, 2.0f, 3.0f});
  auto b = kiln::tensor({4.0f, 5.0f});
  auto c = kiln::tensor({6.0f});
  auto padded = rnn::pad_sequence({a, b, c});
  EXPECT_EQ(padded.sizes(), (std::vector<int64_t>{3, 3}));
  expectAllNear(values(padded), {1, 4, 6, 2, 5, 0, 3, 0, 0}, 0);
  auto first = rnn::pad_sequence({a, b, c}, /*batch_first=*/true, -1);
  expectAllNear(values(first), {1, 2, 3, 4, 5, -1, 6, -1, -1}, 0);
  auto left = rnn::pad_sequence({a, b}, true, 0, "left");
  expectAllNear(values(left), {1, 2, 3, 0, 4, 5}, 0);
  expectError([&] { rnn::pad_sequence({a, kiln::ones({2, 2})}); },
              {"pad_sequence", "same trailing shape"});
}

TEST(ParityRNNUtils, PackAndUnpack) {
  namespace rnn = kiln::nn::utils::rnn;
  auto a = kiln::tensor({1.0f, 2.0f, 3.0f});
  auto b = kiln::tensor({4.0f, 5.0f});
  auto c = kiln::tensor({6.0f});
  auto packed = rnn::pack_sequence({a, b, c});
  expectAllNear(values(packed.data()), {1, 4, 6, 2, 5, 3}, 0);
  EXPECT_EQ(packed.batch_sizes().to_vector<int64_t>(),
            (std::vector<int64_t>{3, 2, 1}));
  EXPECT_FALSE(packed.sorted_indices().defined());
  auto [padded, lengths] = rnn::pad_packed_sequence(packed, true);
  expectAllNear(values(padded), {1, 2, 3, 4, 5, 0, 6, 0, 0}, 0);
  EXPECT_EQ(lengths.to_vector<int64_t>(), (std::vector<int64_t>{3, 2, 1}));

  // Unsorted lengths, batch first, with features: the order comes back.
  auto input = kiln::arange(12).to(kiln::kFloat64).reshape({3, 2, 2});
  auto lens = kiln::tensor({1, 2, 2});
  expectError(
      [&] { rnn::pack_padded_sequence(input, lens, true); },
      {"pack_padded_sequence", "decreasing order", "enforce_sorted = false"});
  auto unsorted = rnn::pack_padded_sequence(input, lens, true, false);
  EXPECT_EQ(unsorted.sorted_indices().to_vector<int64_t>(),
            (std::vector<int64_t>{1, 2, 0}));
  EXPECT_EQ(unsorted.unsorted_indices().to_vector<int64_t>(),
            (std::vector<int64_t>{2, 0, 1}));
  EXPECT_EQ(unsorted.batch_sizes().to_vector<int64_t>(),
            (std::vector<int64_t>{3, 2}));
  expectAllNear(values(unsorted.data()), {4, 5, 8, 9, 0, 1, 6, 7, 10, 11}, 0);
  auto [back, backLengths] =
      rnn::pad_packed_sequence(unsorted, true, 0.0, /*total_length=*/3);
  EXPECT_EQ(back.sizes(), (std::vector<int64_t>{3, 3, 2}));
  EXPECT_EQ(backLengths.to_vector<int64_t>(), (std::vector<int64_t>{1, 2, 2}));
  expectAllNear(values(back.narrow(1, 0, 2)),
                {0, 1, 0, 0, 4, 5, 6, 7, 8, 9, 10, 11}, 0);
  expectError(
      [&] { rnn::pack_padded_sequence(input, kiln::tensor({3, 0, 1}), true); },
      {"pack_padded_sequence", "a length of 3 exceeds the 2 steps"});

  // Gradients reach the valid steps only.
  auto x = kiln::ones({3, 2}, kiln::kFloat64).requires_grad_();
  auto p = rnn::pack_padded_sequence(x, kiln::tensor({3, 1}));
  (p.data() * 2).sum().backward();
  expectAllNear(values(x.grad()), {2, 2, 2, 0, 2, 0}, 0);
}

TEST(ParityRNNUtils, PackedInputMatchesEachSequenceAlone) {
  namespace rnn = kiln::nn::utils::rnn;
  kiln::manual_seed(5);
  kiln::nn::LSTM lstm(
      kiln::nn::LSTMOptions(3, 4).num_layers(2).bidirectional(true));
  lstm->to(kiln::kFloat64);
  std::vector<kiln::Tensor> seqs = {kiln::randn({2, 3}, kiln::kFloat64),
                                    kiln::randn({4, 3}, kiln::kFloat64),
                                    kiln::randn({1, 3}, kiln::kFloat64)};
  auto packed = rnn::pack_sequence(seqs, /*enforce_sorted=*/false);
  auto [out, state] = lstm->forward_with_packed_input(packed);
  EXPECT_EQ(out.batch_sizes().to_vector<int64_t>(),
            (std::vector<int64_t>{3, 2, 1, 1}));
  auto [padded, lengths] = rnn::pad_packed_sequence(out, /*batch_first=*/true);
  EXPECT_EQ(lengths.to_vector<int64_t>(), (std::vector<int64_t>{2, 4, 1}));
  auto [h, c] = state;
  for (int64_t b = 0; b < 3; ++b) {
    auto [alone, aloneState] = lstm->forward(seqs[b]);
    expectAllNear(values(padded[b].narrow(0, 0, seqs[b].size(0))),
                  values(alone), 1e-10);
    expectAllNear(values(h.select(1, b)), values(std::get<0>(aloneState)),
                  1e-10);
    expectAllNear(values(c.select(1, b)), values(std::get<1>(aloneState)),
                  1e-10);
  }

  // A GRU with a given initial state, in the batch's order.
  kiln::nn::GRU gru(kiln::nn::GRUOptions(3, 2));
  gru->to(kiln::kFloat64);
  auto h0 = kiln::randn({1, 3, 2}, kiln::kFloat64);
  auto [gruOut, gruH] = gru->forward_with_packed_input(packed, h0);
  for (int64_t b = 0; b < 3; ++b) {
    auto [alone, aloneH] = gru->forward(seqs[b], h0.select(1, b));
    expectAllNear(values(gruH.select(1, b)), values(aloneH), 1e-10);
  }
  // Gradients flow back to the packed data.
  auto data = packed.data().detach().requires_grad_();
  auto [o, s] = gru->forward_with_packed_input(
      rnn::PackedSequence(data, packed.batch_sizes(), packed.sorted_indices()));
  o.data().sum().backward();
  EXPECT_EQ(data.grad().sizes(), data.sizes());
  EXPECT_GT(data.grad().abs().sum().item<double>(), 0.0);
}

} // namespace
