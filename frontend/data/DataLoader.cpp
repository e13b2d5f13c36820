//===- DataLoader.cpp - The DataLoader and its epochs ---------------------===//
//
// An epoch's worker threads (fresh or persistent) and the loader that
// starts one per begin(); the epochs of LibTorch's StatelessDataLoader run
// on the same machinery (BatchJobs).
//
//===----------------------------------------------------------------------===//
#include "kiln/frontend/data/DataLoader.h"
#include "kiln/frontend/Recording.h"
#include "kiln/frontend/data/StatelessDataLoader.h"
#include "kiln/runtime/Error.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <map>
#include <mutex>
#include <system_error>
#include <thread>

//===----------------------------------------------------------------------===//
// The epoch of a DataLoader
//===----------------------------------------------------------------------===//

namespace kiln::detail {

/// The worker threads of a DataLoader with persistent_workers: they outlive
/// epochs, each of which hands them a job and waits for it to return,
/// instead of starting and joining threads of its own.
class WorkerPool {
public:
  explicit WorkerPool(size_t threads) {
    try {
      for (size_t w = 0; w < threads; ++w)
        threads_.emplace_back(&WorkerPool::loop, this, w);
    } catch (const std::system_error &e) {
      shutdown();
      throw Error(std::string("DataLoader: cannot start a worker thread: ") +
                  e.what());
    }
  }
  ~WorkerPool() { shutdown(); }
  WorkerPool(const WorkerPool &) = delete;
  WorkerPool &operator=(const WorkerPool &) = delete;

  size_t size() const { return threads_.size(); }

  /// Runs job(w) on every thread w and returns at once. The previous job
  /// must have returned (wait()).
  void run(std::function<void(size_t)> job) {
    {
      std::lock_guard lock(mutex_);
      if (running_ != 0)
        throw Error("DataLoader: internal error: the persistent workers are "
                    "still running an epoch");
      job_ = std::move(job);
      running_ = threads_.size();
      ++generation_;
    }
    wake_.notify_all();
  }

  /// Blocks until every thread has returned from the job.
  void wait() {
    std::unique_lock lock(mutex_);
    idle_.wait(lock, [&] { return running_ == 0; });
    job_ = nullptr;
  }

private:
  void shutdown() {
    {
      std::lock_guard lock(mutex_);
      quit_ = true;
    }
    wake_.notify_all();
    for (std::thread &thread : threads_)
      if (thread.joinable())
        thread.join();
  }

  void loop(size_t worker) {
    uint64_t seen = 0;
    std::unique_lock lock(mutex_);
    while (true) {
      wake_.wait(lock, [&] { return quit_ || generation_ != seen; });
      if (quit_)
        return;
      seen = generation_;
      std::function<void(size_t)> job = job_;
      lock.unlock();
      job(worker);
      lock.lock();
      if (--running_ == 0)
        idle_.notify_all();
    }
  }

  std::mutex mutex_;
  std::condition_variable wake_; ///< a job arrived, or quit
  std::condition_variable idle_; ///< the job has returned everywhere
  std::function<void(size_t)> job_;
  uint64_t generation_ = 0;
  size_t running_ = 0;
  bool quit_ = false;
  std::vector<std::thread> threads_;
};

/// One pass over the data: what its workers share with the iterating
/// thread. It owns all it uses (dataset, collate function, indices), so it
/// outlives the DataLoader safely; the subclasses' destructors stop the
/// workers before their members go.
class LoaderEpoch {
public:
  LoaderEpoch(uint64_t seed, uint64_t epoch, std::shared_ptr<WorkerPool> pool)
      : seed_(seed), epoch_(epoch), pool_(std::move(pool)) {}
  virtual ~LoaderEpoch() = default;
  LoaderEpoch(const LoaderEpoch &) = delete;
  LoaderEpoch &operator=(const LoaderEpoch &) = delete;

