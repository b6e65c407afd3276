// Splits a kernel's work over the machine's cores: TensorFlow.js's wasm backend has one
// thread in Node, so this is where the second core comes in.
#pragma once

namespace ddrl {

/** Runs task(context, i) for every i in [0, tasks), spread over the pool and the caller. */
void parallel_for(int tasks, void (*task)(void* context, int index), void* context);

/** Threads that share the work (the caller included). */
int pool_threads();

template <typename F>
void parallel_for(int tasks, F& body) {
  parallel_for(
      tasks, [](void* context, int index) { (*static_cast<F*>(context))(index); }, &body);
}

}  // namespace ddrl
