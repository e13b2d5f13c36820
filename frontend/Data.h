//===- Data.h - Datasets, samplers and the DataLoader -----------*- C++ -*-===//
//
// PyTorch's data pipeline (torch.utils.data, torchvision's MNIST, CIFAR10,
// ImageFolder and transforms): a map-style Dataset yields Examples by index
// (from tensors, IDX, CSV, CIFAR-10 or image files, or other datasets:
// subsets, concatenations, transformed samples), a Sampler orders the
// indices of an epoch, and a DataLoader batches them, optionally loading in
// worker threads. An IterableDataset (StreamingDataset: sharded files read
// lazily) is the alternative for data too large to index in memory. Every
// tensor made here is realized at once from plain memory: loading data never
// records ops or compiles code.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_FRONTEND_DATA_H
#define KILN_FRONTEND_DATA_H

#include "kiln/frontend/Tensor.h"

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <random>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace kiln::detail {
class LoaderEpoch;
class WorkerPool;
} // namespace kiln::detail

namespace kiln::data {

/// One sample, or a batch of them: the input and its label. `target` may be
/// undefined for data without labels.
struct Example {
  /// The input (a batch: stacked along a new first dimension).
  Tensor data;
  /// The label (a batch: stacked likewise), or undefined.
  Tensor target;
};

/// A map-style dataset (PyTorch's `torch.utils.data.Dataset`): samples
/// addressed by an index in [0, size()). A DataLoader with workers calls
/// get() from several threads at once, so get() must be safe to call
/// concurrently; reading realized tensors, as the datasets here do, is.
template <typename ExampleType = Example> class Dataset {
public:
  /// What get() returns.
  using ExampleT = ExampleType;

  /// Datasets are used through base pointers.
  virtual ~Dataset() = default;
  /// The sample at `index`; throws kiln::Error when it is out of range.
  virtual ExampleType get(size_t index) = 0;
  /// The number of samples.
  virtual size_t size() const = 0;
};

namespace transforms {
/// A transform of one tensor; Normalize, Lambda, Compose and the image
/// transforms are ones.
using TensorTransform = std::function<Tensor(Tensor)>;
} // namespace transforms

/// Makes the random transforms of the current thread draw from a generator
/// derived from (seed, epoch, index) while it lives, so that a sample's
/// random crop or flip depends on the loader's seed, the epoch and the
/// sample's index only, never on which worker loads it or when. The
/// DataLoader puts one around every sample it loads; nest them freely (the
/// innermost wins, the previous one comes back on destruction).
class SampleSeed {
public:
  /// Seeds the current thread's sample generator from (seed, epoch, index).
  SampleSeed(uint64_t seed, uint64_t epoch, uint64_t index);
  /// Restores the generator that was current before.
  ~SampleSeed();
  SampleSeed(const SampleSeed &) = delete;
  SampleSeed &operator=(const SampleSeed &) = delete;

private:
  std::mt19937_64 *previous_;
  std::mt19937_64 generator_;
};

/// The generator random transforms draw from on this thread: the innermost
/// live SampleSeed's, or, outside any (a dataset read by hand), a per-thread
/// generator seeded with 0 when the thread first asks. User transforms that
/// draw from it are as reproducible as the built-in ones.
std::mt19937_64 &sample_generator();

/// A concrete dataset type, held by value: what the constructors taking a
/// dataset by value accept.
template <typename D>
concept DatasetValue =
    std::derived_from<std::remove_cvref_t<D>, Dataset<Example>> &&
    !std::is_abstract_v<std::remove_cvref_t<D>>;

/// A copy of `dataset` (moved in when an rvalue) that can be shared.
template <DatasetValue D>
std::shared_ptr<Dataset<Example>> make_shared_dataset(D &&dataset) {
  return std::make_shared<std::remove_cvref_t<D>>(std::forward<D>(dataset));
}

/// Samples that are rows of tensors (PyTorch's `TensorDataset`): sample `i`
/// is `{data[i], targets[i]}`, each a new realized tensor with the first
/// dimension dropped.
class TensorDataset : public Dataset<Example> {
public:
  /// `data` and `targets` index samples along their first dimension, so they
  /// need at least one dimension and the same length there (a kiln::Error
  /// otherwise). `targets` may be undefined: the samples then have none.
  /// Pending tensors are realized here, once.
  TensorDataset(Tensor data, Tensor targets = {});

  /// `{data[index], targets[index]}`; throws kiln::Error out of range.
  Example get(size_t index) override;
  /// The length of the first dimension.
  size_t size() const override;

  /// All samples' inputs.
  const Tensor &data() const { return data_; }
  /// All samples' labels (undefined when there are none).
  const Tensor &targets() const { return targets_; }

private:
  Tensor data_;
  Tensor targets_;
};

/// Reads an IDX file (the format of MNIST, FashionMNIST, KMNIST, EMNIST),
/// plain or gzip-compressed (detected from the content, so a `.gz` suffix is
/// not needed), into a new realized tensor with the file's dimensions.
/// Kiln has no 8- or 16-bit integer dtypes, so unsigned and signed bytes and
/// shorts widen to int32 with their values unchanged; ints are int32, floats
/// float32 and doubles float64. A missing, truncated or malformed file (bad
/// magic, an unknown type code, dimensions that do not match the amount of
/// data, corrupt gzip data) is a kiln::Error naming the path and the problem.
Tensor read_idx(const std::string &path);

/// The MNIST digits in IDX files (PyTorch C++'s `torch::data::datasets::MNIST`,
/// torchvision's `MNIST`): `root` holds `train-images-idx3-ubyte` and
/// `train-labels-idx1-ubyte` (or `t10k-*` for the test split), each also
/// accepted with a `.gz` suffix. Sample images are float32 [1, H, W] in
/// [0, 1]; targets are int64 scalars.
class MNIST : public Dataset<Example> {
public:
  /// The largest pixel value of real MNIST; pixels are divided by it.
  static constexpr double kMaxValue = 255;
  /// The largest pixel value of the bundled 8x8 digits (data/digits), which
  /// are 0..16, not 0..255.
  static constexpr double kDigitsMaxValue = 16;

