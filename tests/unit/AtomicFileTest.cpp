//===- AtomicFileTest.cpp - Files replaced whole or not at all ------------===//
#include "kiln/runtime/AtomicFile.h"
#include "kiln/runtime/Error.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;
using kiln::runtime::writeFileAtomically;

namespace {

class AtomicFile : public ::testing::Test {
protected:
  void SetUp() override {
    dir = fs::temp_directory_path() /
          ("kiln-atomic-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  void TearDown() override { fs::remove_all(dir); }
  std::string read(const fs::path &file) {
    std::ifstream in(file, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  size_t entries() {
    return static_cast<size_t>(std::distance(fs::directory_iterator(dir), {}));
  }
  fs::path dir;
};

TEST_F(AtomicFile, WritesReplacesAndLeavesNoTemporary) {
  std::string file = (dir / "f").string();
  writeFileAtomically(file, "test", [](std::ostream &out) { out << "one"; });
  EXPECT_EQ(read(file), "one");
  // Large blocks bypass the stream's buffer; small ones go through it.
  std::string big(1 << 20, 'x');
  writeFileAtomically(file, "test", [&](std::ostream &out) {
    out << "head";
    out.write(big.data(), static_cast<std::streamsize>(big.size()));
    out << "tail";
  });
  EXPECT_EQ(read(file), "head" + big + "tail");
  std::string error;
  EXPECT_TRUE(writeFileAtomically(file, "bytes", error)) << error;
  EXPECT_EQ(read(file), "bytes");
  EXPECT_EQ(entries(), 1u);
}

TEST_F(AtomicFile, AFailedWriteKeepsTheOldFile) {
  std::string file = (dir / "f").string();
  writeFileAtomically(file, "test", [](std::ostream &out) { out << "old"; });
  EXPECT_THROW(writeFileAtomically(file, "test",
                                   [](std::ostream &out) {
                                     out << "partial";
                                     throw std::runtime_error("stop");
                                   }),
               std::runtime_error);
  EXPECT_EQ(read(file), "old");
  EXPECT_EQ(entries(), 1u);
  // A destination that cannot be replaced: the error names it.
  fs::create_directories(dir / "folder" / "inside");
  try {
    writeFileAtomically((dir / "folder").string(), "save",
                        [](std::ostream &out) { out << "x"; });
    ADD_FAILURE() << "expected a kiln::Error";
  } catch (const kiln::Error &e) {
    EXPECT_NE(std::string(e.what()).find("save: cannot rename"),
              std::string::npos)
        << e.what();
  }
  std::string error;
  EXPECT_FALSE(writeFileAtomically((dir / "no" / "such").string(), "x", error));
  EXPECT_NE(error.find("no/such"), std::string::npos) << error;
  EXPECT_EQ(entries(), 2u);
}

TEST_F(AtomicFile, NewFilesGetTheUmaskPermissions) {
  // As a file made with open(2) and mode 0666 would: a checkpoint is not
  // made private the way mkstemp's files are.
  mode_t mask = ::umask(022);
  std::string file = (dir / "f").string();
  writeFileAtomically(file, "test", [](std::ostream &out) { out << "x"; });
  ::umask(mask);
  struct stat info;
  ASSERT_EQ(::stat(file.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0644u);
}

} // namespace
