//===- DataApiTest.cpp - LibTorch's data API, written as LibTorch's --------===//
//
// Datasets, transforms, samplers and make_data_loader as a LibTorch program
// writes them: a Dataset<Self> subclass, `.map(Normalize<>).map(Stack<>())`,
// DataLoaderOptions builders, MNIST on the bundled digits, and the errors a
// wrong use gets.
//
//===----------------------------------------------------------------------===//
#include "../TestUtil.h"

#include <kiln/kiln.h>

#include <gtest/gtest.h>

#include <sstream>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <numeric>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

using kiln::testing::expectError;
namespace data = kiln::data;

const std::string kDigits = std::string(KILN_SOURCE_DIR) + "/data/digits";

/// Example i is {[i, 2i], i}: data and target name the index.
class Numbered : public data::datasets::Dataset<Numbered> {
public:
  explicit Numbered(size_t size) : size_(size) {}
  data::Example<> get(size_t index) override {
    if (index >= size_)
      throw kiln::Error("Numbered: index " + std::to_string(index) +
                        " is out of range");
    auto i = static_cast<float>(index);
    return {kiln::tensor({i, 2 * i}),
            kiln::tensor(static_cast<int64_t>(index))};
  }
  kiln::optional<size_t> size() const override { return size_; }

private:
  size_t size_;
};

/// The targets of a batch of examples, in order.
std::vector<int64_t> targetsOf(const std::vector<data::Example<>> &batch) {
  std::vector<int64_t> targets;
  for (const auto &example : batch)
    targets.push_back(example.target.item<int64_t>());
  return targets;
}

/// Every target an epoch of `loader` yields, in order.
template <typename Loader> std::vector<int64_t> epochTargets(Loader &loader) {
  std::vector<int64_t> all;
  for (auto &batch : loader) {
    std::vector<int64_t> targets;
    if constexpr (std::is_same_v<std::decay_t<decltype(batch)>,
                                 data::Example<>>)
      targets = batch.target.template to_vector<int64_t>();
    else
      targets = targetsOf(batch);
    all.insert(all.end(), targets.begin(), targets.end());
  }
  return all;
}

std::vector<int64_t> range(int64_t n) {
  std::vector<int64_t> v(n);
  std::iota(v.begin(), v.end(), 0);
  return v;
}

TEST(ParityData, ExampleTemplates) {
  data::Example<> example(kiln::ones({2}), kiln::zeros({}));
  EXPECT_EQ(example.data.sizes(), (std::vector<int64_t>{2}));
  EXPECT_EQ(example.target.dim(), 0);
  data::Example<std::string, int> custom("a", 1);
  EXPECT_EQ(custom.data, "a");
  EXPECT_EQ(custom.target, 1);
  data::TensorExample single(kiln::ones({3}));
  EXPECT_EQ(single.data.numel(), 3);
  EXPECT_EQ(single.tensor().numel(), 3);
}

TEST(ParityData, CustomDatasetBatchesAreVectorsOfExamples) {
  Numbered dataset(10);
  EXPECT_EQ(dataset.size().value(), 10u);
  std::vector<data::Example<>> batch = dataset.get_batch({3, 1, 4});
  EXPECT_EQ(targetsOf(batch), (std::vector<int64_t>{3, 1, 4}));
  EXPECT_EQ(kiln::testing::values(batch[0].data), (std::vector<double>{3, 6}));

  auto loader = data::make_data_loader<data::samplers::SequentialSampler>(
      Numbered(10), data::DataLoaderOptions().batch_size(4));
  std::vector<size_t> sizes;
  std::vector<int64_t> targets;
  for (std::vector<data::Example<>> &b : *loader) {
    sizes.push_back(b.size());
    auto t = targetsOf(b);
    targets.insert(targets.end(), t.begin(), t.end());
  }
  EXPECT_EQ(sizes, (std::vector<size_t>{4, 4, 2}));
  EXPECT_EQ(targets, range(10));
}

