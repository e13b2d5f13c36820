// `kiln dump --format=dot` draws each function for Graphviz; after kiln-fuse
// the fusion regions are clusters.
// RUN: kiln dump --stage=fused --format=dot %s | FileCheck %s
// RUN: kiln dump --format=dot %s | FileCheck %s --check-prefix=TRACED

// CHECK: digraph kiln {
// CHECK: subgraph cluster_0 {
// CHECK-NEXT: label="@main";
// CHECK-NEXT: [[X:n[0-9]+]] [shape=ellipse, label="%arg0\ntensor<8x4xf32>"];
// CHECK-NEXT: [[W:n[0-9]+]] [shape=ellipse, label="%arg1\ntensor<4x10xf32>"];
// CHECK-NEXT: [[B:n[0-9]+]] [shape=ellipse, label="%arg2\ntensor<10xf32>"];
// CHECK-NEXT: [[MM:n[0-9]+]] [label="kiln.matmul\ntensor<8x10xf32>"];
// CHECK-NEXT: subgraph cluster_1 {
// CHECK-NEXT: label="kiln.fusion"; style=filled; color=lightblue;
// CHECK-NEXT: [[BC:n[0-9]+]] [label="kiln.broadcast_to\ntensor<8x10xf32>"];
// CHECK-NEXT: [[ADD:n[0-9]+]] [label="kiln.add\ntensor<8x10xf32>"];
// CHECK-NEXT: [[RELU:n[0-9]+]] [label="kiln.relu\ntensor<8x10xf32>"];
// CHECK-NEXT: }
// CHECK-NEXT: [[RET:n[0-9]+]] [label="func.return"];
// CHECK-DAG: [[X]] -> [[MM]];
// CHECK-DAG: [[W]] -> [[MM]];
// CHECK-DAG: [[B]] -> [[BC]];
// CHECK-DAG: [[MM]] -> [[ADD]];
// CHECK-DAG: [[BC]] -> [[ADD]];
// CHECK-DAG: [[ADD]] -> [[RELU]];
// CHECK-DAG: [[RELU]] -> [[RET]];

// TRACED-NOT: kiln.fusion
// TRACED: kiln.relu

func.func @main(%x: tensor<8x4xf32>, %w: tensor<4x10xf32>, %bias: tensor<10xf32>) -> tensor<8x10xf32> {
  %mm = kiln.matmul %x, %w : tensor<8x4xf32>, tensor<4x10xf32>
  %b = kiln.broadcast_to %bias : tensor<10xf32> -> tensor<8x10xf32>
  %a = kiln.add %mm, %b : tensor<8x10xf32>
  %r = kiln.relu %a : tensor<8x10xf32>
  return %r : tensor<8x10xf32>
}
