//===- Records.cpp - Record files and CIFAR-10 ----------------------------===//
//
// Files of fixed-size records: their checked sizes and reads, and CIFAR10.
//
//===----------------------------------------------------------------------===//
#include "kiln/frontend/data/Records.h"
#include "kiln/frontend/data/DataInternal.h"
#include "kiln/runtime/Error.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

namespace kiln::data {

uint64_t recordFileSize(std::string_view who, const std::string &path,
                        size_t recordBytes, const std::string &recordName) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec))
    throw Error(std::string(who) + ": " + path + " does not exist");
  if (std::filesystem::is_directory(path, ec))
    throw Error(std::string(who) + ": " + path + " is a directory, not a file");
  uint64_t size = std::filesystem::file_size(path, ec);
  if (ec)
    throw Error(std::string(who) + ": " + path +
                ": cannot read its size: " + ec.message());
  if (size == 0)
    throw Error(std::string(who) + ": " + path + " is empty");
  if (size % recordBytes != 0)
    throw Error(std::string(who) + ": " + path + ": its size, " +
                std::to_string(size) + " bytes, is not a multiple of the " +
                std::to_string(recordBytes) + "-byte " + recordName +
                " (truncated or not this format: " +
                std::to_string(size / recordBytes) + " whole records and " +
                std::to_string(size % recordBytes) + " bytes more)");
  return size;
}

FilePtr openFile(std::string_view who, const std::string &path) {
  FilePtr file(std::fopen(path.c_str(), "rb"));
  if (!file)
    throw Error(std::string(who) + ": cannot open " + path + ": " +
                std::strerror(errno));
  return file;
}

void readExactly(std::FILE *file, void *dst, size_t n, std::string_view who,
                 const std::string &path, uint64_t offset) {
  if (std::fread(dst, 1, n, file) != n)
    throw Error(std::string(who) + ": " + path + ": " +
                (std::ferror(file)
                     ? std::string("read error: ") + std::strerror(errno)
                     : std::string("truncated")) +
                " at byte " + std::to_string(offset) + " (needed " +
                std::to_string(n) + " more bytes)");
}

//===----------------------------------------------------------------------===//
// CIFAR-10
//===----------------------------------------------------------------------===//

const std::vector<std::string> &CIFAR10::classes() {
  static const std::vector<std::string> names = {
      "airplane", "automobile", "bird",  "cat",  "deer",
      "dog",      "frog",       "horse", "ship", "truck"};
  return names;
}

CIFAR10::CIFAR10(const std::string &root, bool train,
                 transforms::TensorFunction transform,
                 transforms::TensorFunction target_transform)
    : train_(train), transform_(std::move(transform)),
      targetTransform_(std::move(target_transform)) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(root, ec))
    throw Error("CIFAR10: the root directory " + root + " does not exist");
  fs::path dir = root;
  if (fs::is_directory(dir / "cifar-10-batches-bin", ec))
    dir /= "cifar-10-batches-bin";
  std::vector<std::string> files;
  if (train)
    for (int i = 1; i <= 5; ++i)
      files.push_back((dir / ("data_batch_" + std::to_string(i) + ".bin")));
  else
    files.push_back((dir / "test_batch.bin"));

  // Sizes first, so that a bad file fails before anything is read.
  std::vector<uint64_t> sizes;
  uint64_t total = 0;
  for (const std::string &file : files) {
    sizes.push_back(recordFileSize("CIFAR10", file, kRecordBytes,
                                   "CIFAR-10 record (a "
                                   "label byte and 3072 "
                                   "pixel bytes)"));
    total += sizes.back() / kRecordBytes;
  }
  auto n = static_cast<int64_t>(total);
  images_ = uninitialized({n, 3, 32, 32}, kFloat32);
  targets_ = uninitialized({n}, kInt64);
  float *pixels = images_.data_ptr<float>();
  int64_t *labels = targets_.data_ptr<int64_t>();
  std::vector<unsigned char> record(kRecordBytes);
  size_t at = 0;
  for (size_t f = 0; f < files.size(); ++f) {
    FilePtr file = openFile("CIFAR10", files[f]);
    uint64_t records = sizes[f] / kRecordBytes;
    for (uint64_t r = 0; r < records; ++r, ++at) {
      readExactly(file.get(), record.data(), kRecordBytes, "CIFAR10", files[f],
                  r * kRecordBytes);
      if (record[0] > 9)
        throw Error("CIFAR10: " + files[f] + ": record " + std::to_string(r) +
                    " (byte " + std::to_string(r * kRecordBytes) +
                    ") has label " + std::to_string(record[0]) +
                    "; CIFAR-10 labels are 0..9");
      labels[at] = record[0];
      // Divide in float32, as torchvision's ToTensor does.
      for (size_t i = 0; i < kRecordBytes - 1; ++i)
        pixels[at * (kRecordBytes - 1) + i] =
            static_cast<float>(record[1 + i]) / 255.0f;
    }
  }
}

Example<> CIFAR10::get(size_t index) {
  if (index >= size())
    outOfRange("CIFAR10", index, size());
  return applyTransforms({copyRow(images_, index), copyRow(targets_, index)},
                         "CIFAR10", index, "", transform_, targetTransform_);
}

} // namespace kiln::data
