// A training step of a 64-128-10 MLP on the digits, written in the kiln
// dialect by hand: the shape of what the frontend records for
//
//   auto logits = relu(x.matmul(w1) + b1).matmul(w2) + b2;
//   auto loss = F::cross_entropy(logits, target_one_hot);
//   loss.backward();
//
// Try:  kiln dump examples/ir/mlp.mlir
//       kiln-opt --canonicalize examples/ir/mlp.mlir

// The forward pass and the loss; parameters first, then the batch.
func.func private @loss(%w1: tensor<64x128xf32>, %b1: tensor<128xf32>,
                        %w2: tensor<128x10xf32>, %b2: tensor<10xf32>,
                        %x: tensor<32x64xf32>, %target: tensor<32x10xf32>)
    -> tensor<f32> {
  %h = kiln.matmul %x, %w1 : tensor<32x64xf32>, tensor<64x128xf32>
  %b1b = kiln.broadcast_to %b1 : tensor<128xf32> -> tensor<32x128xf32>
  %hb = kiln.add %h, %b1b : tensor<32x128xf32>
  %a = kiln.relu %hb : tensor<32x128xf32>
  %o = kiln.matmul %a, %w2 : tensor<32x128xf32>, tensor<128x10xf32>
  %b2b = kiln.broadcast_to %b2 : tensor<10xf32> -> tensor<32x10xf32>
  %logits = kiln.add %o, %b2b : tensor<32x10xf32>
  %logp = kiln.log_softmax %logits dim = 1 : tensor<32x10xf32>
  %picked = kiln.mul %logp, %target : tensor<32x10xf32>
  %total = kiln.reduce_sum %picked dims = [0, 1] : tensor<32x10xf32>
  // mean over the batch, negated: -sum / 32
  %scale = kiln.constant dense<-3.125000e-02> : tensor<f32>
  %loss = kiln.mul %total, %scale : tensor<f32>
  // A neutral step that canonicalization removes.
  %one = kiln.constant dense<1.000000e+00> : tensor<f32>
  %same = kiln.mul %loss, %one : tensor<f32>
  return %same : tensor<f32>
}

// One SGD step: the loss and its gradients with respect to the parameters
// (a kiln.grad request, expanded by the autodiff pass), then the updates.
func.func @train_step(%w1: tensor<64x128xf32>, %b1: tensor<128xf32>,
                      %w2: tensor<128x10xf32>, %b2: tensor<10xf32>,
                      %x: tensor<32x64xf32>, %target: tensor<32x10xf32>,
                      %lr: tensor<f32>)
    -> (tensor<f32>, tensor<64x128xf32>, tensor<128xf32>,
        tensor<128x10xf32>, tensor<10xf32>) {
  %loss, %gw1, %gb1, %gw2, %gb2 = kiln.grad @loss(%w1, %b1, %w2, %b2, %x, %target)
      wrt [0, 1, 2, 3]
      : (tensor<64x128xf32>, tensor<128xf32>, tensor<128x10xf32>,
         tensor<10xf32>, tensor<32x64xf32>, tensor<32x10xf32>)
      -> (tensor<f32>, tensor<64x128xf32>, tensor<128xf32>,
          tensor<128x10xf32>, tensor<10xf32>)
  %lr1 = kiln.fill %lr : tensor<f32> -> tensor<64x128xf32>
  %d1 = kiln.mul %gw1, %lr1 : tensor<64x128xf32>
  %nw1 = kiln.sub %w1, %d1 : tensor<64x128xf32>
  %lr2 = kiln.fill %lr : tensor<f32> -> tensor<128xf32>
  %d2 = kiln.mul %gb1, %lr2 : tensor<128xf32>
  %nb1 = kiln.sub %b1, %d2 : tensor<128xf32>
  %lr3 = kiln.fill %lr : tensor<f32> -> tensor<128x10xf32>
  %d3 = kiln.mul %gw2, %lr3 : tensor<128x10xf32>
  %nw2 = kiln.sub %w2, %d3 : tensor<128x10xf32>
  %lr4 = kiln.fill %lr : tensor<f32> -> tensor<10xf32>
  %d4 = kiln.mul %gb2, %lr4 : tensor<10xf32>
  %nb2 = kiln.sub %b2, %d4 : tensor<10xf32>
  return %loss, %nw1, %nb1, %nw2, %nb2
      : tensor<f32>, tensor<64x128xf32>, tensor<128xf32>, tensor<128x10xf32>,
        tensor<10xf32>
}