TEST(ParityData, StackCollatesIntoOneExample) {
  auto loader = data::make_data_loader<data::samplers::SequentialSampler>(
      Numbered(10).map(data::transforms::Stack<>()), 4);
  std::vector<kiln::Shape> dataShapes, targetShapes;
  for (data::Example<> &batch : *loader) {
    dataShapes.push_back(batch.data.sizes());
    targetShapes.push_back(batch.target.sizes());
  }
  EXPECT_EQ(dataShapes, (std::vector<kiln::Shape>{{4, 2}, {4, 2}, {2, 2}}));
  EXPECT_EQ(targetShapes, (std::vector<kiln::Shape>{{4}, {4}, {2}}));
  auto first = loader->begin();
  EXPECT_EQ(kiln::testing::values(first->data),
            (std::vector<double>{0, 0, 1, 2, 2, 4, 3, 6}));
  EXPECT_EQ(first->target.to_vector<int64_t>(),
            (std::vector<int64_t>{0, 1, 2, 3}));

  data::transforms::Stack<data::TensorExample> stack;
  data::TensorExample stacked =
      stack.apply_batch({data::TensorExample(kiln::ones({3})),
                         data::TensorExample(kiln::zeros({3}))});
  EXPECT_EQ(stacked.data.sizes(), (kiln::Shape{2, 3}));
  expectError(
      [] {
        data::transforms::Stack<>().apply_batch(
            {data::Example<>(kiln::ones({2}), kiln::zeros({})),
             data::Example<>(kiln::ones({3}), kiln::zeros({}))});
      },
      {"stacking needs equal shapes"});
}

TEST(ParityData, RandomSamplerIsTheDefaultAndCoversEachIndexOnce) {
  kiln::manual_seed(7);
  auto loader = data::make_data_loader(Numbered(50), 8);
  std::vector<int64_t> first = epochTargets(*loader);
  std::vector<int64_t> second = epochTargets(*loader);
  EXPECT_NE(first, range(50)); // shuffled
  EXPECT_NE(first, second);    // reshuffled each epoch
  std::sort(first.begin(), first.end());
  std::sort(second.begin(), second.end());
  EXPECT_EQ(first, range(50));
  EXPECT_EQ(second, range(50));

  // kiln::manual_seed makes the order reproducible, as torch::manual_seed.
  auto seededEpoch = [] {
    kiln::manual_seed(7);
    auto loader = data::make_data_loader(Numbered(50), 8);
    return epochTargets(*loader);
  };
  EXPECT_EQ(seededEpoch(), seededEpoch());
}

TEST(ParityData, DropLast) {
  auto loader = data::make_data_loader<data::samplers::SequentialSampler>(
      Numbered(10).map(data::transforms::Stack<>()),
      data::DataLoaderOptions(4).drop_last(true));
  size_t batches = 0;
  for (auto &batch : *loader) {
    EXPECT_EQ(batch.data.size(0), 4);
    ++batches;
  }
  EXPECT_EQ(batches, 2u);
  EXPECT_EQ(epochTargets(*loader), range(8));
}

TEST(ParityData, WorkersLoadTheSameSamples) {
  for (bool ordered : {true, false}) {
    auto sequential = data::make_data_loader<data::samplers::SequentialSampler>(
        Numbered(103),
        data::DataLoaderOptions(5).workers(3).max_jobs(4).enforce_ordering(
            ordered));
    EXPECT_EQ(sequential->options().workers, 3u);
    EXPECT_EQ(sequential->options().max_jobs, 4u);
    std::vector<int64_t> targets = epochTargets(*sequential);
    if (ordered)
      EXPECT_EQ(targets, range(103));
    std::sort(targets.begin(), targets.end());
    EXPECT_EQ(targets, range(103));
  }
  auto shuffled =
      data::make_data_loader(Numbered(64).map(data::transforms::Stack<>()),
                             data::DataLoaderOptions(8).workers(2));
  EXPECT_EQ(shuffled->options().max_jobs, 4u); // 2 * workers
  for (int epoch = 0; epoch < 2; ++epoch) {
    std::vector<int64_t> targets = epochTargets(*shuffled);
    std::sort(targets.begin(), targets.end());
    EXPECT_EQ(targets, range(64));
  }
}