  /// Loads the train or test split from `root`. Pixels are divided by
  /// `max_value` (255 as in PyTorch; pass kDigitsMaxValue for data/digits).
  /// A pixel above `max_value` is a kiln::Error rather than a silently
  /// out-of-range input, as are missing files, images that are not 3-d
  /// ubyte, labels that are not 1-d ubyte, and differing counts.
  explicit MNIST(const std::string &root, bool train = true,
                 double max_value = kMaxValue);

  /// `{image [1, H, W] float32, label int64 scalar}`.
  Example get(size_t index) override;
  /// The number of images.
  size_t size() const override;

  /// Whether this is the training split.
  bool is_train() const { return train_; }
  /// All images, float32 [N, 1, H, W] in [0, 1].
  const Tensor &images() const { return images_; }
  /// All labels, int64 [N].
  const Tensor &targets() const { return targets_; }

private:
  Tensor images_;
  Tensor targets_;
  bool train_;
};

/// CIFAR-10 from its binary version (torchvision's `CIFAR10`, reading the
/// `cifar-10-batches-bin` files rather than the Python pickles): the
/// training split is `data_batch_1.bin` .. `data_batch_5.bin`, the test split
/// `test_batch.bin`. Each file is a sequence of 3073-byte records: a label
/// byte (0..9), then a 32x32 image as 1024 red, 1024 green and 1024 blue
/// bytes, row-major. Sample images are float32 [3, 32, 32] in [0, 1]
/// (torchvision's CIFAR10 followed by ToTensor); targets are int64 scalars.
class CIFAR10 : public Dataset<Example> {
public:
  /// Bytes per record: the label byte and 3 * 32 * 32 pixels.
  static constexpr size_t kRecordBytes = 1 + 3 * 32 * 32;
  /// The class names, by label.
  static const std::vector<std::string> &classes();

  /// Loads the train or test split from `root`, which holds the .bin files
  /// or the `cifar-10-batches-bin` directory that does. `transform` and
  /// `target_transform`, when set, apply in get(), as in torchvision. A
  /// missing file (named by its path), an empty one, a size that is not a
  /// multiple of 3073 bytes (named, with the size) or a label above 9 is a
  /// kiln::Error naming the file.
  explicit CIFAR10(const std::string &root, bool train = true,
                   transforms::TensorTransform transform = nullptr,
                   transforms::TensorTransform target_transform = nullptr);

  /// `{image [3, 32, 32] float32, label int64 scalar}`, transformed.
  Example get(size_t index) override;
  /// The number of images.
  size_t size() const override { return static_cast<size_t>(targets_.size(0)); }

  /// Whether this is the training split.
  bool is_train() const { return train_; }
  /// All images, float32 [N, 3, 32, 32] in [0, 1], untransformed.
  const Tensor &images() const { return images_; }
  /// All labels, int64 [N].
  const Tensor &targets() const { return targets_; }

private:
  Tensor images_;
  Tensor targets_;
  bool train_;
  transforms::TensorTransform transform_;
  transforms::TensorTransform targetTransform_;
};

/// Decodes a PNG, JPEG, BMP or PPM/PGM file (with stb_image) into an int32
/// [H, W, 3] tensor of RGB values 0..255 (Kiln has no uint8 dtype):
/// torchvision's `default_loader`, which converts every image to RGB.
/// ToTensor turns it into float CHW. A missing file or one that does not
/// decode is a kiln::Error naming the path and the decoder's reason.
Tensor load_image(const std::string &path);

/// Images in one subdirectory per class (torchvision's `ImageFolder`):
/// `root/cat/x.png` and `root/dog/y.jpg` are classes 0 and 1, classes
/// numbered in sorted order of their directory names. Files are found
/// recursively within each class directory and sorted by path; files
/// without an image extension (.png .jpg .jpeg .bmp .ppm .pgm, any case)
/// are skipped. Images are decoded in get(), not held in memory.
class ImageFolder : public Dataset<Example> {
public:
  /// The file name extensions taken as images (lower case, with the dot).
  static const std::vector<std::string> &extensions();

  /// Lists `root`. A missing root, one without class directories, or a
  /// class directory without images is a kiln::Error naming it.
  explicit ImageFolder(const std::string &root,
                       transforms::TensorTransform transform = nullptr,
                       transforms::TensorTransform target_transform = nullptr);

  /// `{load_image(path) [H, W, 3] int32, class index int64 scalar}`, then
  /// the transforms; a file that does not decode, or a failing transform,
  /// is a kiln::Error naming the file.
  Example get(size_t index) override;
  /// The number of images.
  size_t size() const override { return samples_.size(); }

