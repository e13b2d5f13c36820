//===- TestUtil.h - Helpers shared by the frontend tests --------*- C++ -*-===//
#ifndef KILN_TESTS_UNIT_TESTUTIL_H
#define KILN_TESTS_UNIT_TESTUTIL_H

#include <kiln/kiln.h>

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>

namespace kiln::testing {

/// Expects `fn` to throw a kiln::Error whose message contains every part.
template <typename Fn>
void expectError(Fn fn, std::initializer_list<std::string> parts) {
  try {
    fn();
    ADD_FAILURE() << "expected a kiln::Error";
  } catch (const kiln::Error &e) {
    for (const std::string &part : parts)
      EXPECT_NE(std::string(e.what()).find(part), std::string::npos)
          << "missing '" << part << "' in: " << e.what();
  }
}

} // namespace kiln::testing

#endif // KILN_TESTS_UNIT_TESTUTIL_H