TEST(ParityData, WorkersRunOnSeveralThreads) {
  // Each worker has its own copy of the dataset, as in LibTorch; the
  // threads that load are recorded through a shared set.
  struct Threads : data::datasets::Dataset<Threads> {
    std::shared_ptr<std::mutex> mutex = std::make_shared<std::mutex>();
    std::shared_ptr<std::set<std::thread::id>> ids =
        std::make_shared<std::set<std::thread::id>>();
    data::Example<> get(size_t index) override {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
      std::lock_guard lock(*mutex);
      ids->insert(std::this_thread::get_id());
      return {kiln::zeros({1}), kiln::tensor(static_cast<int64_t>(index))};
    }
    kiln::optional<size_t> size() const override { return 40; }
  };
  Threads dataset;
  auto ids = dataset.ids;
  auto loader =
      data::make_data_loader(dataset, data::DataLoaderOptions(2).workers(3));
  EXPECT_EQ(epochTargets(*loader).size(), 40u);
  EXPECT_GE(ids->size(), 2u);
  EXPECT_FALSE(ids->contains(std::this_thread::get_id()));
}

TEST(ParityData, NormalizeScalarsAndChannels) {
  data::transforms::Normalize<> scalar(0.5, 0.25);
  auto x = kiln::tensor({0.5f, 1.0f, 1.5f});
  EXPECT_EQ(kiln::testing::values(scalar(x)), (std::vector<double>{0, 2, 4}));

  // Per channel: the first dimension of a [C, H, W] sample.
  data::transforms::Normalize<> channels({1.0, 2.0}, {1.0, 4.0});
  auto image = kiln::ones({2, 1, 2}) * 3;
  EXPECT_EQ(kiln::testing::values(channels(image)),
            (std::vector<double>{2, 2, 0.25, 0.25}));

  // In a mapped dataset, on each example's data; the target is untouched.
  auto mapped = Numbered(4).map(data::transforms::Normalize<>(1, 2));
  std::vector<data::Example<>> batch = mapped.get_batch({3});
  EXPECT_EQ(kiln::testing::values(batch[0].data),
            (std::vector<double>{1, 2.5})); // ([3, 6] - 1) / 2
  EXPECT_EQ(batch[0].target.item<int64_t>(), 3);

  expectError([] { data::transforms::Normalize<>(0.5, 0.0); },
              {"Normalize", "std"});
}

TEST(ParityData, LambdasAndTransformClasses) {
  namespace transforms = data::transforms;
  auto doubled =
      Numbered(3)
          .map(transforms::TensorLambda<>([](kiln::Tensor t) { return t * 2; }))
          .map(transforms::Lambda<data::Example<>>([](data::Example<> e) {
            e.target = e.target + 100;
            return e;
          }))
          .map(transforms::Stack<>());
  data::Example<> batch = doubled.get_batch({1, 2});
  EXPECT_EQ(kiln::testing::values(batch.data),
            (std::vector<double>{2, 4, 4, 8}));
  EXPECT_EQ(batch.target.to_vector<int64_t>(),
            (std::vector<int64_t>{101, 102}));

  // A Collate of a function, and a TensorTransform subclass.
  struct Negate : transforms::TensorTransform<> {
    kiln::Tensor operator()(kiln::Tensor input) override { return -input; }
  };
  auto counted =
      Numbered(5).map(Negate()).map(transforms::Collate<data::Example<>>(
          [](std::vector<data::Example<>> examples) {
            return data::Example<>(
                kiln::tensor(static_cast<int64_t>(examples.size())),
                examples.back().data);
          }));
  data::Example<> collated = counted.get_batch({0, 4});
  EXPECT_EQ(collated.data.item<int64_t>(), 2);
  EXPECT_EQ(kiln::testing::values(collated.target),
            (std::vector<double>{-4, -8}));
  EXPECT_EQ(counted.dataset().dataset().size().value(), 5u);

  // A BatchTransform subclass.
  struct CountBatch
      : transforms::BatchTransform<std::vector<data::Example<>>, size_t> {
    size_t apply_batch(std::vector<data::Example<>> batch) override {
      return batch.size();
    }
  };
  EXPECT_EQ(Numbered(5).map(CountBatch()).get_batch({0, 1, 2}), 3u);
}

