//===- IndexingTest.cpp - Writes through views, advanced indexing ---------===//
//
// LibTorch's indexing, in its spelling: a write to a view (t[i] = v,
// x.view(...).div_(2), t.flatten().copy_(x)) reaches the tensor it views;
// integer and bool tensors index and index_put_.
//
//===----------------------------------------------------------------------===//

#include "../TestUtil.h"

#include <kiln/kiln.h>

#include <gtest/gtest.h>

namespace {

using kiln::testing::expectError;
using namespace kiln::indexing;

std::vector<float> values(const kiln::Tensor &t) {
  return t.contiguous().to_vector<float>();
}

TEST(ParityIndexing, AssigningToAnElementOrRowWritesTheTensor) {
  auto t = kiln::zeros({3, 4});
  t[1] = kiln::ones({4});
  t[2][3] = 5;
  EXPECT_EQ(values(t),
            (std::vector<float>{0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 5}));
  t.index({Slice(), 0}) = 7;
  EXPECT_EQ(values(t.select(1, 0)), (std::vector<float>{7, 7, 7}));
  t.index_put_({Slice(0, 2), Slice(1, 3)}, kiln::full({2, 2}, -1.0));
  EXPECT_EQ(values(t[0]), (std::vector<float>{7, -1, -1, 0}));
  EXPECT_EQ(values(t[1]), (std::vector<float>{7, -1, -1, 1}));
}

TEST(ParityIndexing, InPlaceOpsOnViewsReachTheBase) {
  auto x = kiln::arange(6, kiln::kFloat32);
  x.view({2, 3}).div_(2);
  EXPECT_EQ(values(x), (std::vector<float>{0, 0.5, 1, 1.5, 2, 2.5}));

  auto m = kiln::zeros({2, 3});
  m.flatten().copy_(kiln::arange(6, kiln::kFloat32));
  EXPECT_EQ(values(m), (std::vector<float>{0, 1, 2, 3, 4, 5}));
  m.t().add_(kiln::tensor({10.0f, 20.0f}));
  EXPECT_EQ(values(m), (std::vector<float>{10, 11, 12, 23, 24, 25}));

  // A strided slice, and a view of a view.
  auto v = kiln::zeros({6});
  v.index({Slice(None, None, 2)}).fill_(1);
  EXPECT_EQ(values(v), (std::vector<float>{1, 0, 1, 0, 1, 0}));
  auto grid = kiln::zeros({3, 4});
  grid.narrow(0, 1, 2).narrow(1, 2, 2).mul_(0).add_(3);
  EXPECT_EQ(values(grid),
            (std::vector<float>{0, 0, 0, 0, 0, 0, 3, 3, 0, 0, 3, 3}));
  EXPECT_EQ(values(grid.unsqueeze(0).squeeze(0)), values(grid));
}

TEST(ParityIndexing, AViewReadsTheBaseBeforeItIsWritten) {
  auto t = kiln::ones({2, 2});
  auto row = t[0];
  t.mul_(3);
  row.add_(1);
  // The row was 3 when written (PyTorch's shared memory), not 1.
  EXPECT_EQ(values(t), (std::vector<float>{4, 4, 3, 3}));
  EXPECT_EQ(values(row), (std::vector<float>{4, 4}));
}

TEST(ParityIndexing, DetachSharesTheTensorsElements) {
  kiln::nn::Linear fc(3, 2);
  fc->weight.detach().zero_();
  EXPECT_EQ(fc->weight.abs().sum().item<float>(), 0.0f);
  {
    kiln::NoGradGuard noGrad;
    fc->weight[1].fill_(2);
  }
  EXPECT_EQ(values(fc->weight), (std::vector<float>{0, 0, 0, 2, 2, 2}));
  EXPECT_TRUE(fc->weight.requires_grad());
}

TEST(ParityIndexing, ExpandedViewsAreNotWritable) {
  auto x = kiln::ones({1, 3});
  auto e = x.expand({4, 3});
  expectError([&] { e.fill_(0); }, {"expanded view", "clone"});
}

TEST(ParityIndexing, IntegerAndMaskIndicesGiveCopies) {
  auto t = kiln::arange(12, kiln::kFloat32).reshape({3, 4});
  auto rows = t.index({kiln::tensor({2, 0})});
  EXPECT_EQ(rows.sizes(), (std::vector<int64_t>{2, 4}));
  EXPECT_EQ(values(rows), (std::vector<float>{8, 9, 10, 11, 0, 1, 2, 3}));
  auto cols = t.index({Slice(), kiln::tensor({-1, 1})});
  EXPECT_EQ(values(cols), (std::vector<float>{3, 1, 7, 5, 11, 9}));
  auto pairs = t.index({kiln::tensor({0, 2}), kiln::tensor({1, 3})});
  EXPECT_EQ(values(pairs), (std::vector<float>{1, 11}));
  auto masked = t.index({t.gt(6)});
  EXPECT_EQ(values(masked), (std::vector<float>{7, 8, 9, 10, 11}));
  auto rowMask = t.index({kiln::tensor({true, false, true})});
  EXPECT_EQ(rowMask.sizes(), (std::vector<int64_t>{2, 4}));
  EXPECT_EQ(t.index({"...", 0}).sizes(), (std::vector<int64_t>{3}));
  EXPECT_EQ(t.index({None, Ellipsis}).sizes(), (std::vector<int64_t>{1, 3, 4}));
  // A copy: writing it leaves t alone.
  rows.fill_(0);
  EXPECT_EQ(t.sum().item<float>(), 66.0f);
}

TEST(ParityIndexing, IndexPutWritesMasksIndicesAndSums) {
  auto t = kiln::arange(6, kiln::kFloat32);
  t.index_put_({t.lt(2)}, 0);
  EXPECT_EQ(values(t), (std::vector<float>{0, 0, 2, 3, 4, 5}));
  t.index_put_({kiln::tensor({5, 3})}, kiln::tensor({-5.0f, -3.0f}));
  EXPECT_EQ(values(t), (std::vector<float>{0, 0, 2, -3, 4, -5}));

  auto acc = kiln::zeros({4});
  acc.index_put_({kiln::tensor({1, 1, 3})}, kiln::tensor({1.0f, 2.0f, 4.0f}),
                 /*accumulate=*/true);
  EXPECT_EQ(values(acc), (std::vector<float>{0, 3, 0, 4}));

  auto m = kiln::zeros({3, 3});
  m.index_put_({kiln::tensor({0, 1, 2}), kiln::tensor({0, 1, 2})},
               kiln::ones({3}));
  EXPECT_TRUE(kiln::equal(m, kiln::eye(3)));
  // Rows picked by a mask take one broadcast row.
  auto rows = kiln::zeros({3, 2});
  rows.index_put_({kiln::tensor({true, false, true})},
                  kiln::tensor({1.0f, 2.0f}));
  EXPECT_EQ(values(rows), (std::vector<float>{1, 2, 0, 0, 1, 2}));
  // Integer tensors too, with integer values.
  auto counts = kiln::zeros({3}, kiln::kInt64);
  counts.index_put_({kiln::tensor({2, 2, 0})}, kiln::ones({3}, kiln::kInt64),
                    true);
  EXPECT_EQ(counts.to_vector<int64_t>(), (std::vector<int64_t>{1, 0, 2}));
}

TEST(ParityIndexing, BadIndicesAreErrors) {
  auto t = kiln::zeros({3, 4});
  expectError([&] { t.index({kiln::tensor({3})}); },
              {"index 3", "out of bounds", "size 3"});
  expectError([&] { t.index({kiln::ones({2}, kiln::kBool)}); },
              {"bool mask", "[2]", "[3]"});
  expectError([&] { t.index({kiln::ones({2})}); }, {"integer or bool"});
  expectError([&] { t.index({0, 0, 0}); }, {"too many indices"});
  expectError([&] { t.index({"..", 0}); }, {"\"...\""});
  expectError([&] { t.index_put_({kiln::tensor({0, 1})}, kiln::ones({3, 4})); },
              {"index_put_", "[3, 4]", "[2, 4]"});
}

} // namespace