  /// Makes the next batch current; false once the epoch is over. A batch
  /// that failed to load throws here, in the iterating thread.
  bool advance() {
    if (abandoned_)
      throw Error("DataLoader: this epoch was ended by a later begin() of "
                  "its loader (with persistent_workers, one epoch uses the "
                  "workers at a time)");
    return advanceBatch();
  }

  data::Example<> &current() { return current_; }
  bool finished() const { return finished_; }

  /// Stops the workers, freeing a persistent pool for the next epoch;
  /// advancing afterwards is an error.
  void abandon() {
    stop();
    abandoned_ = true;
  }

protected:
  virtual bool advanceBatch() = 0;
  virtual void work(size_t worker) = 0;

  /// Runs work(0 .. count - 1) on the pool or on new threads.
  void startWorkers(size_t count) {
    if (count == 0)
      return;
    if (pool_) {
      pool_->run([this, count](size_t worker) {
        if (worker < count)
          work(worker);
      });
      poolRunning_ = true;
      return;
    }
    try {
      for (size_t w = 0; w < count; ++w)
        threads_.emplace_back(&LoaderEpoch::work, this, w);
    } catch (const std::system_error &e) {
      stop();
      throw Error(std::string("DataLoader: cannot start a worker thread: ") +
                  e.what());
    }
  }

  bool hasWorkers() const { return poolRunning_ || !threads_.empty(); }

  /// Tells the workers to stop and waits for them; idempotent.
  void stop() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    ready_.notify_all();
    space_.notify_all();
    for (std::thread &thread : threads_)
      if (thread.joinable())
        thread.join();
    if (poolRunning_) {
      pool_->wait();
      poolRunning_ = false;
    }
  }

  /// "DataLoader: " or "DataLoader: worker <w>: ", for error messages.
  static std::string who(std::optional<size_t> worker) {
    std::string who = "DataLoader: ";
    if (worker)
      who += "worker " + std::to_string(*worker) + ": ";
    return who;
  }

  uint64_t seed_;
  uint64_t epoch_;
  data::Example<> current_;
  bool finished_ = false;

  std::mutex mutex_;
  std::condition_variable ready_; ///< a worker filed something
  std::condition_variable space_; ///< the iterating thread took something
  std::atomic<bool> stopping_ = false;

private:
  std::shared_ptr<WorkerPool> pool_;
  bool poolRunning_ = false;
  bool abandoned_ = false;
  std::vector<std::thread> threads_;
};

/// An epoch of a map-style dataset: workers claim whole batches within the
/// prefetch window and file them by number; advance() takes them in order.
class MapEpoch : public LoaderEpoch {
public:
  MapEpoch(std::shared_ptr<data::Dataset<data::Example<>>> dataset,
           data::CollateFn collate, std::vector<size_t> indices,
           size_t batchSize, size_t numBatches, size_t numWorkers,
           size_t prefetchFactor, uint64_t seed, uint64_t epoch,
           std::shared_ptr<WorkerPool> pool)
      : LoaderEpoch(seed, epoch, std::move(pool)), dataset_(std::move(dataset)),
        collate_(std::move(collate)), indices_(std::move(indices)),
        batchSize_(batchSize), numBatches_(numBatches),
        window_(std::max<size_t>(1, numWorkers * prefetchFactor)) {
    startWorkers(std::min(numWorkers, numBatches_));
  }

  ~MapEpoch() override { stop(); }

private:
  /// A loaded batch, or why it could not be loaded.
  struct Slot {
    data::Example<> batch;
    std::string error;
  };

  bool advanceBatch() override {
    if (next_ == numBatches_) {
      finished_ = true;
      current_ = {};
      return false;
    }
    size_t batch = next_++;
    Slot slot;
    if (!hasWorkers()) {
      slot = load(batch, std::nullopt);
    } else {
      std::unique_lock lock(mutex_);
      ready_.wait(lock, [&] { return done_.contains(batch); });
      auto it = done_.find(batch);
      slot = std::move(it->second);
      done_.erase(it);
      consumed_ = batch + 1;
      lock.unlock();
      space_.notify_all();
    }
    if (!slot.error.empty())
      throw Error(slot.error);
    current_ = std::move(slot.batch);
    return true;
  }

