//===- SmallIntTest.cpp - uint8, int8 and int16 tensors -------------------===//
//
// LibTorch's narrow integer dtypes (kUInt8/kByte, kInt8/kChar,
// kInt16/kShort): creation, wrap-around arithmetic, PyTorch's promotion
// lattice, uint8 read as unsigned by every op whose answer depends on it
// (comparisons, extrema, sorting, widening, division), byte masks, and
// files, in LibTorch's spelling.
//
//===----------------------------------------------------------------------===//

#include "../TestUtil.h"

#include <kiln/compat/torch.h>
#include <kiln/kiln.h>

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <sstream>

namespace {

using namespace kiln;

template <typename T> std::vector<int64_t> ints(const Tensor &t) {
  std::vector<int64_t> out;
  for (T v : t.contiguous().to_vector<T>())
    out.push_back(v);
  return out;
}

TEST(ParitySmallInt, NamesSizesAndFactories) {
  EXPECT_EQ(kByte, kUInt8);
  EXPECT_EQ(kChar, kInt8);
  EXPECT_EQ(kShort, kInt16);
  EXPECT_EQ(element_size(kUInt8), 1u);
  EXPECT_EQ(element_size(kInt8), 1u);
  EXPECT_EQ(element_size(kInt16), 2u);
  EXPECT_EQ(dtype_name(kUInt8), "kiln.uint8");
  EXPECT_EQ(dtype_name(kInt16), "kiln.int16");
  EXPECT_TRUE(is_integral(kUInt8));
  EXPECT_FALSE(is_floating_point(kInt8));

  Tensor z = zeros({2, 3}, TensorOptions().dtype(kByte));
  EXPECT_EQ(z.dtype(), kUInt8);
  EXPECT_EQ(z.element_size(), 1);
  EXPECT_FALSE(z.is_signed());
  EXPECT_TRUE(ones({2}, kInt8).is_signed());
  EXPECT_EQ(ints<int16_t>(full({3}, 7, kShort)),
            (std::vector<int64_t>{7, 7, 7}));
  Tensor t = tensor({1, 2, 250}, kUInt8);
  EXPECT_EQ(t[2].item<uint8_t>(), 250);
  EXPECT_EQ(t.dtype(), kUInt8);
}

TEST(ParitySmallInt, ItemAndDataPtrUseTheCppTypes) {
  Tensor t = tensor({250}, kUInt8);
  EXPECT_EQ(t.item<uint8_t>(), 250);
  EXPECT_EQ(t.item().toLong(), 250);
  Tensor c = tensor({-7, 5}, kInt8);
  EXPECT_EQ(c.data_ptr<int8_t>()[0], -7);
  EXPECT_THROW(c.data_ptr<uint8_t>(), Error);
  std::vector<int16_t> raw = {-300, 300};
  Tensor s = from_blob(raw.data(), {2}, kInt16).clone();
  EXPECT_EQ(ints<int16_t>(s), (std::vector<int64_t>{-300, 300}));
  EXPECT_EQ(tensor(std::vector<uint8_t>{9, 255}).dtype(), kUInt8);
}

TEST(ParitySmallInt, ArithmeticWrapsInItsType) {
  Tensor a = tensor({250, 3}, kUInt8);
  Tensor sum = a + 10;
  EXPECT_EQ(sum.dtype(), kUInt8);
  EXPECT_EQ(ints<uint8_t>(sum), (std::vector<int64_t>{4, 13}));
  EXPECT_EQ(ints<uint8_t>(a * 2), (std::vector<int64_t>{244, 6}));
  EXPECT_EQ(ints<uint8_t>(-a), (std::vector<int64_t>{6, 253}));
  Tensor s = tensor({30000}, kInt16) + tensor({10000}, kInt16);
  EXPECT_EQ(s.dtype(), kInt16);
  EXPECT_EQ(s.item<int16_t>(), -25536);
  EXPECT_EQ((tensor({100}, kInt8) + 100).item<int8_t>(), -56);
}

TEST(ParitySmallInt, PromotionFollowsPyTorch) {
  Tensor u = tensor({200}, kUInt8), c = tensor({-3}, kInt8);
  Tensor uc = u + c;
  EXPECT_EQ(uc.dtype(), kInt16);
  EXPECT_EQ(uc.item<int64_t>(), 197);
  EXPECT_EQ((u + tensor({1}, kInt32)).dtype(), kInt32);
  EXPECT_EQ((u + tensor({1}, kInt32)).item<int64_t>(), 201);
  EXPECT_EQ((c + tensor({true})).dtype(), kInt8);
  EXPECT_EQ((u * 1.5).dtype(), kFloat32);
  EXPECT_FLOAT_EQ((u * 1.5).item<float>(), 300.0f);
  EXPECT_FLOAT_EQ((u / 8).item<float>(), 25.0f);
  EXPECT_EQ(promote_types(kUInt8, kInt8), kInt16);
  EXPECT_EQ(promote_types(kInt8, kInt16), kInt16);
  EXPECT_EQ(promote_types(kUInt8, kBool), kUInt8);
  EXPECT_EQ(promote_types(kInt16, kFloat16), kFloat16);
  EXPECT_EQ(u.sum().dtype(), kInt64);
  EXPECT_EQ(tensor({200, 200}, kUInt8).sum().item<int64_t>(), 400);
}

TEST(ParitySmallInt, Uint8ComparesAndOrdersUnsigned) {
  Tensor u = tensor({200, 3, 128, 0}, kUInt8);
  EXPECT_EQ(ints<bool>(u > 100), (std::vector<int64_t>{1, 0, 1, 0}));
  EXPECT_EQ(ints<bool>(u < tensor({255, 2, 127, 1}, kUInt8)),
            (std::vector<int64_t>{1, 0, 0, 1}));
  EXPECT_EQ(u.max().item<int64_t>(), 200);
  EXPECT_EQ(u.min().item<int64_t>(), 0);
  EXPECT_EQ(u.max().dtype(), kUInt8);
  EXPECT_EQ(u.argmax().item<int64_t>(), 0);
  EXPECT_EQ(u.argmin().item<int64_t>(), 3);
  auto [values, indices] = u.sort();
  EXPECT_EQ(ints<uint8_t>(values), (std::vector<int64_t>{0, 3, 128, 200}));
  EXPECT_EQ(ints<int64_t>(indices), (std::vector<int64_t>{3, 1, 2, 0}));
  EXPECT_EQ(ints<uint8_t>(u.clamp(10, 150)),
            (std::vector<int64_t>{150, 10, 128, 10}));
  EXPECT_EQ(ints<uint8_t>(maximum(u, tensor({100}, kUInt8))),
            (std::vector<int64_t>{200, 100, 128, 100}));
  EXPECT_EQ(ints<uint8_t>(u.abs()), (std::vector<int64_t>{200, 3, 128, 0}));
  EXPECT_EQ(ints<uint8_t>(u.relu()), (std::vector<int64_t>{200, 3, 128, 0}));
  EXPECT_EQ(ints<uint8_t>(u.sign()), (std::vector<int64_t>{1, 1, 1, 0}));
  EXPECT_EQ(ints<uint8_t>(u.remainder(7)), (std::vector<int64_t>{4, 3, 2, 0}));
  EXPECT_TRUE(u.equal(tensor({200, 3, 128, 0}, kUInt8)));
}

TEST(ParitySmallInt, Int8AndInt16StaySigned) {
  Tensor c = tensor({-100, 5, 0}, kInt8);
  EXPECT_EQ(c.max().item<int64_t>(), 5);
  EXPECT_EQ(c.min().item<int64_t>(), -100);
  EXPECT_EQ(ints<int8_t>(c.abs()), (std::vector<int64_t>{100, 5, 0}));
  EXPECT_EQ(ints<int8_t>(c.sign()), (std::vector<int64_t>{-1, 1, 0}));
  EXPECT_EQ(ints<bool>(c < 0), (std::vector<int64_t>{1, 0, 0}));
  Tensor s = tensor({-20000, 20000}, kInt16);
  EXPECT_EQ(s.argmax().item<int64_t>(), 1);
  EXPECT_EQ(ints<int16_t>(s.relu()), (std::vector<int64_t>{0, 20000}));
}

TEST(ParitySmallInt, ConversionsKeepValues) {
  // LibTorch's TensorTest.ToDtype walks a tensor through the dtypes.
  Tensor t = empty({3, 4});
  t = t.to(kInt);
  EXPECT_EQ(t.dtype(), kInt);
  t = t.to(kChar);
  EXPECT_EQ(t.dtype(), kChar);
  t = t.to(kDouble);
  EXPECT_EQ(t.dtype(), kDouble);
  t = t.to(TensorOptions(kByte));
  EXPECT_EQ(t.dtype(), kByte);

  Tensor u = tensor({200, 7}, kUInt8);
  EXPECT_EQ(ints<int64_t>(u.to(kInt64)), (std::vector<int64_t>{200, 7}));
  EXPECT_EQ(ints<int16_t>(u.to(kInt16)), (std::vector<int64_t>{200, 7}));
  EXPECT_FLOAT_EQ(u.to(kFloat)[0].item<float>(), 200.0f);
  EXPECT_DOUBLE_EQ(u.to(kDouble)[0].item<double>(), 200.0);
  EXPECT_EQ(ints<int8_t>(u.to(kInt8)), (std::vector<int64_t>{-56, 7}));
  EXPECT_EQ(ints<bool>(tensor({0, 128}, kUInt8).to(kBool)),
            (std::vector<int64_t>{0, 1}));
  EXPECT_EQ(ints<uint8_t>(tensor({200.7, 3.2}).to(kUInt8)),
            (std::vector<int64_t>{200, 3}));
  EXPECT_EQ(ints<uint8_t>(tensor({-1}, kInt8).to(kByte)),
            (std::vector<int64_t>{255}));
  EXPECT_EQ(ints<int16_t>(tensor({-3.9}).to(kShort)),
            (std::vector<int64_t>{-3}));
  EXPECT_FLOAT_EQ(tensor({-3}, kInt8).to(kFloat).item<float>(), -3.0f);
  // Pixels to floats, as image pipelines do.
  Tensor pixels = tensor({0, 51, 255}, kByte);
  kiln::testing::expectAllNear(
      kiln::testing::values(pixels.to(kFloat).div(255)), {0.0, 0.2, 1.0}, 1e-6);
}

TEST(ParitySmallInt, ByteMasksIndexLikeBoolMasks) {
  Tensor v = arange(15).reshape({5, 3});
  Tensor mask = tensor({1, 0, 1, 1, 0}, kByte);
  Tensor picked = v.index({mask});
  EXPECT_EQ(picked.sizes(), IntArrayRef({3, 3}));
  EXPECT_TRUE(equal(picked, stack({v[0], v[2], v[3]})));
  Tensor y = zeros({5, 3});
  y.index_put_({mask}, 1.0);
  EXPECT_EQ(y.sum().item<float>(), 9.0f);
}

TEST(ParitySmallInt, FilesRoundTrip) {
  auto dir = std::filesystem::temp_directory_path() /
             ("kiln-smallint-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::vector<Tensor> saved = {tensor({200, 1}, kUInt8), tensor({-5, 6}, kInt8),
                               tensor({-300, 301}, kInt16)};
  std::string path = (dir / "small.pt").string();
  save(saved, path);
  std::vector<Tensor> loaded;
  load(loaded, path);
  ASSERT_EQ(loaded.size(), 3u);
  for (size_t i = 0; i < saved.size(); ++i) {
    EXPECT_EQ(loaded[i].dtype(), saved[i].dtype());
    EXPECT_TRUE(equal(loaded[i], saved[i]));
  }
  std::string npy = (dir / "u8.npy").string();
  save_npy(saved[0], npy);
  Tensor back = load_npy(npy);
  EXPECT_EQ(back.dtype(), kUInt8);
  EXPECT_EQ(ints<uint8_t>(back), (std::vector<int64_t>{200, 1}));
  std::filesystem::remove_all(dir);
}

TEST(ParitySmallInt, PrintsLikeLibTorch) {
  std::ostringstream os;
  os << tensor({200, 1}, kUInt8);
  EXPECT_NE(os.str().find("200"), std::string::npos);
  EXPECT_NE(os.str().find("CPUByteType"), std::string::npos);
  std::ostringstream os8;
  os8 << tensor({-5}, kInt8);
  EXPECT_NE(os8.str().find("-5"), std::string::npos);
  EXPECT_NE(os8.str().find("CPUCharType"), std::string::npos);
}

} // namespace
