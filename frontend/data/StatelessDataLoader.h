//===- StatelessDataLoader.h - LibTorch's make_data_loader ------*- C++ -*-===//
//
// LibTorch's data loaders: DataLoaderOptions, StatelessDataLoader (a
// BatchDataset in the batches a sampler requests), StatefulDataLoader (a
// StatefulDataset until it runs out) and make_data_loader, which makes
// either. Both load on worker threads with the WorkerPool and epoch
// machinery of data::DataLoader.
//
//===----------------------------------------------------------------------===//
#ifndef KILN_FRONTEND_DATA_STATELESSDATALOADER_H
#define KILN_FRONTEND_DATA_STATELESSDATALOADER_H

#include "kiln/frontend/ModuleOptions.h"
#include "kiln/frontend/data/BatchDataset.h"
#include "kiln/frontend/data/Samplers.h"

#include <chrono>
#include <cstddef>
#include <functional>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace kiln::detail {
class LoaderEpoch;
class WorkerPool;

/// Persistent threads for a loader's epochs, one at a time.
std::shared_ptr<WorkerPool> makeWorkerPool(size_t threads);

/// One epoch of batches numbered 0..count - 1, each loaded by a call
/// `load(batch, worker)` on the pool's threads (worker numbers from 0), at
/// most `max_jobs` loaded ahead of the caller, or, without a pool, in the
/// calling thread by next(). Without a count, batches are loaded until a
/// load returns false (the source has run out). The loaded batches
/// themselves stay with the caller; this only schedules and reports.
class BatchJobs {
public:
  /// Loads batch `batch` on worker `worker`: false when there was none to
  /// load; an exception is its failure.
  using Load = std::function<bool(size_t batch, size_t worker)>;

  /// Starts loading; `ordered` makes next() return batches in number
  /// order, otherwise in the order they finish.
  BatchJobs(std::optional<size_t> count, std::shared_ptr<WorkerPool> pool,
            size_t max_jobs, bool ordered,
            std::optional<std::chrono::milliseconds> timeout, Load load);
  /// Stops the workers (they finish the batch they are loading).
  ~BatchJobs();
  BatchJobs(const BatchJobs &) = delete;
  BatchJobs &operator=(const BatchJobs &) = delete;

  /// The number of the next loaded batch, nullopt once all are taken. A
  /// failed load, or a wait longer than the timeout, throws kiln::Error.
  std::optional<size_t> next();

private:
  std::shared_ptr<LoaderEpoch> epoch_;
};
} // namespace kiln::detail

namespace kiln::data {

/// How make_data_loader batches (LibTorch's `DataLoaderOptions`), a
/// builder: `DataLoaderOptions(64).workers(2).drop_last(true)`. Kiln's own
/// DataLoader takes LoaderOptions instead.
struct DataLoaderOptions {
  /// Batches of one example.
  DataLoaderOptions() = default;
  /// Batches of `batch_size` examples.
  /* implicit */ DataLoaderOptions(size_t batch_size)
      : batch_size_(batch_size) {}

