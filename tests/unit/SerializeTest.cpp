//===- SerializeTest.cpp - safetensors state dicts, strict loading, fuzzing
//===//
#include "TestUtil.h"

#include <kiln/kiln.h>

#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <unistd.h>

using namespace kiln;

namespace {

class Serialize : public ::testing::Test {
protected:
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() /
          ("kiln-serialize-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
  }
  void TearDown() override { std::filesystem::remove_all(dir); }
  std::string file(const std::string &name) { return (dir / name).string(); }

  static std::string bytes(const Tensor &t) {
    return std::string(static_cast<const char *>(t.data_ptr()),
                       t.numel() * element_size(t.dtype()));
  }

  std::filesystem::path dir;
};

using kiln::testing::expectError;

TEST_F(Serialize, RoundTripIsBitExact) {
  manual_seed(0);
  StateDict state = {
      {"a.weight", randn({3, 4})},       {"b", randn({2}, kFloat64)},
      {"c", randn({5}).to(kBFloat16)},   {"d", randn({2, 2}).to(kFloat16)},
      {"steps", tensor({7, 8}, kInt64)}, {"mask", tensor({true, false, true})},
      {"scalar", tensor(1.5)},           {"empty", zeros({0, 3})}};
  save(state, file("s.safetensors"));
  StateDict loaded = load(file("s.safetensors"));
  ASSERT_EQ(loaded.size(), state.size());
  for (size_t i = 0; i < state.size(); ++i) {
    EXPECT_EQ(loaded[i].first, state[i].first);
    EXPECT_EQ(loaded[i].second.dtype(), state[i].second.dtype());
    EXPECT_EQ(loaded[i].second.sizes(), state[i].second.sizes());
    EXPECT_EQ(bytes(loaded[i].second), bytes(state[i].second));
  }
  EXPECT_FALSE(std::filesystem::exists(file("s.safetensors.tmp")));
}

TEST_F(Serialize, ReadsAFileFromAnIndependentWriter) {
  // Written by hand from the published format, as PyTorch's writer lays it
  // out: header length, JSON with a __metadata__ entry, then the data.
  std::string header =
      R"({"__metadata__":{"format":"pt"},"w":{"dtype":"F32","shape":[2],)"
      R"("data_offsets":[0,8]},"n":{"dtype":"I64","shape":[],"data_offsets":[8,16]}})";
  float w[2] = {1.5f, -2.0f};
  int64_t n = 42;
  std::ofstream out(file("torch.safetensors"), std::ios::binary);
  uint64_t length = header.size();
  out.write(reinterpret_cast<const char *>(&length), 8);
  out << header;
  out.write(reinterpret_cast<const char *>(w), sizeof w);
  out.write(reinterpret_cast<const char *>(&n), sizeof n);
  out.close();
  StateDict loaded = load(file("torch.safetensors"));
  ASSERT_EQ(loaded.size(), 2u);
  EXPECT_EQ(loaded[0].first, "w");
  EXPECT_EQ(loaded[0].second.to_vector<float>(), (std::vector<float>{1.5, -2}));
  EXPECT_EQ(loaded[1].second.item<int64_t>(), 42);
}

TEST_F(Serialize, ModulesSaveAndLoadStrictly) {
  manual_seed(1);
  nn::Sequential a(nn::Linear(3, 4), nn::BatchNorm1d(4), nn::Linear(4, 2));
  nn::Sequential b(nn::Linear(3, 4), nn::BatchNorm1d(4), nn::Linear(4, 2));
  a.forward(randn({8, 3})); // updates a's running statistics
  save(a.state_dict(), file("a.safetensors"));
  b.load_state_dict(load(file("a.safetensors")));
  a.eval();
  b.eval();
  auto x = randn({5, 3});
  EXPECT_EQ(a.forward(x).to_vector<float>(), b.forward(x).to_vector<float>());
  for (const Tensor &p : b.parameters())
    EXPECT_TRUE(p.requires_grad() && p.is_leaf());

  StateDict partial = a.state_dict();
  partial.erase(partial.begin());
  partial.emplace_back("extra", zeros({1}));
  expectError([&] { b.load_state_dict(partial); },
              {"missing keys: 0.weight", "unexpected keys: extra"});
  b.load_state_dict(partial, /*strict=*/false);
  StateDict wrongShape = a.state_dict();
  wrongShape[0].second = zeros({4, 4});
  expectError([&] { b.load_state_dict(wrongShape, false); },
              {"shape mismatches: 0.weight: checkpoint [4, 4], model [4, 3]"});
  expectError([&] { save({{"x", zeros({1})}, {"x", zeros({1})}}, file("d")); },
              {"appears twice"});
}

TEST_F(Serialize, CorruptFilesAreErrorsNeverCrashes) {
  expectError([&] { load(file("missing.safetensors")); },
              {"missing.safetensors", "cannot open"});
  std::ofstream(file("short")) << "abc";
  expectError([&] { load(file("short")); }, {"too short"});
  save({{"w", tensor({1.0f, 2.0f, 3.0f})}}, file("ok"));
  std::ifstream in(file("ok"), std::ios::binary);
  std::string valid((std::istreambuf_iterator<char>(in)), {});

  auto write = [&](const std::string &content) {
    std::ofstream(file("bad"), std::ios::binary) << content;
    return file("bad");
  };
  std::string huge = valid;
  huge[7] = 0x7f; // header length beyond the file
  expectError([&] { load(write(huge)); }, {"exceeds the file size"});
  expectError([&] { load(write(valid.substr(0, valid.size() - 4))); },
              {"data_offsets", "do not match"});
  std::string badDtype = valid;
  badDtype.replace(badDtype.find("F32"), 3, "F99");
  expectError([&] { load(write(badDtype)); }, {"unsupported dtype 'F99'"});
  std::string badJson = valid;
  badJson[8] = '#'; // the header's opening brace
  expectError([&] { load(write(badJson)); }, {"malformed safetensors header"});

  // Random corruptions: each must load or throw kiln::Error.
  std::mt19937 rng(7);
  for (int i = 0; i < 300; ++i) {
    std::string mutated = valid;
    int kind = i % 3;
    if (kind == 0) {
      mutated[rng() % mutated.size()] = static_cast<char>(rng());
    } else if (kind == 1) {
      mutated.resize(rng() % mutated.size());
    } else {
      for (char &c : mutated)
        if (rng() % 8 == 0)
          c = static_cast<char>(rng());
    }
    try {
      load(write(mutated));
    } catch (const kiln::Error &) {
    }
  }
}

} // namespace