  /// Loads and collates batch `batch`. Exceptions become the slot's error:
  /// they must cross to the iterating thread, and the message names the
  /// sample so that a bad file or index can be found.
  Slot load(size_t batch, std::optional<size_t> worker) {
    size_t begin = batch * batchSize_;
    size_t end = std::min(begin + batchSize_, indices_.size());
    Slot slot;
    std::vector<data::Example<>> samples;
    samples.reserve(end - begin);
    for (size_t i = begin; i < end; ++i) {
      if (stopping_) // the epoch is being torn down: nobody will look
        return slot;
      size_t index = indices_[i];
      try {
        data::SampleSeed scope(seed_, epoch_, index);
        samples.push_back(dataset_->get(index));
      } catch (const std::exception &e) {
        slot.error = who(worker) + "loading sample " + std::to_string(index) +
                     " (batch " + std::to_string(batch) +
                     ") failed: " + e.what();
        return slot;
      } catch (...) {
        slot.error = who(worker) + "loading sample " + std::to_string(index) +
                     " (batch " + std::to_string(batch) +
                     ") failed with an unknown exception";
        return slot;
      }
    }
    try {
      slot.batch = collate_(std::move(samples));
    } catch (const std::exception &e) {
      slot.error = who(worker) + "collating batch " + std::to_string(batch) +
                   " (samples " + indexList(begin, end) +
                   ") failed: " + e.what();
    } catch (...) {
      slot.error = who(worker) + "collating batch " + std::to_string(batch) +
                   " (samples " + indexList(begin, end) +
                   ") failed with an unknown exception";
    }
    return slot;
  }

  std::string indexList(size_t begin, size_t end) const {
    std::string s;
    for (size_t i = begin; i < end && i < begin + 8; ++i)
      s += (i > begin ? ", " : "") + std::to_string(indices_[i]);
    return end - begin > 8 ? s + ", ..." : s;
  }

  /// A worker: claims the next batch within the prefetch window, loads it,
  /// and files it for advance(), until the epoch ends or stops.
  void work(size_t worker) override {
    std::unique_lock lock(mutex_);
    while (true) {
      space_.wait(lock, [&] {
        return stopping_ || claimed_ >= numBatches_ ||
               claimed_ < consumed_ + window_;
      });
      if (stopping_ || claimed_ >= numBatches_)
        return;
      size_t batch = claimed_++;
      lock.unlock();
      Slot slot = load(batch, worker);
      lock.lock();
      done_.emplace(batch, std::move(slot));
      ready_.notify_all();
    }
  }

  std::shared_ptr<data::Dataset<data::Example<>>> dataset_;
  data::CollateFn collate_;
  std::vector<size_t> indices_;
  size_t batchSize_;
  size_t numBatches_;
  /// Batches loaded or being loaded but not yet taken, at most.
  size_t window_;
  size_t next_ = 0; ///< the batch advance() takes next

  std::map<size_t, Slot> done_; ///< loaded, not yet taken
  size_t claimed_ = 0;          ///< batches handed to workers
  size_t consumed_ = 0;         ///< batches taken by advance()
};

/// An epoch of an IterableDataset: worker `w` reads parts w, w + W, ... into
/// a queue of its own, bounded to the prefetch budget; the iterating thread
/// reads the queues in part order and collates, so batches do not depend
/// on the number of workers.
class StreamEpoch : public LoaderEpoch {
public:
  StreamEpoch(std::shared_ptr<data::IterableDataset> dataset,
              data::CollateFn collate, std::vector<size_t> parts,
              size_t batchSize, bool dropLast, size_t numWorkers,
              size_t prefetchFactor, uint64_t seed, uint64_t epoch,
              std::shared_ptr<WorkerPool> pool)
      : LoaderEpoch(seed, epoch, std::move(pool)), dataset_(std::move(dataset)),
        collate_(std::move(collate)), parts_(std::move(parts)),
        batchSize_(batchSize), dropLast_(dropLast),
        capacity_(std::max<size_t>(1, prefetchFactor * batchSize)) {
    size_t threads = std::min(numWorkers, parts_.size());
    queues_.resize(threads);
    startWorkers(threads);
  }