  /// Examples per batch; 0 is a kiln::Error when the loader is made.
  KILN_ARG(size_t, batch_size) = 1;
  /// Worker threads, each with its own copy of the dataset; 0 loads in the
  /// iterating thread.
  KILN_ARG(size_t, workers) = 0;
  /// Batches loaded or loading ahead of the loop; default 2 * workers.
  KILN_ARG(std::optional<size_t>, max_jobs);
  /// How long the loop waits for a worker's batch before a kiln::Error.
  KILN_ARG(std::optional<std::chrono::milliseconds>, timeout);
  /// Whether batches reach the loop in sampler order (otherwise as the
  /// workers finish them).
  KILN_ARG(bool, enforce_ordering) = true;
  /// Whether a last batch smaller than batch_size is dropped.
  KILN_ARG(bool, drop_last) = false;
};

/// DataLoaderOptions with the defaults resolved (LibTorch's
/// `FullDataLoaderOptions`), what `loader->options()` gives.
struct FullDataLoaderOptions {
  /// Resolves `options`.
  explicit FullDataLoaderOptions(const DataLoaderOptions &options)
      : batch_size(options.batch_size()), workers(options.workers()),
        max_jobs(options.max_jobs().value_or(2 * options.workers())),
        timeout(options.timeout()),
        enforce_ordering(options.enforce_ordering()),
        drop_last(options.drop_last()) {}
  /// Examples per batch.
  size_t batch_size;
  /// Worker threads.
  size_t workers;
  /// Batches loaded ahead.
  size_t max_jobs;
  /// The wait limit for a batch.
  std::optional<std::chrono::milliseconds> timeout;
  /// Whether batches come in sampler order.
  bool enforce_ordering;
  /// Whether a short last batch is dropped.
  bool drop_last;
};

namespace detail {
/// Throws the kiln::Error for options a loader cannot use (batch size 0).
void checkLoaderOptions(const FullDataLoaderOptions &options);
/// Throws the kiln::Error for a dataset without a size given to
/// make_data_loader without a sampler.
[[noreturn]] void unsizedDataset();
/// Throws the kiln::Error for an iterator used past the end or after its
/// loader began a new epoch.
[[noreturn]] void badIterator(const char *what);
} // namespace detail

/// An input iterator over the batches of one epoch (LibTorch's
/// `torch::data::Iterator`). Copies share the epoch.
template <typename Batch> class Iterator {
public:
  /// Input iterator traits.
  using iterator_category = std::input_iterator_tag;
  /// Batches.
  using value_type = Batch;
  /// Unused, for the traits.
  using difference_type = std::ptrdiff_t;
  /// Points at the current batch.
  using pointer = Batch *;
  /// The current batch.
  using reference = Batch &;
  /// Gives the next batch, or nullopt at the end.
  using Next = std::function<std::optional<Batch>()>;

  /// The end of every epoch.
  Iterator() = default;
  /// Iterates the batches `next` gives, loading the first now.
  explicit Iterator(Next next)
      : state_(std::make_shared<State>(State{std::move(next), {}})) {
    advance();
  }

  /// The current batch.
  Batch &operator*() const {
    if (!state_ || !state_->batch)
      detail::badIterator("dereferencing the end of an epoch");
    return *state_->batch;
  }
  /// Members of the current batch.
  Batch *operator->() const { return &**this; }
  /// Moves to the next batch.
  Iterator &operator++() {
    if (!state_ || !state_->batch)
      detail::badIterator("advancing past the end of an epoch");
    advance();
    return *this;
  }
  /// Equal when both are at the end, or share an epoch.
  bool operator==(const Iterator &other) const {
    return state_ == other.state_ || (atEnd() && other.atEnd());
  }

private:
  struct State {
    Next next;
    std::optional<Batch> batch;
  };
  bool atEnd() const { return !state_ || !state_->batch; }
  void advance() { state_->batch = state_->next(); }
  std::shared_ptr<State> state_;
};

/// Loads a BatchDataset in the batch requests of a sampler (LibTorch's
/// `StatelessDataLoader`); make_data_loader makes one. Each range-for is an
/// epoch: it resets the sampler (a RandomSampler reshuffles) and yields
/// `Dataset::BatchType`, a `std::vector<Example<>>` unless the dataset maps
/// a Collation such as `Stack<>`. With workers, each worker thread loads
/// whole batches from its own copy of the dataset; a failure in one
/// reaches the loop as a kiln::Error carrying its message. Beginning an
/// epoch while another is under way ends that one. The loader must outlive
/// its iterators.
template <typename Dataset, typename Sampler> class StatelessDataLoader {
public:
  /// The batches yielded.
  using BatchType = typename Dataset::BatchType;
  /// What the sampler hands the dataset.
  using BatchRequestType = typename Sampler::BatchRequestType;

  /// Loads `dataset` in `sampler`'s requests; batch size 0 is a
  /// kiln::Error.
  StatelessDataLoader(Dataset dataset, Sampler sampler,
                      DataLoaderOptions options)
      : options_(options), sampler_(std::move(sampler)) {
    detail::checkLoaderOptions(options_);
    if (options_.workers == 0) {
      datasets_.push_back(std::move(dataset));
      return;
    }
    for (size_t w = 0; w + 1 < options_.workers; ++w)
      datasets_.push_back(dataset);
    datasets_.push_back(std::move(dataset));
    pool_ = kiln::detail::makeWorkerPool(options_.workers);
  }
  /// Stops the workers.
  ~StatelessDataLoader() { join(); }
  StatelessDataLoader(const StatelessDataLoader &) = delete;
  StatelessDataLoader &operator=(const StatelessDataLoader &) = delete;

  /// Starts an epoch and loads its first batch.
  Iterator<BatchType> begin() {
    join();
    sampler_.reset(std::nullopt);
    auto epoch = std::make_shared<Epoch>();
    while (std::optional<BatchRequestType> request =
               sampler_.next(options_.batch_size)) {
      if (options_.drop_last && request->size() < options_.batch_size)
        break;
      epoch->requests.push_back(std::move(*request));
    }
    epoch->batches.resize(epoch->requests.size());
    Epoch *raw = epoch.get();
    epoch->jobs = std::make_unique<kiln::detail::BatchJobs>(
        raw->requests.size(), pool_, options_.max_jobs,
        options_.enforce_ordering, options_.timeout,
        [this, raw](size_t batch, size_t worker) {
          raw->batches[batch] =
              datasets_[worker].get_batch(std::move(raw->requests[batch]));
          return true;
        });
    epoch_ = epoch;
    return Iterator<BatchType>([epoch]() -> std::optional<BatchType> {
      if (!epoch->jobs)
        detail::badIterator("advancing an epoch its loader has ended");
      std::optional<size_t> batch = epoch->jobs->next();
      if (!batch)
        return std::nullopt;
      return std::move(epoch->batches[*batch]);
    });
  }
  /// The end of every epoch.
  Iterator<BatchType> end() { return Iterator<BatchType>(); }

  /// Ends the epoch under way, stopping its workers.
  void join() {
    if (epoch_)
      epoch_->jobs.reset();
    epoch_.reset();
  }
  /// The options, with defaults resolved.
  const FullDataLoaderOptions &options() const noexcept { return options_; }

private:
  struct Epoch {
    std::vector<BatchRequestType> requests;
    std::vector<std::optional<BatchType>> batches;
    std::unique_ptr<kiln::detail::BatchJobs> jobs;
  };

  FullDataLoaderOptions options_;
  Sampler sampler_;
  /// One per worker, or the one the iterating thread loads from.
  std::vector<Dataset> datasets_;
  std::shared_ptr<kiln::detail::WorkerPool> pool_;
  std::shared_ptr<Epoch> epoch_;
};

/// Loads a StatefulDataset (LibTorch's `StatefulDataLoader`): each epoch
/// resets the dataset and asks it for batches of batch_size until it
/// returns nullopt; make_data_loader makes one. The workers share the one
/// dataset, as in LibTorch, so its get_batch must be thread-safe when
/// workers > 0; the batches then come in the order they finish unless
/// enforce_ordering. drop_last does not apply: the dataset sizes its
/// batches.
template <typename Dataset> class StatefulDataLoader {
public:
  /// The batches yielded: the dataset's, unwrapped from their optional.
  using BatchType = typename Dataset::BatchType::value_type;
  /// What the dataset is asked for (a batch size).
  using BatchRequestType = typename Dataset::BatchRequestType;

  /// Loads `dataset`; batch size 0 is a kiln::Error.
  StatefulDataLoader(Dataset dataset, DataLoaderOptions options)
      : options_(options), dataset_(std::move(dataset)) {
    detail::checkLoaderOptions(options_);
    if (options_.workers > 0)
      pool_ = kiln::detail::makeWorkerPool(options_.workers);
  }
  /// Stops the workers.
  ~StatefulDataLoader() { join(); }
  StatefulDataLoader(const StatefulDataLoader &) = delete;
  StatefulDataLoader &operator=(const StatefulDataLoader &) = delete;

  /// Resets the dataset, starts an epoch and loads its first batch.
  Iterator<BatchType> begin() {
    join();
    dataset_.reset();
    auto epoch = std::make_shared<Epoch>();
    Epoch *raw = epoch.get();
    epoch->jobs = std::make_unique<kiln::detail::BatchJobs>(
        std::nullopt, pool_, options_.max_jobs, options_.enforce_ordering,
        options_.timeout, [this, raw](size_t batch, size_t) {
          auto made = dataset_.get_batch(BatchRequestType(options_.batch_size));
          if (!made)
            return false;
          std::lock_guard lock(raw->mutex);
          raw->batches.emplace(batch, std::move(*made));
          return true;
        });
    epoch_ = epoch;
    return Iterator<BatchType>([epoch]() -> std::optional<BatchType> {
      if (!epoch->jobs)
        detail::badIterator("advancing an epoch its loader has ended");
      std::optional<size_t> batch = epoch->jobs->next();
      if (!batch)
        return std::nullopt;
      std::lock_guard lock(epoch->mutex);
      auto it = epoch->batches.find(*batch);
      BatchType made = std::move(it->second);
      epoch->batches.erase(it);
      return made;
    });
  }
  /// The end of every epoch.
  Iterator<BatchType> end() { return Iterator<BatchType>(); }

  /// Ends the epoch under way, stopping its workers.
  void join() {
    if (epoch_)
      epoch_->jobs.reset();
    epoch_.reset();
  }
  /// The options, with defaults resolved.
  const FullDataLoaderOptions &options() const noexcept { return options_; }

private:
  struct Epoch {
    std::mutex mutex; ///< guards batches, which workers fill
    std::map<size_t, BatchType> batches;
    std::unique_ptr<kiln::detail::BatchJobs> jobs;
  };

  FullDataLoaderOptions options_;
  Dataset dataset_;
  std::shared_ptr<kiln::detail::WorkerPool> pool_;
  std::shared_ptr<Epoch> epoch_;
};

/// A loader of `dataset` in the requests of `sampler` (LibTorch's
/// `make_data_loader`).
template <typename Dataset, typename Sampler>
  requires(!Dataset::is_stateful) &&
          requires { typename Sampler::BatchRequestType; }
std::unique_ptr<StatelessDataLoader<Dataset, Sampler>>
make_data_loader(Dataset dataset, Sampler sampler,
                 DataLoaderOptions options = DataLoaderOptions()) {
  return std::make_unique<StatelessDataLoader<Dataset, Sampler>>(
      std::move(dataset), std::move(sampler), std::move(options));
}

/// A loader of `dataset` with a `Sampler(*dataset.size())`: by default a
/// RandomSampler, so each epoch is shuffled. `options` may be a batch size.
template <typename Sampler = samplers::RandomSampler, typename Dataset>
  requires(!Dataset::is_stateful)
std::unique_ptr<StatelessDataLoader<Dataset, Sampler>>
make_data_loader(Dataset dataset,
                 DataLoaderOptions options = DataLoaderOptions()) {
  std::optional<size_t> size = dataset.size();
  if (!size)
    detail::unsizedDataset();
  Sampler sampler(*size);
  return make_data_loader(std::move(dataset), std::move(sampler),
                          std::move(options));
}

/// A loader of the stateful `dataset` (LibTorch's `make_data_loader` of a
/// StatefulDataset); `options` may be a batch size.
template <typename Dataset>
  requires Dataset::is_stateful
std::unique_ptr<StatefulDataLoader<Dataset>>
make_data_loader(Dataset dataset,
                 DataLoaderOptions options = DataLoaderOptions()) {
  return std::make_unique<StatefulDataLoader<Dataset>>(std::move(dataset),
                                                       std::move(options));
}

} // namespace kiln::data

#endif // KILN_FRONTEND_DATA_STATELESSDATALOADER_H