  /// The class names, sorted: class `i` is classes()[i].
  const std::vector<std::string> &classes() const { return classes_; }
  /// The class index of each class name (torchvision's `class_to_idx`).
  std::map<std::string, int64_t> class_to_idx() const;
  /// Every image's path and class index, in sample order.
  const std::vector<std::pair<std::string, int64_t>> &samples() const {
    return samples_;
  }
  /// Every image's class index, in sample order.
  std::vector<int64_t> targets() const;

private:
  std::vector<std::string> classes_;
  std::vector<std::pair<std::string, int64_t>> samples_;
  transforms::TensorTransform transform_;
  transforms::TensorTransform targetTransform_;
};

/// The samples of `dataset` at `indices`, in that order (PyTorch's
/// `Subset`): sample `i` is `dataset[indices[i]]`. Indices may repeat.
class Subset : public Dataset<Example> {
public:
  /// Every index must be below `dataset->size()` (a kiln::Error naming the
  /// first that is not).
  Subset(std::shared_ptr<Dataset<Example>> dataset,
         std::vector<size_t> indices);
  /// Takes a copy of `dataset` (moved in when an rvalue).
  template <DatasetValue D>
  Subset(D &&dataset, std::vector<size_t> indices)
      : Subset(make_shared_dataset(std::forward<D>(dataset)),
               std::move(indices)) {}

  /// `dataset()[indices()[index]]`; throws kiln::Error out of range.
  Example get(size_t index) override;
  /// The number of indices.
  size_t size() const override { return indices_.size(); }

  /// The dataset the samples come from.
  Dataset<Example> &dataset() const { return *dataset_; }
  /// The indices into it.
  const std::vector<size_t> &indices() const { return indices_; }

private:
  std::shared_ptr<Dataset<Example>> dataset_;
  std::vector<size_t> indices_;
};

/// Datasets one after another (PyTorch's `ConcatDataset`): the samples of
/// the first, then those of the second, and so on.
class ConcatDataset : public Dataset<Example> {
public:
  /// Concatenates `datasets`; a null one is a kiln::Error. Their sizes are
  /// read once, here, so they must not change afterwards.
  explicit ConcatDataset(
      std::vector<std::shared_ptr<Dataset<Example>>> datasets);

  /// The sample of the dataset that `index` falls in; throws kiln::Error out
  /// of range.
  Example get(size_t index) override;
  /// The sum of the datasets' sizes.
  size_t size() const override {
    return offsets_.empty() ? 0 : offsets_.back();
  }

  /// The datasets, in order.
  const std::vector<std::shared_ptr<Dataset<Example>>> &datasets() const {
    return datasets_;
  }
  /// PyTorch's `cumulative_sizes`: entry `i` is the number of samples in
  /// datasets 0..i.
  const std::vector<size_t> &cumulative_sizes() const { return offsets_; }

private:
  std::vector<std::shared_ptr<Dataset<Example>>> datasets_;
  std::vector<size_t> offsets_;
};

/// Splits `dataset` into Subsets of the given lengths whose indices are a
/// random partition of 0..size - 1 (PyTorch's `random_split`). `lengths` are
/// either whole counts summing to the dataset's size, or, as in PyTorch,
/// fractions summing to 1: each split then gets floor(fraction * size)
/// samples and the remainder goes one each to the splits in turn, from the
/// first. The permutation depends only on `seed` (PyTorch's generator), so
/// equal seeds give equal splits. Anything else (a negative or non-whole
/// count, counts with the wrong sum) is a kiln::Error.
std::vector<Subset> random_split(std::shared_ptr<Dataset<Example>> dataset,
                                 const std::vector<double> &lengths,
                                 uint64_t seed = 0);
/// random_split of a copy of `dataset`, shared by the splits.
template <DatasetValue D>
std::vector<Subset> random_split(D &&dataset,
                                 const std::vector<double> &lengths,
                                 uint64_t seed = 0) {
  return random_split(make_shared_dataset(std::forward<D>(dataset)), lengths,
                      seed);
}

/// Transforms of a sample's input or target (torchvision's transforms,
/// LibTorch's `torch::data::transforms`). Like the datasets, they compute
/// new realized tensors directly and never record ops.
namespace transforms {

/// `(x - mean[c]) / std[c]` for each channel `c` (torchvision's
/// `Normalize`). The channel is the first dimension of the sample: C of a
/// [C, H, W] image, the feature of a [F] vector. One mean and one std apply
/// to every channel.
class Normalize {
public:
  /// `mean` and `std` must have equal, non-zero lengths, and no std may be
  /// zero (kiln::Error otherwise).
  Normalize(std::vector<double> mean, std::vector<double> std);
  /// A new float32 or float64 tensor like `input`, which must be floating
  /// point with mean().size() entries along its first dimension (or any
  /// shape when there is one mean); anything else is a kiln::Error.
  Tensor operator()(const Tensor &input) const;

