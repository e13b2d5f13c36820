//===- EnvironmentTest.cpp - The KILN_* variables, read one way -----------===//
#include "kiln/runtime/Environment.h"
#include "kiln/runtime/Error.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>

using namespace kiln::runtime;

namespace {

/// Sets `name` to `value` for the scope (unset for nullptr).
class ScopedEnv {
public:
  ScopedEnv(const char *name, const char *value) : name_(name) {
    if (const char *old = std::getenv(name))
      old_ = old;
    set(value);
  }
  ~ScopedEnv() { set(old_ ? old_->c_str() : nullptr); }

private:
  void set(const char *value) {
    if (value)
      ::setenv(name_, value, 1);
    else
      ::unsetenv(name_);
  }
  const char *name_;
  std::optional<std::string> old_;
};

TEST(Environment, SwitchesTakeOneSpellingOfOnAndOff) {
  for (const char *on : {"1", "on", "On", "TRUE", "yes"}) {
    ScopedEnv env("KILN_DISK_CACHE", on);
    EXPECT_TRUE(envSwitch("KILN_DISK_CACHE", false)) << on;
  }
  for (const char *off : {"0", "off", "False", "NO"}) {
    ScopedEnv env("KILN_DISK_CACHE", off);
    EXPECT_FALSE(envSwitch("KILN_DISK_CACHE", true)) << off;
  }
  // Unset, empty or unreadable: the default (the last with a warning).
  for (const char *unset : {static_cast<const char *>(nullptr), "", "10"}) {
    ScopedEnv env("KILN_DISK_CACHE", unset);
    EXPECT_TRUE(envSwitch("KILN_DISK_CACHE", true));
    EXPECT_FALSE(envSwitch("KILN_DISK_CACHE", false));
  }
}

TEST(Environment, ListsAndPaths) {
  {
    ScopedEnv env("KILN_LOG", "ir, Compile");
    EXPECT_TRUE(envListHas("KILN_LOG", "ir"));
    EXPECT_TRUE(envListHas("KILN_LOG", "compile"));
    EXPECT_FALSE(envListHas("KILN_LOG", "i"));
  }
  {
    ScopedEnv env("KILN_LOG", nullptr);
    EXPECT_FALSE(envListHas("KILN_LOG", "compile"));
  }
  ScopedEnv env("KILN_DUMP", "/some/folder");
  EXPECT_EQ(envPath("KILN_DUMP"), "/some/folder");
}

TEST(Environment, OnlyTheTableIsRead) {
  EXPECT_THROW(envSwitch("KILN_NOT_A_VARIABLE", false), kiln::Error);
  // A variable read as the wrong kind is a mistake in Kiln.
  EXPECT_THROW(envSwitch("KILN_DUMP", false), kiln::Error);
}

TEST(Environment, TheGuideListsExactlyTheTable) {
  std::ifstream in(std::string(KILN_SOURCE_DIR) + "/docs/guide/cli.md");
  ASSERT_TRUE(in) << "docs/guide/cli.md";
  std::stringstream text;
  text << in.rdbuf();
  // Rows of the environment table: | `KILN_NAME...` | effect |
  std::set<std::string> documented;
  std::regex row(R"(\n\| `(KILN_[A-Z_]+))");
  std::string doc = text.str();
  for (std::sregex_iterator it(doc.begin(), doc.end(), row), end; it != end;
       ++it)
    documented.insert((*it)[1]);
  std::set<std::string> read;
  for (const EnvironmentVariable &v : environmentVariables())
    read.insert(v.name);
  EXPECT_EQ(documented, read);
}

} // namespace
