//===- ShapesTest.cpp - Broadcasting and window shape rules ---------------===//
#include "kiln/ir/Shapes.h"

#include <gtest/gtest.h>

using namespace kiln::ir;

TEST(Shapes, BroadcastFollowsNumPy) {
  EXPECT_EQ(broadcastShapes(Shape{3, 1}, Shape{2, 1, 4}), (Shape{2, 3, 4}));
  EXPECT_EQ(broadcastShapes(Shape{}, Shape{5}), (Shape{5}));
  EXPECT_EQ(broadcastShapes(Shape{0, 1}, Shape{1, 3}), (Shape{0, 3}));
  EXPECT_EQ(broadcastShapes(Shape{2, 3}, Shape{4, 3}), std::nullopt);
  EXPECT_EQ(broadcastShapes(Shape{3}, Shape{4}), std::nullopt);
}

TEST(Shapes, BroadcastableTo) {
  EXPECT_TRUE(isBroadcastableTo(Shape{3, 1}, Shape{2, 3, 4}));
  EXPECT_TRUE(isBroadcastableTo(Shape{}, Shape{2, 3}));
  EXPECT_FALSE(isBroadcastableTo(Shape{2, 3}, Shape{3}));
  EXPECT_FALSE(isBroadcastableTo(Shape{2}, Shape{3}));
  // Broadcasting only stretches: a larger dimension never shrinks to 1.
  EXPECT_FALSE(isBroadcastableTo(Shape{4}, Shape{1}));
}

TEST(Shapes, WindowOutputSize) {
  EXPECT_EQ(windowOutputSize(32, 3, 1, 1, 1), 32);
  EXPECT_EQ(windowOutputSize(32, 3, 2, 1, 1), 16);
  EXPECT_EQ(windowOutputSize(7, 3, 1, 0, 2), 3);
  EXPECT_EQ(windowOutputSize(2, 3, 1, 0, 1), std::nullopt);
  EXPECT_EQ(windowOutputSize(8, 2, 0, 0, 1), std::nullopt);
}

TEST(Shapes, FormatAndCount) {
  EXPECT_EQ(formatShape(Shape{2, 3}), "[2, 3]");
  EXPECT_EQ(formatShape(Shape{}), "[]");
  EXPECT_EQ(numElements(Shape{}), 1);
  EXPECT_EQ(numElements(Shape{2, 0, 3}), 0);
}