  /// The per-channel means.
  const std::vector<double> &mean() const { return mean_; }
  /// The per-channel standard deviations.
  const std::vector<double> &std() const { return std_; }

private:
  std::vector<double> mean_;
  std::vector<double> std_;
};

/// A user function as a transform (torchvision's `Lambda`).
class Lambda {
public:
  /// Applies `fn`; an empty one is a kiln::Error.
  explicit Lambda(TensorTransform fn);
  /// `fn(input)`.
  Tensor operator()(Tensor input) const { return fn_(std::move(input)); }

private:
  TensorTransform fn_;
};

/// Transforms applied one after another, first to last (torchvision's
/// `Compose`).
class Compose {
public:
  /// Composes `transforms`; an empty one among them is a kiln::Error.
  Compose(std::vector<TensorTransform> transforms);
  /// The last transform of ... of the first transform of `input`.
  Tensor operator()(Tensor input) const;

private:
  std::vector<TensorTransform> transforms_;
};

/// An image as a float tensor (torchvision's `ToTensor`): an int32 [H, W, C]
/// or [H, W] tensor of values 0..255, what load_image gives, becomes a new
/// float32 [C, H, W] (or [1, H, W]) tensor divided by 255. Another dtype or
/// rank, or a value outside 0..255, is a kiln::Error.
class ToTensor {
public:
  /// The float CHW image.
  Tensor operator()(const Tensor &input) const;
};

/// An image size: height and width.
struct ImageSize {
  /// A square of `side` x `side`.
  ImageSize(int64_t side) : height(side), width(side) {}
  /// `height` x `width`.
  ImageSize(int64_t height, int64_t width) : height(height), width(width) {}
  /// Rows.
  int64_t height;
  /// Columns.
  int64_t width;
};

/// How RandomCrop fills the padding (torchvision's `padding_mode`).
enum class PaddingMode {
  /// The `fill` value.
  Constant,
  /// The nearest edge pixel, repeated.
  Edge,
  /// Mirrored without repeating the edge: 2 1 | 0 1 2 | 1 0.
  Reflect,
  /// Mirrored with the edge repeated: 1 0 | 0 1 2 | 2 1.
  Symmetric,
};

// The image transforms below take tensors whose last two dimensions are
// height and width ([C, H, W], or [H, W]), of dtype float32, float64 or
// int32, and return new realized tensors of the same dtype. Those that draw
// random numbers draw from sample_generator(), so inside a DataLoader they
// depend on (seed, epoch, sample index) only.

/// Crops a `size` region at a random position (torchvision's `RandomCrop`),
/// after padding the image by `padding` on every side; with
/// `pad_if_needed`, an image still smaller than `size` is padded to it
/// rather than being a kiln::Error. Negative sizes or padding, or a `size`
/// larger than the padded image without pad_if_needed, are kiln::Errors.
class RandomCrop {
public:
  /// Crops to `size` after padding with `padding` pixels of `fill` (or per
  /// `padding_mode`).
  explicit RandomCrop(ImageSize size, int64_t padding = 0,
                      bool pad_if_needed = false, double fill = 0,
                      PaddingMode padding_mode = PaddingMode::Constant);
  /// The crop of `input`.
  Tensor operator()(const Tensor &input) const;

private:
  ImageSize size_;
  int64_t padding_;
  bool padIfNeeded_;
  double fill_;
  PaddingMode mode_;
};

/// Mirrors the image left-right with probability `p` (torchvision's
/// `RandomHorizontalFlip`); otherwise returns it unchanged.
class RandomHorizontalFlip {
public:
  /// Flips with probability `p`, which must lie in [0, 1].
  explicit RandomHorizontalFlip(double p = 0.5);
  /// `input`, flipped or not.
  Tensor operator()(const Tensor &input) const;

private:
  double p_;
};

/// Crops the central `size` region (torchvision's `CenterCrop`): the top
/// left corner is at round((H - h) / 2), round((W - w) / 2). An image
/// smaller than `size` is padded with zeros first, as in torchvision:
/// (h - H) / 2 rows before it, the rest after (likewise for columns).
class CenterCrop {
public:
  /// Crops to `size`; a non-positive side is a kiln::Error.
  explicit CenterCrop(ImageSize size);
  /// The central crop of `input`.
  Tensor operator()(const Tensor &input) const;

private:
  ImageSize size_;
};

/// Resizes with bilinear interpolation (torchvision's `Resize` with
/// antialias=False, i.e. `interpolate(mode="bilinear",
/// align_corners=False)`): pixel centres map to pixel centres. An int32
/// image's values are rounded back to integers. A single size (the int
/// constructor) sets the smaller edge and keeps the aspect ratio, as in
/// torchvision; a pair sets both.
class Resize {
public:
  /// Resizes the smaller edge to `size`, the other to
  /// floor(size * long / short).
  explicit Resize(int64_t size);
  /// Resizes to `size` exactly.
  explicit Resize(ImageSize size);
  /// The resized image.
  Tensor operator()(const Tensor &input) const;

private:
  ImageSize size_;
  bool smallerEdge_;
};

} // namespace transforms

/// A dataset whose samples pass through transforms (LibTorch's
/// `MapDataset`; torchvision datasets' `transform` and `target_transform`).
/// The transforms run in get(), so in the DataLoader's workers: they must
/// be thread-safe.
class MapDataset : public Dataset<Example> {
public:
  /// Applies `transform` to each sample's input and `target_transform`, when
  /// set, to its target. An empty `transform` leaves inputs as they are.
  MapDataset(std::shared_ptr<Dataset<Example>> dataset,
             transforms::TensorTransform transform,
             transforms::TensorTransform target_transform = nullptr);

  /// The transformed sample; a failing transform is a kiln::Error naming
  /// the sample.
  Example get(size_t index) override;
  /// The size of the underlying dataset.
  size_t size() const override { return dataset_->size(); }

  /// The dataset the samples come from.
  Dataset<Example> &dataset() const { return *dataset_; }

private:
  std::shared_ptr<Dataset<Example>> dataset_;
  transforms::TensorTransform transform_;
  transforms::TensorTransform targetTransform_;
};

/// A copy of `dataset` (moved in when an rvalue) whose samples pass through
/// the transforms (LibTorch's `dataset.map(transform)`):
///
///     auto train = map(MNIST("data/mnist"),
///                      transforms::Normalize({0.1307}, {0.3081}));
template <DatasetValue D>
MapDataset map(D &&dataset, transforms::TensorTransform transform,
               transforms::TensorTransform target_transform = nullptr) {
  return MapDataset(make_shared_dataset(std::forward<D>(dataset)),
                    std::move(transform), std::move(target_transform));
}

/// Numeric rows of a CSV file: the columns other than the target are the
/// sample's float32 features [F], the target column its label (an int64
/// scalar, or float32/float64 for regression). Cells may be padded with
/// spaces or quoted; blank lines are skipped; there is no escaping, since
/// every cell must be a number.
class CSVDataset : public Dataset<Example> {
public:
  /// Reads `path`. `target_column` counts from 0, or from the end when
  /// negative (-1 is the last column). With `has_header`, the first line
  /// names the columns and fixes their number; otherwise the first row
  /// does. A missing file, an empty one, a row with another number of
  /// cells, a cell that is not a number, or an int64 target that is not a
  /// whole number is a kiln::Error naming the file and line.
  CSVDataset(const std::string &path, int64_t target_column,
             bool has_header = true, char delimiter = ',',
             ScalarType target_dtype = kInt64);
  /// Takes the target column by its name in the header.
  CSVDataset(const std::string &path, const std::string &target_column,
             char delimiter = ',', ScalarType target_dtype = kInt64);