  ~StreamEpoch() override { stop(); }

private:
  /// A sample, the end of a part (neither sample nor error), or a failure.
  struct Item {
    std::optional<data::Example<>> sample;
    std::string error;
  };

  /// A sample's SampleSeed index: its part and its position there, which
  /// do not depend on who reads it.
  static uint64_t key(size_t part, uint64_t position) {
    return uint64_t(part) << 32 | position;
  }

  bool advanceBatch() override {
    if (finished_)
      return false;
    std::vector<data::Example<>> samples;
    while (samples.size() < batchSize_ && slot_ < parts_.size()) {
      std::optional<data::Example<>> sample = nextSample();
      if (sample)
        samples.push_back(std::move(*sample));
      else
        ++slot_;
    }
    if (samples.empty() || (dropLast_ && samples.size() < batchSize_)) {
      finished_ = true;
      current_ = {};
      return false;
    }
    size_t batch = batches_++;
    try {
      current_ = collate_(std::move(samples));
    } catch (const std::exception &e) {
      finished_ = true;
      throw Error("DataLoader: collating batch " + std::to_string(batch) +
                  " failed: " + e.what());
    }
    return true;
  }

  /// The next sample of the current part, or nullopt at its end.
  std::optional<data::Example<>> nextSample() {
    if (queues_.empty()) {
      size_t part = parts_[slot_];
      Item item = read(part, stream_, position_, std::nullopt);
      ++position_;
      if (!item.error.empty()) {
        finished_ = true;
        throw Error(item.error);
      }
      if (!item.sample) {
        stream_.reset();
        position_ = 0;
      }
      return std::move(item.sample);
    }
    std::deque<Item> &queue = queues_[slot_ % queues_.size()];
    std::unique_lock lock(mutex_);
    ready_.wait(lock, [&] { return !queue.empty(); });
    Item item = std::move(queue.front());
    queue.pop_front();
    lock.unlock();
    space_.notify_all();
    if (!item.error.empty()) {
      finished_ = true;
      throw Error(item.error);
    }
    return std::move(item.sample);
  }

  /// Reads sample `position` of `part` from `stream`, opening it first
  /// when null; failures become the item's error.
  Item read(size_t part, std::unique_ptr<data::ExampleStream> &stream,
            uint64_t position, std::optional<size_t> worker) {
    Item item;
    std::string what = "opening part " + std::to_string(part);
    try {
      if (!stream)
        stream = dataset_->open(part, epoch_);
      if (!stream)
        throw Error("open() returned no stream");
      what = "loading sample " + std::to_string(position) + " of part " +
             std::to_string(part);
      data::SampleSeed scope(seed_, epoch_, key(part, position));
      item.sample = stream->next();
    } catch (const std::exception &e) {
      item.error = who(worker) + what + " failed: " + e.what();
    } catch (...) {
      item.error = who(worker) + what + " failed with an unknown exception";
    }
    return item;
  }

  void work(size_t worker) override {
    size_t count = queues_.size();
    for (size_t slot = worker; slot < parts_.size(); slot += count) {
      std::unique_ptr<data::ExampleStream> stream;
      for (uint64_t position = 0;; ++position) {
        if (stopping_)
          return;
        Item item = read(parts_[slot], stream, position, worker);
        bool last = !item.sample; // the part's end, or a failure
        bool failed = !item.error.empty();
        std::unique_lock lock(mutex_);
        space_.wait(lock, [&] {
          return stopping_ || queues_[worker].size() < capacity_;
        });
        if (stopping_)
          return;
        queues_[worker].push_back(std::move(item));
        lock.unlock();
        ready_.notify_all();
        if (failed)
          return;
        if (last)
          break;
      }
    }
  }