TEST(ParityData, CustomBatchDataset) {
  // Answers a whole request at once: the indices as one tensor.
  struct Indices : data::datasets::BatchDataset<Indices, kiln::Tensor> {
    kiln::Tensor get_batch(kiln::ArrayRef<size_t> request) override {
      std::vector<int64_t> values(request.begin(), request.end());
      return kiln::tensor(values);
    }
    kiln::optional<size_t> size() const override { return 7; }
  };
  auto loader = data::make_data_loader<data::samplers::SequentialSampler>(
      Indices(), data::DataLoaderOptions(3).workers(2));
  std::vector<std::vector<int64_t>> batches;
  for (kiln::Tensor &batch : *loader)
    batches.push_back(batch.to_vector<int64_t>());
  EXPECT_EQ(batches,
            (std::vector<std::vector<int64_t>>{{0, 1, 2}, {3, 4, 5}, {6}}));

  // A stream of counts: StreamSampler hands out BatchSizes.
  struct Counts : data::datasets::BatchDataset<Counts, size_t,
                                               data::samplers::BatchSize> {
    size_t get_batch(data::samplers::BatchSize request) override {
      return request.size();
    }
    kiln::optional<size_t> size() const override { return 10; }
  };
  auto stream =
      data::make_data_loader<data::samplers::StreamSampler>(Counts(), 4);
  std::vector<size_t> counts;
  for (size_t &count : *stream)
    counts.push_back(count);
  EXPECT_EQ(counts, (std::vector<size_t>{4, 4, 2}));
}

/// Hands out examples 0..total - 1 in batches, in order, until none are
/// left; the workers of a loader share it, so it locks.
class Countdown : public data::datasets::StatefulDataset<Countdown> {
public:
  explicit Countdown(size_t total) : total_(total) {}
  kiln::optional<std::vector<data::Example<>>>
  get_batch(size_t batch_size) override {
    std::lock_guard lock(*mutex_);
    if (*next_ >= total_)
      return std::nullopt;
    std::vector<data::Example<>> batch;
    for (; batch.size() < batch_size && *next_ < total_; ++*next_)
      batch.emplace_back(kiln::zeros({1}),
                         kiln::tensor(static_cast<int64_t>(*next_)));
    return batch;
  }
  kiln::optional<size_t> size() const override { return total_; }
  void reset() override { *next_ = 0; }

private:
  size_t total_;
  std::shared_ptr<std::mutex> mutex_ = std::make_shared<std::mutex>();
  std::shared_ptr<size_t> next_ = std::make_shared<size_t>(0);
};

TEST(ParityData, StatefulDatasetLoadsUntilItRunsOut) {
  auto loader = data::make_data_loader(Countdown(23), 5);
  std::vector<size_t> sizes;
  for (auto &batch : *loader)
    sizes.push_back(batch.size());
  EXPECT_EQ(sizes, (std::vector<size_t>{5, 5, 5, 5, 3}));
  EXPECT_EQ(epochTargets(*loader), range(23)); // reset() starts again

  for (bool ordered : {true, false}) {
    auto workers = data::make_data_loader(
        Countdown(57).map(data::transforms::Stack<>()),
        data::DataLoaderOptions(4).workers(3).enforce_ordering(ordered));
    for (int epoch = 0; epoch < 2; ++epoch) {
      std::vector<int64_t> targets = epochTargets(*workers);
      std::sort(targets.begin(), targets.end());
      EXPECT_EQ(targets, range(57));
    }
  }
}