  /// `{features [F] float32, target scalar}`.
  Example get(size_t index) override;
  /// The number of rows.
  size_t size() const override {
    return static_cast<size_t>(features_.size(0));
  }

  /// All features, float32 [N, F].
  const Tensor &features() const { return features_; }
  /// All targets, [N].
  const Tensor &targets() const { return targets_; }
  /// The header's names of the feature columns, in order (empty without a
  /// header).
  const std::vector<std::string> &feature_names() const { return names_; }

private:
  void load(const std::string &path, int64_t targetIndex,
            const std::string *targetName, bool hasHeader, char delimiter,
            ScalarType targetDtype);

  Tensor features_;
  Tensor targets_;
  std::vector<std::string> names_;
};

/// One part of an IterableDataset, read front to back.
class ExampleStream {
public:
  /// Streams are used through base pointers.
  virtual ~ExampleStream() = default;
  /// The next sample, or nullopt at the end of the part.
  virtual std::optional<Example> next() = 0;
};

/// An iterable-style dataset (PyTorch's `IterableDataset`): samples come as
/// streams rather than by index, so that data need never be held or indexed
/// in memory as a whole. An epoch is divided into parts (shard files, say),
/// each a stream whose content depends only on (part, epoch); a DataLoader
/// reads the parts in parts(epoch) order, and with workers reads several at
/// once, so its batches are the same for any num_workers. Sample `i` of part
/// `p` is read under SampleSeed(seed, epoch, p * 2^32 + i), so random
/// transforms in a stream are as reproducible as in a map-style dataset.
class IterableDataset {
public:
  /// Datasets are used through base pointers.
  virtual ~IterableDataset() = default;
  /// The number of parts; ids are 0 .. num_parts() - 1.
  virtual size_t num_parts() const = 0;
  /// The parts of epoch `epoch`, in reading order (a subset or a
  /// permutation of the ids).
  virtual std::vector<size_t> parts(uint64_t epoch) const = 0;
  /// A stream of part `part` in epoch `epoch`. Workers call it concurrently
  /// (each then reads its own stream), so it must be thread-safe.
  virtual std::unique_ptr<ExampleStream> open(size_t part,
                                              uint64_t epoch) const = 0;
};

/// Opens one shard file as a stream of samples, reading it lazily.
using ShardReader =
    std::function<std::unique_ptr<ExampleStream>(const std::string &path)>;

/// A ShardReader of fixed-size records, the CIFAR-10 binary format
/// generalised: each record is one label byte followed by the bytes of an
/// image of `shape` (e.g. {3, 32, 32}: CIFAR-10 batch files are shards as
/// they are). Samples are `{image float32 shape in [0, 1], label int64}`.
/// Records are read one at a time through a buffered file. A missing file,
/// or one whose size is not a multiple of the record size (checked when it
/// is opened), is a kiln::Error naming the path and the sizes.
ShardReader byte_record_reader(std::vector<int64_t> shape);

/// How a StreamingDataset orders its samples. An aggregate, for designated
/// initializers.
struct StreamingDatasetOptions {
  /// Whether each epoch reads the shards in a new random order and shuffles
  /// within each shard through a buffer.
  bool shuffle = false;
  /// Samples held by the within-shard shuffle buffer: a sample is drawn at
  /// random from the buffer and replaced by the next one read (WebDataset's
  /// and tf.data's shuffle buffer). Larger shuffles better, smaller holds
  /// less; 1 keeps the shard's order. Unused without shuffle.
  size_t buffer_size = 1000;
  /// The shuffles of epoch `e` derive from (seed, e) only.
  uint64_t seed = 0;
  /// Applied to each sample's input when it leaves the stream.
  transforms::TensorTransform transform = nullptr;
  /// Applied to each sample's target.
  transforms::TensorTransform target_transform = nullptr;
};

/// Samples streamed from shard files (WebDataset, torchdata's sharded
/// pipelines): a shard is opened only when its turn comes and read through
/// its reader, so memory holds at most the shuffle buffer per open shard
/// and the loader's prefetched samples, never the data set.
///
///     StreamingDataset train({"shard-0.bin", "shard-1.bin"},
///                            byte_record_reader({3, 32, 32}),
///                            {.shuffle = true, .buffer_size = 512});
///     DataLoader loader(train, {.batch_size = 64, .num_workers = 2});
class StreamingDataset : public IterableDataset {
public:
  /// Reads `shards` with `reader`. No shards, or an empty reader, is a
  /// kiln::Error; a shard that cannot be read fails when it is opened,
  /// naming it.
  StreamingDataset(std::vector<std::string> shards, ShardReader reader,
                   StreamingDatasetOptions options = {});

  /// The number of shards.
  size_t num_parts() const override { return shards_.size(); }
  /// The shards in order, or, with shuffle, permuted by (seed, epoch).
  std::vector<size_t> parts(uint64_t epoch) const override;
  /// Shard `part`'s samples, shuffled through the buffer with a generator
  /// of (seed, epoch, part), then transformed.
  std::unique_ptr<ExampleStream> open(size_t part,
                                      uint64_t epoch) const override;