  std::shared_ptr<data::IterableDataset> dataset_;
  data::CollateFn collate_;
  std::vector<size_t> parts_;
  size_t batchSize_;
  bool dropLast_;
  /// Items each worker's queue holds at most.
  size_t capacity_;
  size_t slot_ = 0;    ///< the position in parts_ being read
  size_t batches_ = 0; ///< batches made so far
  // Without workers: the open stream and the next sample's position in it.
  std::unique_ptr<data::ExampleStream> stream_;
  uint64_t position_ = 0;

  std::vector<std::deque<Item>> queues_; ///< one per worker, under mutex_
};

/// An epoch of LibTorch's loaders: workers claim batch numbers within the
/// max_jobs window and run the loader's load function on them; advance()
/// takes the next in order, or the first finished. Without a count, the
/// epoch ends when a load reports that the source has run out (a stateful
/// dataset): no batch is claimed after that, and those already claimed are
/// still delivered.
class JobEpoch : public LoaderEpoch {
public:
  JobEpoch(std::optional<size_t> count, std::shared_ptr<WorkerPool> pool,
           size_t maxJobs, bool ordered,
           std::optional<std::chrono::milliseconds> timeout,
           BatchJobs::Load load)
      : LoaderEpoch(0, 0, pool), load_(std::move(load)),
        count_(count.value_or(SIZE_MAX)), window_(std::max<size_t>(1, maxJobs)),
        ordered_(ordered), timeout_(timeout) {
    if (pool)
      startWorkers(std::min(pool->size(), count_));
  }
  ~JobEpoch() override { stop(); }

  size_t taken() const { return taken_; }

private:
  /// A finished load: its failure's message, or whether it made a batch.
  struct Result {
    std::string error;
    bool made = false;
  };

  bool advanceBatch() override {
    while (true) {
      if (next_ == count_ || (exhausted_ && !hasWorkers())) {
        finished_ = true;
        return false;
      }
      size_t batch;
      Result result;
      if (!hasWorkers()) {
        batch = next_++;
        result = run(batch, std::nullopt);
        exhausted_ = result.error.empty() && !result.made;
      } else {
        std::unique_lock lock(mutex_);
        // Nothing more will be claimed, and every claimed batch is taken.
        auto over = [&] {
          return (exhausted_ || claimed_ >= count_) && next_ >= claimed_;
        };
        auto ready = [&] {
          return over() ||
                 (ordered_ ? done_.contains(next_) : !finishOrder_.empty());
        };
        if (!timeout_)
          ready_.wait(lock, ready);
        else if (!ready_.wait_for(lock, *timeout_, ready))
          throw Error("DataLoader: timed out after " +
                      std::to_string(timeout_->count()) +
                      " ms waiting for a batch from the workers");
        if (!ordered_ ? finishOrder_.empty() : !done_.contains(next_)) {
          finished_ = true;
          return false;
        }
        batch = ordered_ ? next_ : finishOrder_.front();
        if (!ordered_)
          finishOrder_.pop_front();
        result = std::move(done_[batch]);
        done_.erase(batch);
        consumed_ = ++next_;
        lock.unlock();
        space_.notify_all();
      }
      if (!result.error.empty())
        throw Error(result.error);
      if (result.made) {
        taken_ = batch;
        return true;
      }
    }
  }

  /// Loads batch `batch`.
  Result run(size_t batch, std::optional<size_t> worker) {
    std::string what = "loading batch " + std::to_string(batch) + " failed";
    Result result;
    try {
      result.made = load_(batch, worker.value_or(0));
    } catch (const std::exception &e) {
      result.error = who(worker) + what + ": " + e.what();
    } catch (...) {
      result.error = who(worker) + what + " with an unknown exception";
    }
    return result;
  }