TEST(ParityData, TensorDataset) {
  data::datasets::TensorDataset rows(kiln::arange(6).reshape({3, 2}));
  EXPECT_EQ(rows.size().value(), 3u);
  data::TensorExample row = rows.get(1);
  EXPECT_EQ(row.data.to_vector<int64_t>(), (std::vector<int64_t>{2, 3}));
  data::datasets::TensorDataset stacked(
      std::vector<kiln::Tensor>{kiln::ones({2}), kiln::zeros({2})});
  EXPECT_EQ(stacked.tensor.sizes(), (kiln::Shape{2, 2}));
  auto loader = data::make_data_loader<data::samplers::SequentialSampler>(
      rows.map(data::transforms::Stack<data::TensorExample>()), 2);
  std::vector<kiln::Shape> shapes;
  for (data::TensorExample &batch : *loader)
    shapes.push_back(batch.data.sizes());
  EXPECT_EQ(shapes, (std::vector<kiln::Shape>{{2, 2}, {1, 2}}));
  expectError([&] { rows.get(3); }, {"TensorDataset", "3"});
}

TEST(ParityData, Samplers) {
  namespace samplers = data::samplers;
  samplers::SequentialSampler sequential(5);
  EXPECT_EQ(sequential.next(2).value(), (std::vector<size_t>{0, 1}));
  EXPECT_EQ(sequential.next(2).value(), (std::vector<size_t>{2, 3}));
  EXPECT_EQ(sequential.next(2).value(), (std::vector<size_t>{4}));
  EXPECT_FALSE(sequential.next(2).has_value());
  EXPECT_EQ(sequential.index(), 5u);
  sequential.reset();
  EXPECT_EQ(sequential.next(10).value().size(), 5u);
  sequential.reset(2);
  EXPECT_EQ(sequential.next(10).value(), (std::vector<size_t>{0, 1}));

  samplers::RandomSampler random(20);
  std::vector<size_t> all = random.next(15).value();
  std::vector<size_t> rest = random.next(15).value();
  EXPECT_EQ(rest.size(), 5u);
  EXPECT_FALSE(random.next(1).has_value());
  all.insert(all.end(), rest.begin(), rest.end());
  std::sort(all.begin(), all.end());
  std::vector<size_t> expected(20);
  std::iota(expected.begin(), expected.end(), 0);
  EXPECT_EQ(all, expected);

  // Replicas' shares: disjoint, covering, equal in size (padded).
  for (bool shuffle : {false, true}) {
    std::vector<size_t> seen;
    for (size_t rank = 0; rank < 3; ++rank) {
      std::vector<size_t> share;
      auto take = [&](auto &sampler) {
        sampler.set_epoch(4);
        sampler.reset();
        while (auto batch = sampler.next(4))
          share.insert(share.end(), batch->begin(), batch->end());
      };
      if (shuffle) {
        samplers::DistributedRandomSampler sampler(10, 3, rank);
        take(sampler);
      } else {
        samplers::DistributedSequentialSampler sampler(10, 3, rank);
        take(sampler);
      }
      EXPECT_EQ(share.size(), 4u); // ceil(10 / 3)
      seen.insert(seen.end(), share.begin(), share.end());
    }
    std::set<size_t> distinct(seen.begin(), seen.end());
    EXPECT_EQ(distinct.size(), 10u); // 12 with 2 repeated
  }
  samplers::DistributedSequentialSampler first(10, 3, 0, false);
  EXPECT_EQ(first.next(10).value(), (std::vector<size_t>{0, 1, 2}));
  expectError([] { samplers::DistributedRandomSampler(10, 2, 2); },
              {"rank 2 of 2"});

  samplers::StreamSampler stream(5);
  EXPECT_EQ(stream.next(3).value().size(), 3u);
  EXPECT_EQ(stream.next(3).value().size(), 2u);
  EXPECT_FALSE(stream.next(3).has_value());
}

