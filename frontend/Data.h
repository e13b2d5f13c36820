//===- Data.h - Datasets, samplers and the DataLoader -----------*- C++ -*-===//
//
// LibTorch's data API (datasets::Dataset, .map(transforms::Stack<>()),
// make_data_loader) and PyTorch's data pipeline (torch.utils.data, torchvision's MNIST, CIFAR10,
// ImageFolder and transforms): a map-style Dataset yields Examples by index
// (from tensors, IDX, CSV, CIFAR-10 or image files, or other datasets:
// subsets, concatenations, transformed samples), a Sampler orders the
// indices of an epoch, and a DataLoader batches them, optionally loading in
// worker threads. An IterableDataset (StreamingDataset: sharded files read
// lazily) is the alternative for data too large to index in memory. Every
// tensor made here is realized at once from plain memory: loading data never
// records ops or compiles code.
//
// The pieces live in frontend/data/, one header per concern; this header
// includes them all.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_FRONTEND_DATA_H
#define KILN_FRONTEND_DATA_H

#include "kiln/frontend/data/BatchDataset.h"
#include "kiln/frontend/data/Csv.h"
#include "kiln/frontend/data/DataLoader.h"
#include "kiln/frontend/data/Dataset.h"
#include "kiln/frontend/data/Idx.h"
#include "kiln/frontend/data/Images.h"
#include "kiln/frontend/data/ProgressBar.h"
#include "kiln/frontend/data/Records.h"
#include "kiln/frontend/data/Samplers.h"
#include "kiln/frontend/data/StatelessDataLoader.h"
#include "kiln/frontend/data/Streams.h"
#include "kiln/frontend/data/Transforms.h"

namespace kiln::data {

/// LibTorch's datasets namespace holds LibTorch's classes (Dataset,
/// BatchDataset, MapDataset, MNIST, TensorDataset: BatchDataset.h, Idx.h);
/// Kiln's other datasets are reachable there too:
/// `kiln::data::datasets::CIFAR10` is `kiln::data::CIFAR10`, and so on.
namespace datasets {
using data::CIFAR10;
using data::ConcatDataset;
using data::CSVDataset;
using data::ImageFolder;
using data::IterableDataset;
using data::StreamingDataset;
using data::Subset;
} // namespace datasets

} // namespace kiln::data

#endif // KILN_FRONTEND_DATA_H
