//===- SerializeTest.cpp - safetensors, strict loading --------------------===//
#include "TestUtil.h"

#include <kiln/kiln.h>

#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <thread>
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
  a->forward(randn({8, 3})); // updates a's running statistics
  save(a->state_dict(), file("a.safetensors"));
  b->load_state_dict(load(file("a.safetensors")));
  a->eval();
  b->eval();
  auto x = randn({5, 3});
  EXPECT_EQ(a->forward(x).to_vector<float>(), b->forward(x).to_vector<float>());
  for (const Tensor &p : b->parameters())
    EXPECT_TRUE(p.requires_grad() && p.is_leaf());

  StateDict partial = a->state_dict();
  partial.erase(partial.begin());
  partial.emplace_back("extra", zeros({1}));
  expectError([&] { b->load_state_dict(partial); },
              {"missing keys: 0.weight", "unexpected keys: extra"});
  b->load_state_dict(partial, /*strict=*/false);
  StateDict wrongShape = a->state_dict();
  wrongShape[0].second = zeros({4, 4});
  expectError([&] { b->load_state_dict(wrongShape, false); },
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

/// A safetensors file from an independent writer: `header` as given, then
/// `data`.
std::string safetensors(const std::string &header, const std::string &data) {
  std::string out(8, '\0');
  uint64_t length = header.size();
  std::memcpy(out.data(), &length, 8);
  return out + header + data;
}

TEST_F(Serialize, ConcurrentWritersNeverTearACheckpoint) {
  // Two writers save different state dicts of one layout to one path while
  // a reader loads it: every load sees one whole dict, never a mix.
  auto dict = [](float value) {
    return StateDict{{"w", full({1 << 18}, value)}, {"b", full({16}, value)}};
  };
  const StateDict dicts[2] = {dict(1.0f), dict(2.0f)};
  for (const StateDict &d : dicts)
    for (const auto &[name, t] : d)
      t.data_ptr(); // realized before the threads share them
  std::string path = file("shared.safetensors");
  save(dicts[0], path);
  std::atomic<bool> done{false};
  std::atomic<int> failures{0}, loads{0};
  auto check = [&](const StateDict &loaded) {
    if (loaded.size() != 2) {
      ++failures;
      return;
    }
    float first = loaded[0].second.data_ptr<float>()[0];
    for (const auto &[name, t] : loaded) {
      const float *p = t.data_ptr<float>();
      for (int64_t i = 0; i < t.numel(); ++i)
        if (p[i] != first) {
          ++failures;
          return;
        }
    }
  };
  std::vector<std::thread> writers;
  for (int w = 0; w < 2; ++w)
    writers.emplace_back([&, w] {
      for (int i = 0; i < 25; ++i) {
        try {
          save(dicts[w], path);
        } catch (const std::exception &e) {
          ++failures;
          ADD_FAILURE() << e.what();
        }
      }
    });
  std::thread reader([&] {
    while (!done) {
      try {
        check(load(path));
        ++loads;
      } catch (const std::exception &e) {
        ++failures;
        ADD_FAILURE() << e.what();
      }
    }
  });
  for (std::thread &t : writers)
    t.join();
  done = true;
  reader.join();
  check(load(path));
  EXPECT_EQ(failures, 0);
  EXPECT_GT(loads, 0);
  for (const auto &entry : std::filesystem::directory_iterator(dir))
    EXPECT_EQ(entry.path().filename().string().find(".tmp"), std::string::npos)
        << entry.path();
}

TEST_F(Serialize, SavingIntoAMissingFolderLeavesNothingBehind) {
  expectError([&] { save({{"w", zeros({2})}}, file("no/such/dir/w")); },
              {"save", "no/such/dir/w"});
  save({{"w", zeros({2})}}, file("w"));
  expectError([&] { save({{"w", zeros({2})}}, dir.string()); },
              {"save", dir.string()});
  for (const auto &entry : std::filesystem::directory_iterator(dir))
    EXPECT_EQ(entry.path().filename(), "w");
}

TEST_F(Serialize, DataSectionMustBeExactlyTheTensorsData) {
  std::string eight(8, '\x01');
  auto write = [&](const std::string &content) {
    std::ofstream(file("f"), std::ios::binary) << content;
    return file("f");
  };
  std::string two = R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},)"
                    R"("b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})";
  EXPECT_EQ(load(write(safetensors(two, eight))).size(), 2u);
  // Bytes after the last tensor: a file extended by another writer.
  expectError([&] { load(write(safetensors(two, eight + "torn"))); },
              {"data section has 12 bytes", "ends at byte 8", "torn"});
  std::string gap = R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},)"
                    R"("b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}})";
  expectError([&] { load(write(safetensors(gap, eight + "four"))); },
              {"bytes [4, 8) belong to no tensor"});
  std::string overlap =
      R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
      R"("b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}})";
  expectError([&] { load(write(safetensors(overlap, eight))); },
              {"'b' overlaps"});
  // A shape whose element count wraps, hidden behind a zero size.
  std::string wraps = R"({"a":{"dtype":"F32","shape":[0,4294967296,)"
                      R"(4294967296],"data_offsets":[0,0]}})";
  expectError([&] { load(write(safetensors(wraps, ""))); },
              {"too large to address"});
}

