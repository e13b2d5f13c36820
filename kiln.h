//===- kiln.h - The one header a Kiln program includes ----------*- C++ -*-===//
//
// `#include <kiln/kiln.h>` brings the whole user API. It stays cheap to
// compile: no MLIR or LLVM header is reachable from here.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_KILN_H
#define KILN_KILN_H

#include "kiln/frontend/Archive.h"
#include "kiln/frontend/Autograd.h"
#include "kiln/frontend/Config.h"
#include "kiln/frontend/CustomFunction.h"
#include "kiln/frontend/Data.h"
#include "kiln/frontend/Enum.h"
#include "kiln/frontend/Export.h"
#include "kiln/frontend/Functional.h"
#include "kiln/frontend/FunctionalOptions.h"
#include "kiln/frontend/Layers.h"
#include "kiln/frontend/Loss.h"
#include "kiln/frontend/LossOptions.h"
#include "kiln/frontend/Metrics.h"
#include "kiln/frontend/NN.h"
#include "kiln/frontend/NNFunctional.h"
#include "kiln/frontend/NormLayers.h"
#include "kiln/frontend/Optim.h"
#include "kiln/frontend/Pooling.h"
#include "kiln/frontend/RNN.h"
#include "kiln/frontend/RNNUtils.h"
#include "kiln/frontend/Serialize.h"
#include "kiln/frontend/Stats.h"
#include "kiln/frontend/Tensor.h"
#include "kiln/frontend/TensorLosses.h"
#include "kiln/frontend/Types.h"
#include "kiln/frontend/Upsample.h"
#include "kiln/runtime/Error.h"

#endif // KILN_KILN_H
