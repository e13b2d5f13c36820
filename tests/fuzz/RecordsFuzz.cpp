//===- RecordsFuzz.cpp - Record files: byte_record_reader shards, CIFAR-10 ===//
#include "FuzzUtil.h"

#include <kiln/frontend/Data.h>
#include <kiln/kiln.h>

using kiln::fuzz::Gen;

namespace {

/// The input is a record shape (a rank byte, then 4-byte sizes) and then
/// the shard's bytes: sizes that match the data or claim far more.
std::string generate(Gen &g) {
  size_t rank = 1 + g.below(3);
  std::string out(1, static_cast<char>(rank));
  uint64_t record = 1;
  for (size_t i = 0; i < rank; ++i) {
    auto d = static_cast<uint32_t>(g.chance(70) ? 1 + g.below(8) : g.size());
    record *= d;
    out += kiln::fuzz::be32(d);
  }
  uint64_t records = g.below(5);
  out += std::string(g.chance(70) && record < 4096
                         ? (record + 1) * records + g.below(2)
                         : g.below(64),
                     '\x03');
  return out;
}

} // namespace

KILN_FUZZ_STRUCTURED(generate)

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1)
    return 0;
  size_t rank = data[0] % 4, at = 1;
  std::vector<int64_t> shape;
  for (size_t i = 0; i < rank && at + 4 <= size; ++i, at += 4)
    shape.push_back(int64_t(data[at]) << 24 | int64_t(data[at + 1]) << 16 |
                    int64_t(data[at + 2]) << 8 | data[at + 3]);
  std::string shard = kiln::fuzz::writeInput(data + at, size - at, "shard.bin");
  try {
    kiln::data::StreamingDataset stream({shard},
                                        kiln::data::byte_record_reader(shape));
    kiln::data::DataLoader loader(stream, {.batch_size = 2});
    for (kiln::data::Example<> &batch : loader)
      batch.data.data_ptr();
  } catch (const kiln::Error &) {
  }
  // The whole input as a CIFAR-10 test batch.
  std::filesystem::create_directories(kiln::fuzz::scratch() / "cifar");
  kiln::fuzz::writeInput(data, size, "cifar/test_batch.bin");
  try {
    kiln::data::CIFAR10((kiln::fuzz::scratch() / "cifar").string(), false);
  } catch (const kiln::Error &) {
  }
  return 0;
}