  void work(size_t worker) override {
    std::unique_lock lock(mutex_);
    while (true) {
      space_.wait(lock, [&] {
        return stopping_ || exhausted_ || claimed_ >= count_ ||
               claimed_ < consumed_ + window_;
      });
      if (stopping_ || exhausted_ || claimed_ >= count_)
        return;
      size_t batch = claimed_++;
      lock.unlock();
      Result result = run(batch, worker);
      lock.lock();
      if (result.error.empty() && !result.made)
        exhausted_ = true;
      done_.emplace(batch, std::move(result));
      finishOrder_.push_back(batch);
      ready_.notify_all();
    }
  }

  BatchJobs::Load load_;
  size_t count_;
  size_t window_;
  bool ordered_;
  std::optional<std::chrono::milliseconds> timeout_;
  size_t next_ = 0;  ///< batches taken by advance()
  size_t taken_ = 0; ///< the batch advance() took last

  std::map<size_t, Result> done_;  ///< finished, not yet taken
  std::deque<size_t> finishOrder_; ///< done_'s batches, as they finished
  size_t claimed_ = 0;             ///< batches handed to workers
  size_t consumed_ = 0;            ///< batches taken by advance()
  bool exhausted_ = false;         ///< a load found the source empty
};

std::shared_ptr<WorkerPool> makeWorkerPool(size_t threads) {
  return std::make_shared<WorkerPool>(threads);
}

BatchJobs::BatchJobs(std::optional<size_t> count,
                     std::shared_ptr<WorkerPool> pool, size_t max_jobs,
                     bool ordered,
                     std::optional<std::chrono::milliseconds> timeout,
                     Load load)
    : epoch_(std::make_shared<JobEpoch>(count, std::move(pool), max_jobs,
                                        ordered, timeout, std::move(load))) {}

BatchJobs::~BatchJobs() { epoch_->abandon(); }

std::optional<size_t> BatchJobs::next() {
  if (epoch_->finished() || !epoch_->advance())
    return std::nullopt;
  return static_cast<JobEpoch &>(*epoch_).taken();
}

} // namespace kiln::detail