  /// The shard paths.
  const std::vector<std::string> &shards() const { return shards_; }
  /// The options, as given.
  const StreamingDatasetOptions &options() const { return options_; }

private:
  std::vector<std::string> shards_;
  ShardReader reader_;
  StreamingDatasetOptions options_;
};

/// Orders the dataset indices of each epoch (PyTorch's `Sampler`). Unlike
/// PyTorch's iterable samplers, an epoch's indices are a function of the
/// epoch number, which makes a shuffled run reproducible from its seed alone.
class Sampler {
public:
  /// Samplers are used through base pointers.
  virtual ~Sampler() = default;
  /// The indices of epoch `epoch` (counting from 0), in loading order.
  virtual std::vector<size_t> indices(uint64_t epoch) const = 0;
  /// How many indices each epoch has.
  virtual size_t size() const = 0;
};

/// 0, 1, ..., size - 1 in every epoch (PyTorch's `SequentialSampler`).
class SequentialSampler : public Sampler {
public:
  /// Samples `size` indices.
  explicit SequentialSampler(size_t size) : size_(size) {}
  /// 0, 1, ..., size() - 1, whatever the epoch.
  std::vector<size_t> indices(uint64_t epoch) const override;
  /// The number of indices.
  size_t size() const override { return size_; }

private:
  size_t size_;
};

/// Random indices in 0..size - 1 (PyTorch's `RandomSampler`): by default a
/// random permutation per epoch. The draws of epoch `e` depend only on
/// (seed, e), the same on every platform.
class RandomSampler : public Sampler {
public:
  /// Draws `num_samples` indices (default `size`) below `size` from `seed`.
  /// Without replacement they are a permutation, or, as in PyTorch, when
  /// num_samples exceeds size, whole permutations followed by part of one.
  /// With replacement each is drawn uniformly and independently.
  /// num_samples 0, or drawing from size 0, is a kiln::Error.
  explicit RandomSampler(size_t size, uint64_t seed = 0,
                         bool replacement = false,
                         std::optional<size_t> num_samples = std::nullopt);
  /// The indices of epoch `epoch`.
  std::vector<size_t> indices(uint64_t epoch) const override;
  /// The number of indices per epoch (num_samples).
  size_t size() const override { return numSamples_; }
  /// The seed the draws derive from.
  uint64_t seed() const { return seed_; }
  /// Whether indices are drawn with replacement.
  bool replacement() const { return replacement_; }

private:
  size_t size_;
  uint64_t seed_;
  bool replacement_;
  size_t numSamples_;
};

/// A random permutation of the given indices per epoch (PyTorch's
/// `SubsetRandomSampler`), e.g. to load a validation split of one dataset.
class SubsetRandomSampler : public Sampler {
public:
  /// Permutes `indices`, drawing from `seed`.
  explicit SubsetRandomSampler(std::vector<size_t> indices, uint64_t seed = 0)
      : indices_(std::move(indices)), seed_(seed) {}
  /// The permutation of epoch `epoch`.
  std::vector<size_t> indices(uint64_t epoch) const override;
  /// The number of indices.
  size_t size() const override { return indices_.size(); }

private:
  std::vector<size_t> indices_;
  uint64_t seed_;
};

/// `num_samples` indices drawn with probability proportional to `weights`
/// (PyTorch's `WeightedRandomSampler`), e.g. to balance classes: index `i`
/// is drawn with probability weights[i] / sum(weights). Without replacement
/// each index is drawn at most once, from the weights of those not drawn
/// yet. The draws of epoch `e` depend only on (seed, e).
class WeightedRandomSampler : public Sampler {
public:
  /// Weights must be finite and non-negative with a positive, finite sum,
  /// and
  /// without replacement num_samples may not exceed the number of positive
  /// weights; otherwise, or for num_samples 0, a kiln::Error.
  WeightedRandomSampler(std::vector<double> weights, size_t num_samples,
                        bool replacement = true, uint64_t seed = 0);
  /// The draws of epoch `epoch`.
  std::vector<size_t> indices(uint64_t epoch) const override;
  /// num_samples.
  size_t size() const override { return numSamples_; }
  /// The weights, as given.
  const std::vector<double> &weights() const { return weights_; }

private:
  std::vector<double> weights_;
  size_t numSamples_;
  bool replacement_;
  uint64_t seed_;
};

/// The share of one process among `num_replicas` (PyTorch's
/// `DistributedSampler`): each epoch, the indices 0..size - 1 (permuted by
/// (seed, epoch) with shuffle) are padded by repeating their start, or with
/// drop_last cut, to a multiple of num_replicas, and replica `rank` takes
/// every num_replicas-th of them from position rank. The replicas thus get
/// equal, disjoint shares (disjoint but for the padding) that together
/// cover the data, and must all use the same seed.
class DistributedSampler : public Sampler {
public:
  /// Takes share `rank` of `num_replicas`: num_replicas 0 or rank >=
  /// num_replicas is a kiln::Error.
  DistributedSampler(size_t size, size_t num_replicas, size_t rank,
                     bool shuffle = true, uint64_t seed = 0,
                     bool drop_last = false);
  /// The share of epoch `epoch`, or of the epoch given to set_epoch once it
  /// has been called (as PyTorch users call it before each epoch).
  std::vector<size_t> indices(uint64_t epoch) const override;
  /// The number of indices per replica: ceil(size / num_replicas), or
  /// floor with drop_last.
  size_t size() const override { return numSamples_; }
  /// Fixes the epoch the shuffle uses, instead of the DataLoader's count.
  void set_epoch(uint64_t epoch) { epoch_ = epoch; }

private:
  size_t size_;
  size_t numReplicas_;
  size_t rank_;
  bool shuffle_;
  uint64_t seed_;
  bool dropLast_;
  size_t numSamples_;
  std::optional<uint64_t> epoch_;
};

/// Turns a batch's samples into one Example.
using CollateFn = std::function<Example(std::vector<Example>)>;

/// Stacks the samples' data, and their targets, along a new first dimension
/// (PyTorch's `default_collate` for tensors) into new realized tensors. The
/// samples must agree in shape and dtype, and either all have targets or
/// none; anything else is a kiln::Error naming the first sample that differs.
Example default_collate(std::vector<Example> samples);

/// How a DataLoader batches (PyTorch's DataLoader arguments). An aggregate,
/// for designated initializers: `DataLoaderOptions{.batch_size = 64,
/// .shuffle = true}`.
struct DataLoaderOptions {
  /// Samples per batch.
  size_t batch_size = 1;
  /// Whether each epoch visits the samples in a new random order.
  bool shuffle = false;
  /// Whether to drop the last batch when it would be smaller than
  /// batch_size (otherwise it is kept, smaller).
  bool drop_last = false;
  /// Worker threads loading batches ahead; 0 loads in the iterating thread.
  size_t num_workers = 0;
  /// The seed of the shuffle and of the random transforms: epoch `e` uses a
  /// permutation derived from (seed, e), and sample `i` of it transforms
  /// with SampleSeed(seed, e, i), so equal seeds give equal batches for any
  /// num_workers. Unset, it is drawn from the global generator when the
  /// DataLoader is made (as PyTorch draws from its default generator), so
  /// kiln::manual_seed makes it reproducible.
  std::optional<uint64_t> seed = std::nullopt;
  /// Batches each worker may have loaded ahead of the iterating thread.
  size_t prefetch_factor = 2;
  /// Makes a batch of the samples; empty means default_collate. Workers
  /// call it concurrently, so it must be thread-safe.
  CollateFn collate_fn = nullptr;
  /// Orders the indices instead of shuffle's RandomSampler or the default
  /// SequentialSampler; setting both it and shuffle is a kiln::Error.
  std::shared_ptr<Sampler> sampler = nullptr;
  /// PyTorch copies batches into page-locked memory for faster copies to a
  /// GPU. Kiln's tensors all live in host memory and it copies none of them
  /// to a device, so page-locked memory would only cost: batches stay in
  /// plain memory, with or without CUDA. Accepted so that PyTorch code
  /// ports unchanged.
  bool pin_memory = false;
  /// Keeps the worker threads alive between epochs instead of starting
  /// them for each; needs num_workers > 0 (a kiln::Error otherwise). A
  /// begin() while an earlier epoch is still being iterated ends that
  /// epoch: advancing it then is a kiln::Error, as PyTorch resets it.
  bool persistent_workers = false;
};

/// Iterates a dataset in batches (PyTorch's `DataLoader`): each range-for
/// over it is one epoch, and each epoch asks the sampler afresh, so a
/// shuffled loader reshuffles.
///
///     DataLoader loader(MNIST("data/digits", true, MNIST::kDigitsMaxValue),
///                       {.batch_size = 32, .shuffle = true, .seed = 1});
///     for (int epoch = 0; epoch < 10; ++epoch)
///       for (Example &batch : loader) // data [32, 1, 8, 8], target [32]
///         train(batch.data, batch.target);
///
/// With num_workers > 0, worker threads load whole batches in parallel, at
/// most prefetch_factor * num_workers ahead of the loop, and the loop still
/// sees them in sampler order. An exception from the dataset or the collate
/// function reaches the loop as a kiln::Error naming the sample or batch.
/// Leaving a loop early stops and joins the workers (they finish the sample
/// they are loading); an epoch's iterators own what it needs, so they stay
/// valid when the DataLoader is destroyed first.
class DataLoader {
public:
  /// An input iterator over one epoch's batches. Copies share the epoch.
  class Iterator {
  public:
    /// Input iterator traits.
    using iterator_category = std::input_iterator_tag;
    /// Batches.
    using value_type = Example;
    /// Unused, for the traits.
    using difference_type = std::ptrdiff_t;
    /// Points at the current batch.
    using pointer = Example *;
    /// The current batch.
    using reference = Example &;

