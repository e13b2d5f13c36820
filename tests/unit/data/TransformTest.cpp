//===- TransformTest.cpp - Transforms of samples --------------------------===//
//
// Normalize, Lambda, Compose, MapDataset and the image transforms.
//
//===----------------------------------------------------------------------===//
#include "DataTestUtil.h"
#include "TestUtil.h"

#include <kiln/frontend/Data.h>
#include <kiln/kiln.h>

#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <set>
#include <thread>

using namespace kiln;
using namespace kiln::data;
using namespace kiln::data::testing;
namespace fs = std::filesystem;

namespace {

using kiln::testing::expectError;

//===----------------------------------------------------------------------===//
// Transforms
//===----------------------------------------------------------------------===//

TEST(Transforms, NormalizePerChannelOrFeature) {
  // Channel 0 is 1..4 with mean 2 and std 2, channel 1 10..40 with 10, 10.
  Tensor image =
      tensor({1.f, 2.f, 3.f, 4.f, 10.f, 20.f, 30.f, 40.f}).reshape({2, 2, 2});
  image.data_ptr(); // realized, as a dataset's samples are
  transforms::Normalize normalize({2, 10}, {2, 10});
  Tensor out = normalize(image);
  EXPECT_EQ(out.sizes(), (Shape{2, 2, 2}));
  EXPECT_EQ(out.dtype(), kFloat32);
  EXPECT_FALSE(out.is_pending());
  EXPECT_EQ(out.to_vector<float>(),
            (std::vector<float>{-0.5, 0, 0.5, 1, 0, 1, 2, 3}));
  EXPECT_EQ(image.to_vector<float>()[0], 1); // the input is left alone

  // Per feature of a vector; float64 stays float64.
  Tensor features = tensor(std::vector<double>{1, 2, 3}, kFloat64);
  Tensor scaled = transforms::Normalize({1, 1, 1}, {1, 2, 4})(features);
  EXPECT_EQ(scaled.dtype(), kFloat64);
  EXPECT_EQ(scaled.to_vector<double>(), (std::vector<double>{0, 0.5, 0.5}));
  // One mean and std: every element, whatever the shape.
  EXPECT_EQ(transforms::Normalize({0.5}, {0.25})(tensor(1.5f)).item<float>(),
            4);
  EXPECT_EQ(transforms::Normalize({1}, {2})(zeros({0, 3})).sizes(),
            (Shape{0, 3}));

  expectError([] { transforms::Normalize({1, 2}, {1}); },
              {"Normalize", "2 means and 1 stds"});
  expectError([] { transforms::Normalize({}, {}); }, {"0 means"});
  expectError([] { transforms::Normalize({0, 0}, {1, 0}); },
              {"channel 1", "std 0", "non-zero"});
  expectError([&] { normalize(tensor({1, 2})); },
              {"Normalize", "[2] kiln.int64", "float32 or float64"});
  expectError([&] { normalize(zeros({3, 2})); },
              {"2 means", "[3, 2] kiln.float32", "2 channels"});
  expectError([&] { normalize(tensor(1.f)); }, {"[] kiln.float32"});
  expectError([&] { normalize(Tensor()); }, {"undefined"});
}

TEST(Transforms, LambdaAndCompose) {
  transforms::Lambda twice([](Tensor x) { return x * 2; });
  EXPECT_EQ(twice(tensor({1.f, 3.f})).to_vector<float>(),
            (std::vector<float>{2, 6}));
  // Normalize, then the lambda: (x - 1) / 2 * 10.
  transforms::Compose pipeline(
      {transforms::Normalize({1}, {2}),
       transforms::Lambda([](Tensor x) { return x * 10; })});
  EXPECT_EQ(pipeline(tensor({1.f, 2.f, 5.f})).to_vector<float>(),
            (std::vector<float>{0, 5, 20}));
  // Order matters: the lambda first gives (10x - 1) / 2.
  transforms::Compose reversed(
      {[](Tensor x) { return x * 10; }, transforms::Normalize({1}, {2})});
  EXPECT_EQ(reversed(tensor({1.f})).to_vector<float>(),
            (std::vector<float>{4.5}));
  EXPECT_EQ(transforms::Compose({})(tensor({7.f})).to_vector<float>(),
            (std::vector<float>{7}));

  expectError([] { transforms::Lambda(nullptr); }, {"Lambda", "empty"});
  expectError(
      [] { transforms::Compose({transforms::Normalize({0}, {1}), nullptr}); },
      {"Compose", "transform 1 is empty"});
}

TEST(MapDataset, TransformsSamplesAndTargets) {
  // numbered's sample 2 is {2, 2.5, -2} with target 20.
  MapDataset mapped = map(numbered(4), transforms::Normalize({0.5}, {0.5}));
  EXPECT_EQ(mapped.size(), 4u);
  Example<> e = mapped.get(2);
  EXPECT_EQ(e.data.to_vector<float>(), (std::vector<float>{3, 4, -5}));
  EXPECT_EQ(e.target.item<int64_t>(), 20);

  // Per feature, with a target transform, over a Subset, in workers.
  MapDataset both(
      std::make_shared<Subset>(numbered(6), std::vector<size_t>{5, 0, 3}),
      transforms::Normalize({1, 0.5, 0}, {1, 1, -1}),
      transforms::Lambda([](Tensor t) {
        Tensor out = empty({}, kInt64);
        out.data_ptr<int64_t>()[0] = t.item<int64_t>() + 1;
        return out;
      }));
  DataLoader loader(both, {.batch_size = 2, .num_workers = 2});
  std::vector<float> data;
  std::vector<int64_t> targets;
  for (Example<> &batch : loader) {
    for (float v : batch.data.to_vector<float>())
      data.push_back(v);
    for (int64_t t : batch.target.to_vector<int64_t>())
      targets.push_back(t);
  }
  EXPECT_EQ(data, (std::vector<float>{4, 5, 5, -1, 0, 0, 2, 3, 3}));
  EXPECT_EQ(targets, (std::vector<int64_t>{51, 1, 31}));

  // A failing transform names the sample, also through the DataLoader.
  MapDataset failing = map(numbered(3), transforms::Normalize({0, 0}, {1, 1}));
  expectError([&] { failing.get(1); },
              {"MapDataset", "transform of sample 1", "2 channels"});
  DataLoader failingLoader(failing, {.batch_size = 3});
  expectError([&] { failingLoader.begin(); },
              {"sample 0", "MapDataset", "Normalize"});
  MapDataset noTargets(std::make_shared<TensorDataset>(zeros({2, 2})), nullptr,
                       transforms::Lambda([](Tensor t) { return t; }));
  expectError([&] { noTargets.get(1); },
              {"sample 1", "no target", "target transform"});
  expectError(
      [] {
        MapDataset(std::shared_ptr<Dataset<Example<>>>(),
                   transforms::Normalize({0}, {1}));
      },
      {"null"});
  // No transform at all passes samples through.
  MapDataset identity(std::make_shared<TensorDataset>(numbered(2)), nullptr);
  EXPECT_EQ(identity.get(1).data.to_vector<float>(),
            (std::vector<float>{1, 1.5, -1}));
}

//===----------------------------------------------------------------------===//
// Image transforms
//===----------------------------------------------------------------------===//

/// A float32 [C, H, W] tensor with the given values.
Tensor image(const Shape &shape, const std::vector<float> &values) {
  Tensor t = kiln::empty(shape);
  std::memcpy(t.data_ptr<float>(), values.data(), values.size() * 4);
  return t;
}

/// A [C, H, W] image whose value at (c, y, x) is 100c + 10y + x.
Tensor coordinates(int64_t c, int64_t h, int64_t w) {
  std::vector<float> v;
  for (int64_t k = 0; k < c; ++k)
    for (int64_t y = 0; y < h; ++y)
      for (int64_t x = 0; x < w; ++x)
        v.push_back(static_cast<float>(100 * k + 10 * y + x));
  return image({c, h, w}, v);
}

TEST(ImageTransforms, ToTensorMakesFloatCHW) {
  Tensor hwc =
      tensor(std::vector<int32_t>{0, 255, 51, 102, 3, 4, 5, 6, 7, 8, 9, 10})
          .reshape({2, 2, 3});
  Tensor chw = transforms::ToTensor()(hwc);
  EXPECT_EQ(chw.sizes(), (Shape{3, 2, 2}));
  EXPECT_EQ(chw.dtype(), kFloat32);
  std::vector<float> expected;
  for (int v : {0, 102, 5, 8, 255, 3, 6, 9, 51, 4, 7, 10})
    expected.push_back(static_cast<float>(v) / 255.0f);
  EXPECT_EQ(chw.to_vector<float>(), expected);
  Tensor gray = tensor(std::vector<int32_t>{0, 255}).reshape({1, 2});
  EXPECT_EQ(transforms::ToTensor()(gray).sizes(), (Shape{1, 1, 2}));
  expectError([] { transforms::ToTensor()(empty({2, 2, 3})); },
              {"ToTensor", "float32", "int32 [H, W, C]"});
  expectError(
      [] {
        transforms::ToTensor()(
            tensor(std::vector<int32_t>{1, 256}).reshape({1, 2}));
      },
      {"ToTensor", "value 256", "0..255"});
}

TEST(ImageTransforms, RandomCropPadsAndCoversEveryOffset) {
  Tensor img = coordinates(2, 4, 5);
  // As large as the image: no draw, the image itself.
  EXPECT_EQ(transforms::RandomCrop({4, 5})(img).to_vector<float>(),
            img.to_vector<float>());
  // 3x3 crops of the image padded by 1 with fill -1: every one of the
  // 4 x 5 offsets turns up, and each crop is that window.
  transforms::RandomCrop crop(3, 1, false, -1);
  std::set<std::pair<int64_t, int64_t>> offsets;
  for (uint64_t index = 0; index < 400; ++index) {
    SampleSeed seed(1, 0, index);
    Tensor out = crop(img);
    ASSERT_EQ(out.sizes(), (Shape{2, 3, 3}));
    std::vector<float> v = out.to_vector<float>();
    // Find the offset from the channel-1 values, which are never -1 inside.
    int64_t top = -1, left = -1;
    for (int64_t i = 0; i < 3 && top < 0; ++i)
      for (int64_t j = 0; j < 3 && top < 0; ++j)
        if (v[9 + 3 * i + j] >= 0) {
          int64_t value = static_cast<int64_t>(v[9 + 3 * i + j]) - 100;
          top = value / 10 - i + 1;
          left = value % 10 - j + 1;
        }
    for (int64_t k = 0; k < 2; ++k)
      for (int64_t i = 0; i < 3; ++i)
        for (int64_t j = 0; j < 3; ++j) {
          int64_t y = top + i - 1, x = left + j - 1;
          float want = y < 0 || y >= 4 || x < 0 || x >= 5
                           ? -1.0f
                           : static_cast<float>(100 * k + 10 * y + x);
          ASSERT_EQ(v[static_cast<size_t>(9 * k + 3 * i + j)], want);
        }
    offsets.emplace(top, left);
  }
  EXPECT_EQ(offsets.size(), 4u * 5u);

  // Padding modes on one row [0, 1, 2], padded by 2 and cropped whole.
  Tensor row = image({1, 1, 3}, {0, 1, 2});
  auto padded = [&](transforms::PaddingMode mode) {
    return transforms::RandomCrop({5, 7}, 2, false, 9, mode)(row)
        .to_vector<float>();
  };
  auto middle = [](std::vector<float> v) {
    return std::vector<float>(v.begin() + 14, v.begin() + 21);
  };
  using transforms::PaddingMode;
  EXPECT_EQ(middle(padded(PaddingMode::Constant)),
            (std::vector<float>{9, 9, 0, 1, 2, 9, 9}));
  EXPECT_EQ(middle(padded(PaddingMode::Edge)),
            (std::vector<float>{0, 0, 0, 1, 2, 2, 2}));
  EXPECT_EQ(middle(padded(PaddingMode::Reflect)),
            (std::vector<float>{2, 1, 0, 1, 2, 1, 0}));
  EXPECT_EQ(middle(padded(PaddingMode::Symmetric)),
            (std::vector<float>{1, 0, 0, 1, 2, 2, 1}));
  // pad_if_needed pads a small image up to the crop; without it, an error.
  EXPECT_EQ(transforms::RandomCrop({1, 6}, 0, true)(row).sizes(),
            (Shape{1, 1, 6}));
  expectError(
      [&] { transforms::RandomCrop({1, 6})(row); },
      {"RandomCrop", "1x6", "larger than the image 1x3", "pad_if_needed"});
  expectError([] { transforms::RandomCrop(0); }, {"RandomCrop", "positive"});
  expectError([] { transforms::RandomCrop(2, -1); }, {"padding"});
  expectError([] { transforms::RandomCrop(2)(empty({4})); },
              {"RandomCrop", "height and width"});
}

TEST(ImageTransforms, FlipCenterCropAndResize) {
  Tensor img = coordinates(1, 2, 3);
  EXPECT_EQ(transforms::RandomHorizontalFlip(1)(img).to_vector<float>(),
            (std::vector<float>{2, 1, 0, 12, 11, 10}));
  EXPECT_EQ(transforms::RandomHorizontalFlip(0)(img).to_vector<float>(),
            img.to_vector<float>());
  // p = 0.5 flips about half the samples, the same ones for the same seeds.
  transforms::RandomHorizontalFlip flip;
  int flipped = 0;
  for (uint64_t index = 0; index < 1000; ++index) {
    SampleSeed seed(3, 1, index);
    bool now = flip(img).to_vector<float>()[0] == 2;
    flipped += now;
    SampleSeed again(3, 1, index);
    EXPECT_EQ(flip(img).to_vector<float>()[0] == 2, now);
  }
  EXPECT_GT(flipped, 430);
  EXPECT_LT(flipped, 570);
  expectError([] { transforms::RandomHorizontalFlip(1.5); }, {"p must lie"});

  // Centre crops: 4x4 -> 2x2 is the middle; 3x3 -> 2x2 starts at
  // round(0.5) = 0, as torchvision's int(round(0.5)); larger pads with 0.
  Tensor square = coordinates(1, 4, 4);
  EXPECT_EQ(transforms::CenterCrop(2)(square).to_vector<float>(),
            (std::vector<float>{11, 12, 21, 22}));
  EXPECT_EQ(transforms::CenterCrop(2)(coordinates(1, 3, 3)).to_vector<float>(),
            (std::vector<float>{0, 1, 10, 11}));
  EXPECT_EQ(
      transforms::CenterCrop({2, 4})(coordinates(1, 2, 2)).to_vector<float>(),
      (std::vector<float>{0, 0, 1, 0, 0, 10, 11, 0}));
  // An odd amount of padding: the smaller half before, as torchvision.
  EXPECT_EQ(transforms::CenterCrop({1, 5})(image({1, 1, 2}, {5, 6}))
                .to_vector<float>(),
            (std::vector<float>{0, 5, 6, 0, 0}));

  // Bilinear, pixel centres to pixel centres (PyTorch's interpolate with
  // align_corners=False).
  Tensor small = image({1, 2, 2}, {0, 1, 2, 3});
  EXPECT_EQ(transforms::Resize({4, 4})(small).to_vector<float>(),
            (std::vector<float>{0, 0.25, 0.75, 1, 0.5, 0.75, 1.25, 1.5, 1.5,
                                1.75, 2.25, 2.5, 2, 2.25, 2.75, 3}));
  EXPECT_EQ(
      transforms::Resize({1, 2})(image({1, 2, 4}, {0, 1, 2, 3, 4, 5, 6, 7}))
          .to_vector<float>(),
      (std::vector<float>{2.5, 4.5}));
  // One size: the smaller edge, the other scaled and truncated.
  EXPECT_EQ(transforms::Resize(2)(coordinates(3, 4, 9)).sizes(),
            (Shape{3, 2, 4}));
  EXPECT_EQ(transforms::Resize(3)(coordinates(1, 7, 2)).sizes(),
            (Shape{1, 10, 3}));
  // int32 images stay int32, rounded.
  Tensor ints = tensor(std::vector<int32_t>{0, 3}).reshape({1, 2});
  EXPECT_EQ(transforms::Resize({1, 4})(ints).to_vector<int32_t>(),
            (std::vector<int32_t>{0, 1, 2, 3}));
  expectError([] { transforms::Resize(0); }, {"Resize", "positive"});
}

TEST(ImageTransforms, SampleSeedsNestAndDefaultPerThread) {
  // Outside any SampleSeed, a new thread starts from (0, 0, 0).
  uint64_t fresh = 0, seeded = 0;
  std::thread([&] { fresh = sample_generator()(); }).join();
  {
    SampleSeed zero(0, 0, 0);
    seeded = sample_generator()();
  }
  EXPECT_EQ(fresh, seeded);
  uint64_t a, b, inner;
  {
    SampleSeed s(1, 2, 3);
    a = sample_generator()();
    {
      SampleSeed t(1, 2, 4);
      inner = sample_generator()();
    }
    b = sample_generator()();
  }
  SampleSeed s(1, 2, 3);
  EXPECT_EQ(sample_generator()(), a);
  EXPECT_EQ(sample_generator()(), b);
  EXPECT_NE(a, inner);
  SampleSeed otherEpoch(1, 3, 3), otherSeed(2, 2, 3);
  EXPECT_NE(sample_generator()(), a);
}

/// Images whose pixels encode their index, as int32 [8, 8, 3].
class IndexedImages : public Dataset<Example<>> {
public:
  explicit IndexedImages(size_t n) : n_(n) {}
  Example<> get(size_t index) override {
    std::vector<int32_t> v(8 * 8 * 3);
    for (size_t i = 0; i < v.size(); ++i)
      v[i] = static_cast<int32_t>((index * 13 + i) % 256);
    return {tensor(v).reshape({8, 8, 3}),
            tensor(std::vector<int64_t>{static_cast<int64_t>(index)})};
  }
  size_t size() const override { return n_; }

private:
  size_t n_;
};

TEST(ImageTransforms, RandomBatchesDoNotDependOnWorkers) {
  auto pipeline = transforms::Compose(
      {transforms::ToTensor(), transforms::RandomCrop(6, 1),
       transforms::RandomHorizontalFlip(),
       transforms::Normalize({0.5, 0.5, 0.5}, {0.25, 0.25, 0.25})});
  auto run = [&](size_t workers, uint64_t seed) {
    DataLoader loader(map(IndexedImages(30), pipeline), {.batch_size = 4,
                                                         .shuffle = true,
                                                         .num_workers = workers,
                                                         .seed = seed});
    std::vector<std::vector<float>> out;
    for (int epoch = 0; epoch < 2; ++epoch)
      for (Example<> &batch : loader) {
        EXPECT_EQ(batch.data.size(1), 3);
        EXPECT_EQ(batch.data.size(2), 6);
        out.push_back(batch.data.to_vector<float>());
      }
    return out;
  };
  auto reference = run(0, 11);
  ASSERT_EQ(reference.size(), 16u);
  for (size_t workers : {1, 2, 4})
    EXPECT_EQ(run(workers, 11), reference) << workers << " workers";
  EXPECT_NE(run(2, 12), reference);
  // Sample `i` is transformed with SampleSeed(seed, epoch, i): the first
  // batch of epoch 0 can be rebuilt by hand.
  auto order = RandomSampler(30, 11).indices(0);
  MapDataset mapped = map(IndexedImages(30), pipeline);
  std::vector<float> first;
  for (size_t k = 0; k < 4; ++k) {
    SampleSeed seed(11, 0, order[k]);
    std::vector<float> v = mapped.get(order[k]).data.to_vector<float>();
    first.insert(first.end(), v.begin(), v.end());
  }
  EXPECT_EQ(first, reference[0]);
}

} // namespace
