#include "thread_pool.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

namespace ddrl {
namespace {

/**
 * Workers that sleep until a job is posted, then take task indexes from a shared counter
 * alongside the caller. One job at a time: a second caller (another worker_thread of the
 * same process) that finds the pool busy runs its tasks alone instead of waiting.
 */
class ThreadPool {
 public:
  explicit ThreadPool(int threads) {
    for (int i = 1; i < threads; i++) std::thread([this] { work(); }).detach();
    threads_ = threads;
  }

  int threads() const { return threads_; }

  void run(int tasks, void (*task)(void*, int), void* context) {
    std::unique_lock<std::mutex> busy(busy_, std::try_to_lock);
    if (threads_ == 1 || tasks == 1 || !busy.owns_lock()) {
      for (int i = 0; i < tasks; i++) task(context, i);
      return;
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      task_ = task;
      context_ = context;
      tasks_ = tasks;
      next_.store(0);
      running_ = threads_ - 1;
      generation_++;
    }
    start_.notify_all();
    drain();
    std::unique_lock<std::mutex> lock(mutex_);
    done_.wait(lock, [this] { return running_ == 0; });
  }

 private:
  void drain() {
    for (int i = next_.fetch_add(1); i < tasks_; i = next_.fetch_add(1)) task_(context_, i);
  }

  void work() {
    unsigned long seen = 0;
    for (;;) {
      {
        std::unique_lock<std::mutex> lock(mutex_);
        start_.wait(lock, [&] { return generation_ != seen; });
        seen = generation_;
      }
      drain();
      std::lock_guard<std::mutex> lock(mutex_);
      if (--running_ == 0) done_.notify_one();
    }
  }

  int threads_ = 1;
  std::mutex busy_;
  std::mutex mutex_;
  std::condition_variable start_;
  std::condition_variable done_;
  unsigned long generation_ = 0;
  int running_ = 0;
  void (*task_)(void*, int) = nullptr;
  void* context_ = nullptr;
  int tasks_ = 0;
  std::atomic<int> next_{0};
};

int configured_threads() {
  const char* env = std::getenv("DDRL_THREADS");
  int threads = env ? std::atoi(env) : static_cast<int>(std::thread::hardware_concurrency());
  return std::clamp(threads, 1, 64);
}

ThreadPool& pool() {
  static ThreadPool* instance = new ThreadPool(configured_threads());  // never destroyed: workers are detached
  return *instance;
}

}  // namespace

void parallel_for(int tasks, void (*task)(void*, int), void* context) {
  if (tasks > 0) pool().run(tasks, task, context);
}

int pool_threads() { return pool().threads(); }

}  // namespace ddrl
