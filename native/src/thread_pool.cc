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

/** A polite busy-wait step: lets the sibling hyperthread (or the OS) run. */
inline void relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#else
  std::this_thread::yield();
#endif
}

/**
 * Spins (about 0.1 ms here, a pause is ~50 ns) before sleeping: a training step runs hundreds
 * of short kernels back to back, tens of microseconds apart; longer spins only take the CPU
 * from whatever else runs (another process's training, the games).
 */
constexpr int kSpins = 2000;

/**
 * Workers that spin briefly, then sleep, until a job is posted, and take task indexes
 * from a shared counter alongside the caller. One job at a time: a second caller (another
 * worker_thread of the same process) that finds the pool busy runs its tasks alone.
 */
class ThreadPool {
 public:
  explicit ThreadPool(int threads) : threads_(threads) {
    for (int i = 1; i < threads; i++) std::thread([this] { work(); }).detach();
  }

  int threads() const { return threads_; }

  void run(int tasks, void (*task)(void*, int), void* context) {
    std::unique_lock<std::mutex> busy(busy_, std::try_to_lock);
    if (threads_ == 1 || tasks == 1 || !busy.owns_lock()) {
      for (int i = 0; i < tasks; i++) task(context, i);
      return;
    }
    task_ = task;
    context_ = context;
    tasks_ = tasks;
    next_.store(0, std::memory_order_relaxed);
    running_.store(threads_ - 1, std::memory_order_relaxed);
    {
      // Under the lock, so a worker about to sleep either sees the new generation or is woken.
      std::lock_guard<std::mutex> lock(mutex_);
      generation_.fetch_add(1, std::memory_order_release);
    }
    start_.notify_all();
    drain();
    for (int spin = 0; running_.load(std::memory_order_acquire) != 0; spin++) {
      if (spin < kSpins)
        relax();
      else
        std::this_thread::yield();
    }
  }

 private:
  void drain() {
    for (int i = next_.fetch_add(1, std::memory_order_relaxed); i < tasks_; i = next_.fetch_add(1, std::memory_order_relaxed)) task_(context_, i);
  }

  void work() {
    unsigned long seen = 0;
    for (;;) {
      for (int spin = 0; spin < kSpins && generation_.load(std::memory_order_acquire) == seen; spin++) relax();
      if (generation_.load(std::memory_order_acquire) == seen) {
        std::unique_lock<std::mutex> lock(mutex_);
        start_.wait(lock, [&] { return generation_.load(std::memory_order_acquire) != seen; });
      }
      seen = generation_.load(std::memory_order_acquire);
      drain();
      running_.fetch_sub(1, std::memory_order_release);
    }
  }

  const int threads_;
  std::mutex busy_;
  std::mutex mutex_;
  std::condition_variable start_;
  std::atomic<unsigned long> generation_{0};
  std::atomic<int> running_{0};
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