    /// The end of every epoch.
    Iterator() = default;
    /// The current batch.
    Example &operator*() const;
    /// Members of the current batch.
    Example *operator->() const { return &**this; }
    /// Moves to the next batch, loading it or waiting for a worker;
    /// rethrows a failure to load it as a kiln::Error.
    Iterator &operator++();
    /// Equal when both are at the end, or share an epoch.
    bool operator==(const Iterator &other) const;

  private:
    friend class DataLoader;
    explicit Iterator(std::shared_ptr<kiln::detail::LoaderEpoch> state)
        : state_(std::move(state)) {}
    // Null at the end: the last iterator to let go of an epoch joins its
    // workers.
    std::shared_ptr<kiln::detail::LoaderEpoch> state_;
  };

  /// Loads from `dataset`, which must be safe to call from several threads
  /// when num_workers > 0. Invalid options (batch_size 0, prefetch_factor 0
  /// with workers, a sampler together with shuffle) are a kiln::Error.
  DataLoader(std::shared_ptr<Dataset<Example>> dataset,
             DataLoaderOptions options = {});
  /// Loads from a copy of `dataset` (moved in when an rvalue); pass a
  /// shared_ptr to share one instead.
  template <DatasetValue D>
  DataLoader(D &&dataset, DataLoaderOptions options = {})
      : DataLoader(make_shared_dataset(std::forward<D>(dataset)),
                   std::move(options)) {}
  /// Loads from a stream dataset: batches of its samples in part order,
  /// the last partial one kept unless drop_last. With workers, worker `w`
  /// reads parts w, w + num_workers, ... of the epoch, keeping at most
  /// prefetch_factor * batch_size samples ahead, and the iterating thread
  /// takes them in order and collates. A sampler or shuffle is a kiln::Error
  /// (the dataset orders itself).
  DataLoader(std::shared_ptr<IterableDataset> dataset,
             DataLoaderOptions options = {});
  /// Loads from a copy of the stream dataset `dataset`.
  template <typename D>
    requires std::derived_from<std::remove_cvref_t<D>, IterableDataset>
  DataLoader(D &&dataset, DataLoaderOptions options = {})
      : DataLoader(std::shared_ptr<IterableDataset>(
                       std::make_shared<std::remove_cvref_t<D>>(
                           std::forward<D>(dataset))),
                   std::move(options)) {}