TEST(ParityData, MnistOnTheBundledDigits) {
  data::datasets::MNIST train(kDigits);
  data::datasets::MNIST test(kDigits, data::datasets::MNIST::Mode::kTest);
  EXPECT_TRUE(train.is_train());
  EXPECT_FALSE(test.is_train());
  EXPECT_EQ(train.size().value(), 1437u);
  EXPECT_EQ(test.size().value(), 360u);
  EXPECT_EQ(train.images().sizes(), (kiln::Shape{1437, 1, 8, 8}));
  EXPECT_EQ(train.targets().sizes(), (kiln::Shape{1437}));
  EXPECT_EQ(train.targets().dtype(), kiln::kInt64);
  // LibTorch divides by 255; the digits' pixels are 0..16.
  std::vector<double> pixels = kiln::testing::values(train.images());
  EXPECT_EQ(*std::max_element(pixels.begin(), pixels.end()), 16.0f / 255);
  data::Example<> first = train.get(0);
  EXPECT_EQ(first.data.sizes(), (kiln::Shape{1, 8, 8}));
  EXPECT_EQ(first.target.item<int64_t>(), train.targets()[0].item<int64_t>());

  auto dataset = data::datasets::MNIST(kDigits)
                     .map(data::transforms::Normalize<>(0.1307, 0.3081))
                     .map(data::transforms::Stack<>());
  auto loader = data::make_data_loader(
      std::move(dataset), data::DataLoaderOptions().batch_size(64).workers(2));
  size_t batches = 0, examples = 0;
  for (auto &batch : *loader) {
    EXPECT_EQ(batch.data.size(1), 1);
    EXPECT_EQ(batch.data.size(2), 8);
    EXPECT_EQ(batch.target.size(0), batch.data.size(0));
    ++batches;
    examples += batch.data.size(0);
  }
  EXPECT_EQ(batches, 23u); // ceil(1437 / 64)
  EXPECT_EQ(examples, 1437u);
  data::Example<> normalized =
      data::datasets::MNIST(kDigits)
          .map(data::transforms::Normalize<>(0.1307, 0.3081))
          .map(data::transforms::Stack<>())
          .get_batch({0});
  EXPECT_NEAR(kiln::testing::values(normalized.data)[0],
              (pixels[0] - 0.1307) / 0.3081, 1e-6);
}

TEST(ParityData, Errors) {
  expectError(
      [] { data::make_data_loader(Numbered(4), data::DataLoaderOptions(0)); },
      {"batch_size"});

  // The dataset's own message reaches the loop, from a worker or not.
  struct Failing : data::datasets::Dataset<Failing> {
    data::Example<> get(size_t index) override {
      if (index == 3)
        throw std::runtime_error("sample three is corrupt");
      return {kiln::zeros({1}), kiln::zeros({})};
    }
    kiln::optional<size_t> size() const override { return 6; }
  };
  for (size_t workers : {0, 2}) {
    auto loader = data::make_data_loader<data::samplers::SequentialSampler>(
        Failing(), data::DataLoaderOptions(2).workers(workers));
    expectError([&] { epochTargets(*loader); },
                {"DataLoader", "batch 1", "sample three is corrupt"});
  }

  // An index out of range, from the dataset itself or through a loader.
  expectError([] { data::datasets::MNIST(kDigits).get(1437); },
              {"MNIST", "1437"});
  expectError(
      [] {
        auto loader = data::make_data_loader(
            Numbered(10), data::samplers::SequentialSampler(12), 5);
        epochTargets(*loader);
      },
      {"index 10 is out of range"});

  // A slow worker and a timeout.
  struct Slow : data::datasets::Dataset<Slow> {
    data::Example<> get(size_t) override {
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      return {kiln::zeros({1}), kiln::zeros({})};
    }
    kiln::optional<size_t> size() const override { return 2; }
  };
  auto slow = data::make_data_loader(
      Slow(), data::DataLoaderOptions(1).workers(1).timeout(
                  std::chrono::milliseconds(10)));
  expectError([&] { slow->begin(); }, {"timed out"});

  // MNIST files missing or truncated name the file.
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / "kiln-parity-mnist";
  fs::remove_all(dir);
  fs::create_directories(dir);
  expectError([&] { data::datasets::MNIST(dir.string()); },
              {"train-images-idx3-ubyte"});
  for (const char *name :
       {"train-images-idx3-ubyte", "train-labels-idx1-ubyte"})
    fs::copy_file(fs::path(kDigits) / name, dir / name);
  fs::resize_file(dir / "train-images-idx3-ubyte", 1000);
  expectError([&] { data::datasets::MNIST(dir.string()); },
              {"train-images-idx3-ubyte"});
  fs::remove_all(dir);
}