TEST_F(Serialize, HeaderStringsAreDecodedAsJson) {
  // What Python's json.dumps writes for these names; the escapes were once
  // decoded as the letters r, b and f.
  std::string header = R"({"a\rb\bc\fd\/e\u00e9\"":)"
                       R"({"dtype":"F32","shape":[],"data_offsets":[0,4]}})";
  float one = 1;
  std::ofstream(file("escapes"), std::ios::binary)
      << safetensors(header, std::string(reinterpret_cast<char *>(&one), 4));
  StateDict loaded = load(file("escapes"));
  ASSERT_EQ(loaded.size(), 1u);
  EXPECT_EQ(loaded[0].first, "a\rb\bc\fd/e\xc3\xa9\"");
  // And every name Kiln writes reads back as it was.
  std::string names[] = {"tab\there",          "nl\n",
                         "quote\"back\\slash", std::string("nul\0x", 5),
                         "\x01\x1f\x7f",       "caf\xc3\xa9"};
  StateDict state;
  for (const std::string &name : names)
    state.emplace_back(name, zeros({1}));
  save(state, file("names"));
  StateDict back = load(file("names"));
  std::set<std::string> expected(std::begin(names), std::end(names)), got;
  for (const auto &[name, t] : back)
    got.insert(name);
  EXPECT_EQ(got, expected);
  expectError([&] { save({{"bad\xff", zeros({1})}}, file("bad")); },
              {"not valid UTF-8"});
}

TEST_F(Serialize, DeeplyNestedJsonIsAnErrorNotACrash) {
  // A stack overflow in a recursive parser, before the nesting was bounded.
  std::string deep = std::string(200000, '[') + std::string(200000, ']');
  std::string header = R"({"__metadata__":)" + deep + "}";
  std::ofstream(file("deep"), std::ios::binary) << safetensors(header, "");
  expectError([&] { load(file("deep")); }, {"nested more than 64 levels"});
  // meta.json of a model folder is read with the same bounded parser.
  std::filesystem::create_directories(dir / "model.kiln");
  std::ofstream(dir / "model.kiln" / "meta.json") << deep;
  expectError([&] { load_model((dir / "model.kiln").string()); },
              {"meta.json", "nested more than 64 levels"});
  // Brackets inside strings do not count.
  std::string brackets =
      R"({"__metadata__":{"x":")" + std::string(1000, '[') + R"("}})";
  std::ofstream(file("brackets"), std::ios::binary)
      << safetensors(brackets, "");
  EXPECT_EQ(load(file("brackets")).size(), 0u);
}

//===----------------------------------------------------------------------===//
// .npy files
//===----------------------------------------------------------------------===//

/// A version 1.0 .npy file with header text `dict` (padded as numpy pads it)
/// and then `data`.
std::string npy(std::string dict, const std::string &data) {
  dict.append((64 - (10 + dict.size() + 1) % 64) % 64, ' ');
  dict += '\n';
  std::string out = "\x93NUMPY\x01";
  out += '\0';
  out += static_cast<char>(dict.size() & 0xff);
  out += static_cast<char>(dict.size() >> 8);
  return out + dict + data;
}