  /// Starts a new epoch and loads its first batch; an empty epoch is end().
  Iterator begin();
  /// The end of every epoch.
  Iterator end() const { return Iterator(); }
  /// The number of batches per epoch (PyTorch's `len(loader)`); a
  /// kiln::Error for a stream dataset, whose length is unknown.
  size_t size() const;
  /// The number of epochs begun so far; the next begin() uses it as its
  /// epoch number.
  uint64_t epoch() const { return epoch_; }
  /// The options, as given.
  const DataLoaderOptions &options() const { return options_; }
  /// The seed in use: options().seed, or the one drawn for it.
  uint64_t seed() const { return seed_; }
  /// The dataset loaded from; a kiln::Error for a stream dataset.
  Dataset<Example> &dataset() const;
  /// The sampler that orders each epoch's indices; a kiln::Error for a
  /// stream dataset.
  const Sampler &sampler() const;

private:
  void validate();

  std::shared_ptr<Dataset<Example>> dataset_;
  std::shared_ptr<IterableDataset> stream_;
  DataLoaderOptions options_;
  std::shared_ptr<Sampler> sampler_;
  uint64_t seed_ = 0;
  uint64_t epoch_ = 0;
  /// With persistent_workers: the threads, and the epoch using them, which
  /// a new begin() ends. A pool runs one epoch at a time, so a copy of the
  /// loader starts threads of its own instead of sharing these.
  struct Workers {
    /// The threads, started by the first begin().
    std::shared_ptr<kiln::detail::WorkerPool> pool;
    /// The epoch that last ran on them.
    std::weak_ptr<kiln::detail::LoaderEpoch> last;
    /// No threads yet.
    Workers() = default;
    /// A copy starts without threads.
    Workers(const Workers &) {}
    /// Assigning drops this loader's threads; the next begin() starts new.
    Workers &operator=(const Workers &other) {
      if (this != &other)
        *this = Workers();
      return *this;
    }
    /// Moving takes the threads along.
    Workers(Workers &&) = default;
    /// Moving takes the threads along.
    Workers &operator=(Workers &&) = default;
  };
  Workers workers_;
};

/// A one-line terminal progress bar for a training loop:
///
///     epoch 2  [=========>          ]  45/100  312.4 it/s  ETA 00:00:18  loss
///     0.4312
///
/// redrawn in place (a carriage return, no newline) at most every
/// `min_interval` seconds, and finished with a newline by close(). In Auto
/// mode it draws only when writing to std::cout and stdout is a terminal
/// (isatty), so logs and pipes stay clean; On draws to any stream.
class ProgressBar {
public:
  /// When to draw.
  enum class Mode {
    /// Only to a terminal std::cout.
    Auto,
    /// Always.
    On,
    /// Never.
    Off,
  };

  /// A bar over `total` steps (0: unknown, as for a stream; no bar or ETA
  /// is drawn then) of epoch `epoch`, drawing to `out`.
  explicit ProgressBar(size_t total, uint64_t epoch = 0,
                       std::ostream *out = nullptr, Mode mode = Mode::Auto,
                       double min_interval = 0.1);
  /// Closes the bar if still open.
  ~ProgressBar();
  ProgressBar(const ProgressBar &) = delete;
  ProgressBar &operator=(const ProgressBar &) = delete;

  /// Counts `steps` more done and, when given, sets the shown metric (a
  /// running mean is up to the caller); redraws if min_interval has passed
  /// since the last draw, or at the last step.
  void update(size_t steps = 1, std::optional<double> metric = std::nullopt);
  /// Names the metric shown after the ETA ("loss" by default).
  void set_metric_name(std::string name) { metricName_ = std::move(name); }
  /// Draws the final state and ends the line; later updates draw nothing.
  void close();

  /// Whether this bar draws at all.
  bool enabled() const { return enabled_; }
  /// The steps done.
  size_t step() const { return step_; }
  /// The line for the current state after `elapsed` seconds, without the
  /// carriage return: what update() draws.
  std::string render(double elapsed) const;

private:
  void draw(bool force);

  size_t total_;
  uint64_t epoch_;
  std::ostream *out_;
  bool enabled_;
  double minInterval_;
  size_t step_ = 0;
  std::optional<double> metric_;
  std::string metricName_ = "loss";
  double start_;
  double lastDraw_ = -1;
  size_t lastWidth_ = 0;
  bool closed_ = false;
};

/// LibTorch's spelling of the dataset classes (`torch::data::datasets::MNIST`):
/// `kiln::data::datasets::CIFAR10` is `kiln::data::CIFAR10`, and so on.
namespace datasets {
using data::CIFAR10;
using data::ConcatDataset;
using data::CSVDataset;
using data::ImageFolder;
using data::IterableDataset;
using data::MapDataset;
using data::MNIST;
using data::StreamingDataset;
using data::Subset;
using data::TensorDataset;
} // namespace datasets

} // namespace kiln::data

#endif // KILN_FRONTEND_DATA_H