TEST(ParityData, SamplersSaveAndLoadTheirPosition) {
  namespace samplers = kiln::data::samplers;
  samplers::SequentialSampler a(10);
  a.next(3);
  a.next(4);
  std::stringstream stream;
  kiln::save(a, stream);
  samplers::SequentialSampler b(10);
  kiln::load(b, stream);
  EXPECT_EQ(b.index(), 7u);
  EXPECT_EQ(b.next(5).value(), (std::vector<size_t>{7, 8, 9}));

  samplers::RandomSampler r(100);
  r.next(10);
  std::stringstream rs;
  kiln::save(r, rs);
  samplers::RandomSampler r2(10);
  kiln::load(r2, rs);
  EXPECT_EQ(r2.index(), 10u);
  EXPECT_EQ(r2.next(90).value(), r.next(90).value());

  samplers::DistributedRandomSampler d(10);
  d.set_epoch(3);
  std::stringstream ds;
  kiln::save(d, ds);
  samplers::DistributedRandomSampler d2(10);
  kiln::load(d2, ds);
  EXPECT_EQ(d2.epoch(), 3u);
  EXPECT_EQ(d2.index(), 0u);

  samplers::DistributedSequentialSampler q(10);
  q.next(3);
  std::stringstream qs;
  kiln::save(q, qs);
  samplers::DistributedSequentialSampler q2(10);
  kiln::load(q2, qs);
  EXPECT_EQ(q2.index(), 3u);

  samplers::StreamSampler st(20);
  st.next(6);
  std::stringstream ss;
  kiln::save(st, ss);
  samplers::StreamSampler st2(5);
  kiln::load(st2, ss);
  EXPECT_EQ(st2.next(100).value().size(), 14u);

  // A saved position past the epoch is a kiln::Error, not a wild read.
  std::stringstream again;
  kiln::save(a, again);
  samplers::SequentialSampler small(5);
  kiln::testing::expectError([&] { kiln::load(small, again); },
                             {"SequentialSampler", "past the 5 indices"});
  // Saved indices that are not a permutation are refused too.
  kiln::serialize::OutputArchive forged;
  forged.write("index", kiln::tensor({0}, kiln::kInt64));
  forged.write("indices", kiln::tensor({0, 0, 1}, kiln::kInt64));
  std::stringstream forgedStream;
  forged.save_to(forgedStream);
  samplers::RandomSampler victim(3);
  kiln::testing::expectError([&] { kiln::load(victim, forgedStream); },
                             {"RandomSampler", "not a permutation"});
}

struct CountingSampler : kiln::data::samplers::Sampler<> {
  void reset(std::optional<size_t>) override {}
  std::optional<std::vector<size_t>> next(size_t) override { return {}; }
};

TEST(ParityData, ASamplerWithoutStateCannotBeSaved) {
  CountingSampler sampler;
  std::stringstream stream;
  kiln::testing::expectError([&] { kiln::save(sampler, stream); },
                             {"cannot save"});
}

} // namespace