TEST_F(Serialize, NpyHeadersAreStrictPythonDicts) {
  auto write = [&](const std::string &content) {
    std::ofstream(file("x.npy"), std::ios::binary) << content;
    return file("x.npy");
  };
  std::string eight(8, '\0');
  // What numpy writes, with its variations: spaces, trailing commas, any
  // key order, double quotes.
  Tensor ok = load_npy(write(
      npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", eight)));
  EXPECT_EQ(ok.sizes(), (Shape{2}));
  ok = load_npy(write(
      npy(R"({"shape":(1, 2),"fortran_order":False,"descr":"<f4"})", eight)));
  EXPECT_EQ(ok.sizes(), (Shape{1, 2}));
  EXPECT_EQ(load_npy(write(npy("{'descr': '<f8', 'fortran_order': False, "
                               "'shape': ()}",
                               eight)))
                .dim(),
            0);
  // Not a dict: once accepted because the keys were searched for.
  expectError(
      [&] {
        load_npy(write(npy(
            "'descr': '<f4', 'fortran_order': False, 'shape': (2,)", eight)));
      },
      {"malformed header", "expected '{'"});
  expectError(
      [&] {
        load_npy(write(npy("{'descr': '<f4', 'fortran_order': False, "
                           "'shape': (2,)} junk",
                           eight)));
      },
      {"unexpected text after"});
  // numpy keeps the last of two 'shape' keys; Kiln once took the first.
  // Neither is safe: the header is refused.
  expectError(
      [&] {
        load_npy(write(npy("{'descr': '<f4', 'fortran_order': False, "
                           "'shape': (2,), 'shape': (1,)}",
                           eight)));
      },
      {"'shape' appears twice"});
  expectError(
      [&] {
        load_npy(write(npy("{'descr': '<f4', 'fortran_order': False, "
                           "'shape': (2,), 'extra': 1}",
                           eight)));
      },
      {"unexpected key 'extra'"});
  expectError(
      [&] {
        load_npy(write(npy("{'descr': '<f4', 'fortran_order': False, "
                           "'shape': (2)}",
                           eight)));
      },
      {"must be a tuple"});
  expectError(
      [&] {
        load_npy(write(
            npy("{'descr': '<f4', 'fortran_order': 0, 'shape': (2,)}", eight)));
      },
      {"True or False"});
}

TEST_F(Serialize, NpyLongHeaderIsAnErrorNotAStackOverflow) {
  // A recursive std::regex once overflowed the stack on a 45 KB header.
  std::string longDescr = "{'descr': '" + std::string(60000, 'x') +
                          "', 'fortran_order': False, 'shape': (1,)}";
  std::string path = file("long.npy");
  std::string content = npy(longDescr, "");
  content[6] = 2; // version 2.0: a 4-byte header length
  std::string v2 = content.substr(0, 8);
  uint32_t length = static_cast<uint32_t>(content.size() - 10);
  v2.append(reinterpret_cast<const char *>(&length), 4);
  v2 += content.substr(10);
  std::ofstream(path, std::ios::binary) << v2;
  expectError([&] { load_npy(path); }, {"unsupported dtype"});
  std::string longShape = "{'descr': '<f4', 'fortran_order': False, 'shape': (";
  for (int i = 0; i < 20000; ++i)
    longShape += "1, ";
  longShape += ")}";
  content = npy(longShape, "");
  length = static_cast<uint32_t>(content.size() - 10);
  v2 = content.substr(0, 6) + std::string("\x02\x00", 2);
  v2.append(reinterpret_cast<const char *>(&length), 4);
  v2 += content.substr(10);
  std::ofstream(path, std::ios::binary) << v2;
  expectError([&] { load_npy(path); }, {"truncated data", "needs 4 bytes"});
}

TEST_F(Serialize, NpyClaimedSizesAreCheckedAgainstTheFile) {
  auto write = [&](const std::string &content) {
    std::ofstream(file("x.npy"), std::ios::binary) << content;
    return file("x.npy");
  };
  // A small file claiming 8 TiB: refused before anything is allocated.
  expectError(
      [&] {
        load_npy(write(npy("{'descr': '<f8', 'fortran_order': False, "
                           "'shape': (1048576, 1048576)}",
                           "")));
      },
      {"truncated data", "needs 8796093022208 bytes", "the file has 0"});
  expectError(
      [&] {
        load_npy(write(npy("{'descr': '<f8', 'fortran_order': False, "
                           "'shape': (4294967296, 4294967296, 0)}",
                           "")));
      },
      {"is too large"});
  // Bytes beyond the data: a torn or appended file.
  expectError(
      [&] {
        load_npy(write(npy("{'descr': '<f4', 'fortran_order': False, "
                           "'shape': (1,)}",
                           std::string(8, '\0'))));
      },
      {"trailing data", "needs 4 bytes", "the file has 8"});
  // A header length beyond the file.
  std::string shortFile = npy("{'descr': '<f4', 'fortran_order': False, "
                              "'shape': (1,)}",
                              "");
  shortFile[9] = '\x7f';
  expectError([&] { load_npy(write(shortFile)); }, {"truncated header"});
}

TEST_F(Serialize, ConcurrentNpyWritersNeverTearAFile) {
  std::string path = file("shared.npy");
  const Tensor values[2] = {full({1 << 17}, 1.0f), full({1 << 17}, 2.0f)};
  for (const Tensor &t : values)
    t.data_ptr();
  std::atomic<int> failures{0};
  std::vector<std::thread> writers;
  for (int w = 0; w < 2; ++w)
    writers.emplace_back([&, w] {
      for (int i = 0; i < 25; ++i) {
        try {
          save_npy(values[w], path);
          Tensor loaded = load_npy(path);
          const float *p = loaded.data_ptr<float>();
          for (int64_t k = 0; k < loaded.numel(); ++k)
            if (p[k] != p[0]) {
              ++failures;
              break;
            }
        } catch (const std::exception &e) {
          ++failures;
          ADD_FAILURE() << e.what();
        }
      }
    });
  for (std::thread &t : writers)
    t.join();
  EXPECT_EQ(failures, 0);
  for (const auto &entry : std::filesystem::directory_iterator(dir))
    EXPECT_EQ(entry.path().filename().string().find(".tmp"), std::string::npos)
        << entry.path();
}

} // namespace