namespace kiln::data {

//===----------------------------------------------------------------------===//
// The DataLoader
//===----------------------------------------------------------------------===//

DataLoader::DataLoader(std::shared_ptr<Dataset<Example<>>> dataset,
                       LoaderOptions options)
    : dataset_(std::move(dataset)), options_(std::move(options)) {
  if (!dataset_)
    throw Error("DataLoader: the dataset is null");
  validate();
  if (options_.sampler)
    sampler_ = options_.sampler;
  else if (options_.shuffle)
    sampler_ = std::make_shared<RandomSampler>(dataset_->size(), seed_);
  else
    sampler_ = std::make_shared<SequentialSampler>(dataset_->size());
}

DataLoader::DataLoader(std::shared_ptr<IterableDataset> dataset,
                       LoaderOptions options)
    : stream_(std::move(dataset)), options_(std::move(options)) {
  if (!stream_)
    throw Error("DataLoader: the dataset is null");
  if (options_.sampler || options_.shuffle)
    throw Error("DataLoader: an iterable dataset orders its samples itself; "
                "the sampler and shuffle options must be unset");
  validate();
}

void DataLoader::validate() {
  if (options_.batch_size == 0)
    throw Error("DataLoader: batch_size must be at least 1");
  if (options_.num_workers > 0 && options_.prefetch_factor == 0)
    throw Error("DataLoader: prefetch_factor must be at least 1 with "
                "num_workers > 0");
  if (options_.sampler && options_.shuffle)
    throw Error("DataLoader: the sampler option is mutually exclusive with "
                "shuffle");
  if (options_.persistent_workers && options_.num_workers == 0)
    throw Error("DataLoader: persistent_workers needs num_workers > 0");
  seed_ = options_.seed ? *options_.seed : kiln::detail::drawSeed();
}

size_t DataLoader::size() const {
  if (stream_)
    throw Error("DataLoader: an iterable dataset has no length; count the "
                "batches as they come");
  size_t n = sampler_->size(), batch = options_.batch_size;
  return options_.drop_last ? n / batch : n / batch + (n % batch != 0);
}

Dataset<Example<>> &DataLoader::dataset() const {
  if (!dataset_)
    throw Error("DataLoader: dataset() is for map-style datasets; this "
                "loader reads an iterable one");
  return *dataset_;
}

const Sampler &DataLoader::sampler() const {
  if (!sampler_)
    throw Error("DataLoader: a loader of an iterable dataset has no sampler");
  return *sampler_;
}

DataLoader::Iterator DataLoader::begin() {
  std::shared_ptr<kiln::detail::WorkerPool> pool;
  if (options_.persistent_workers) {
    // One epoch at a time on the pool: a new one ends the one before.
    if (auto previous = workers_.last.lock())
      previous->abandon();
    if (!workers_.pool)
      workers_.pool =
          std::make_shared<kiln::detail::WorkerPool>(options_.num_workers);
    pool = workers_.pool;
  }
  uint64_t epoch = epoch_++;
  size_t batch = options_.batch_size;
  CollateFn collate =
      options_.collate_fn ? options_.collate_fn : CollateFn(default_collate);
  std::shared_ptr<kiln::detail::LoaderEpoch> state;
  if (stream_) {
    std::vector<size_t> parts = stream_->parts(epoch);
    for (size_t part : parts)
      if (part >= stream_->num_parts())
        throw Error("DataLoader: the dataset's parts(" + std::to_string(epoch) +
                    ") lists part " + std::to_string(part) + " of " +
                    std::to_string(stream_->num_parts()));
    if (parts.empty())
      return end();
    state = std::make_shared<kiln::detail::StreamEpoch>(
        stream_, std::move(collate), std::move(parts), batch,
        options_.drop_last, options_.num_workers, options_.prefetch_factor,
        seed_, epoch, std::move(pool));
  } else {
    std::vector<size_t> indices = sampler_->indices(epoch);
    size_t batches = options_.drop_last ? indices.size() / batch
                                        : indices.size() / batch +
                                              (indices.size() % batch != 0);
    if (batches == 0)
      return end();
    state = std::make_shared<kiln::detail::MapEpoch>(
        dataset_, std::move(collate), std::move(indices), batch, batches,
        options_.num_workers, options_.prefetch_factor, seed_, epoch,
        std::move(pool));
  }
  if (options_.persistent_workers)
    workers_.last = state;
  if (!state->advance())
    return end();
  return Iterator(std::move(state));
}

Example<> &DataLoader::Iterator::operator*() const {
  if (!state_ || state_->finished())
    throw Error("DataLoader: dereferencing the end of an epoch");
  return state_->current();
}

DataLoader::Iterator &DataLoader::Iterator::operator++() {
  if (!state_ || state_->finished())
    throw Error("DataLoader: advancing past the end of an epoch");
  if (!state_->advance())
    state_.reset();
  return *this;
}

bool DataLoader::Iterator::operator==(const Iterator &other) const {
  auto atEnd = [](const auto &state) { return !state || state->finished(); };
  return state_ == other.state_ || (atEnd(state_) && atEnd(other.state_));
}

} // namespace kiln::data

namespace kiln::data::detail {

void checkLoaderOptions(const FullDataLoaderOptions &options) {
  if (options.batch_size == 0)
    throw Error("DataLoader: batch_size must be at least 1");
}

void unsizedDataset() {
  throw Error("make_data_loader: the dataset has no size(), so no sampler "
              "can be made for it; pass a sampler");
}

void badIterator(const char *what) {
  throw Error(std::string("DataLoader: ") + what);
}

} // namespace kiln::data::detail
