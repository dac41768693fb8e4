/* One engine used from many threads through the C ABI (C11 atomics, POSIX threads): private projects edited
 * in parallel, one project shared by several writers, and projects closed while another thread uses them.
 * Run under ThreadSanitizer by the `concurrency` label. (POSIX threads rather than C11 <threads.h>: GCC 12's
 * ThreadSanitizer does not intercept thrd_create.) */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include "check.h"

enum { kPrivateThreads = 4, kSharedWriters = 3, kRounds = 150, kBatch = 16 };

static voxd_engine* engine = NULL;
static voxd_project shared_project = 0;
static atomic_uint_fast64_t live_handle;
static atomic_int closer_done;
static atomic_int unexpected_statuses;

static void fill_batch(voxd_voxel* batch, int32_t x, int32_t round, uint8_t shade) {
  int i;
  for (i = 0; i < kBatch; ++i) {
    batch[i].x = x;
    batch[i].y = round;
    batch[i].z = i;
    batch[i].color.r = shade;
    batch[i].color.g = (uint8_t)round;
    batch[i].color.b = (uint8_t)i;
    batch[i].color.a = 255;
  }
}

/* Edits its own project; every read sees exactly its own writes. */
static void* private_worker(void* arg) {
  const int id = *(const int*)arg;
  voxd_project p = 0;
  voxd_voxel batch[kBatch];
  voxd_vec3 where[kBatch];
  voxd_color got[kBatch];
  int round;
  int i;
  if (voxd_project_create(engine, "private", 7, &p, NULL) != VOXD_OK) {
    atomic_fetch_add(&unexpected_statuses, 1);
    return NULL;
  }
  for (round = 0; round < kRounds; ++round) {
    int64_t count = 0;
    fill_batch(batch, id, round, (uint8_t)(id * 40));
    for (i = 0; i < kBatch; ++i) {
      where[i].x = batch[i].x;
      where[i].y = batch[i].y;
      where[i].z = batch[i].z;
    }
    if (voxd_voxels_set(engine, p, VOXD_LAYER_ACTIVE, batch, kBatch, NULL) != VOXD_OK ||
        voxd_voxels_get(engine, p, VOXD_LAYER_VISIBLE, where, kBatch, got, NULL) != VOXD_OK ||
        voxd_query_count(engine, p, VOXD_LAYER_VISIBLE, &count, NULL) != VOXD_OK) {
      atomic_fetch_add(&unexpected_statuses, 1);
      continue;
    }
    for (i = 0; i < kBatch; ++i) {
      if (got[i].r != batch[i].color.r || got[i].g != batch[i].color.g || got[i].b != batch[i].color.b) {
        atomic_fetch_add(&unexpected_statuses, 1);
      }
    }
    if (count != (int64_t)(round + 1) * kBatch) {
      atomic_fetch_add(&unexpected_statuses, 1);
    }
  }
  if (voxd_project_close(engine, p, NULL) != VOXD_OK) {
    atomic_fetch_add(&unexpected_statuses, 1);
  }
  return NULL;
}

/* Several writers on one project: each request applies whole, so the final count is the sum. */
static void* shared_writer(void* arg) {
  const int id = *(const int*)arg;
  voxd_voxel batch[kBatch];
  int round;
  for (round = 0; round < kRounds; ++round) {
    fill_batch(batch, 100 + id, round, 7);
    if (voxd_voxels_set(engine, shared_project, VOXD_LAYER_ACTIVE, batch, kBatch, NULL) != VOXD_OK) {
      atomic_fetch_add(&unexpected_statuses, 1);
    }
  }
  return NULL;
}

/* Creates, edits and closes projects over and over, publishing each handle while it is open. */
static void* closer(void* arg) {
  int round;
  voxd_voxel batch[kBatch];
  (void)arg;
  for (round = 0; round < kRounds; ++round) {
    voxd_project p = 0;
    if (voxd_project_create(engine, "short-lived", 10, &p, NULL) != VOXD_OK) {
      atomic_fetch_add(&unexpected_statuses, 1);
      continue;
    }
    atomic_store(&live_handle, p);
    fill_batch(batch, 0, round, 1);
    if (voxd_voxels_set(engine, p, VOXD_LAYER_ACTIVE, batch, kBatch, NULL) != VOXD_OK) {
      atomic_fetch_add(&unexpected_statuses, 1);
    }
    if (voxd_project_close(engine, p, NULL) != VOXD_OK) {
      atomic_fetch_add(&unexpected_statuses, 1);
    }
  }
  atomic_store(&closer_done, 1);
  return NULL;
}

/* Uses whatever handle the closer published: every call either works or reports a stale handle. */
static void* stale_user(void* arg) {
  int calls = 0;
  voxd_voxel batch[kBatch];
  (void)arg;
  fill_batch(batch, 1, 0, 2);
  while (!atomic_load(&closer_done) || calls < 10) {
    const voxd_project p = (voxd_project)atomic_load(&live_handle);
    int64_t count = 0;
    voxd_error* error = NULL;
    const voxd_status set = voxd_voxels_set(engine, p, VOXD_LAYER_ACTIVE, batch, kBatch, &error);
    const voxd_status read = voxd_query_count(engine, p, VOXD_LAYER_VISIBLE, &count, NULL);
    if ((set != VOXD_OK && set != VOXD_ERROR_STALE_HANDLE) || (read != VOXD_OK && read != VOXD_ERROR_STALE_HANDLE) ||
        (set != VOXD_OK && voxd_error_code(error) != set)) {
      atomic_fetch_add(&unexpected_statuses, 1);
    }
    voxd_error_free(&error);
    ++calls;
  }
  return NULL;
}

int main(void) {
  voxd_error* err = NULL;
  pthread_t threads[kPrivateThreads + kSharedWriters + 2];
  int ids[kPrivateThreads + kSharedWriters];
  int n = 0;
  int i;
  int64_t shared_count = 0;
  size_t open_projects = 99;

  atomic_init(&live_handle, 0);
  atomic_init(&closer_done, 0);
  atomic_init(&unexpected_statuses, 0);
  EXPECT_OK(voxd_engine_create(NULL, &engine, &err));
  EXPECT_OK(voxd_project_create(engine, "shared", 6, &shared_project, &err));
  if (engine == NULL) {
    return check_report("capi_threads_test");
  }

  for (i = 0; i < kPrivateThreads; ++i, ++n) {
    ids[n] = i;
    CHECK(pthread_create(&threads[n], NULL, private_worker, &ids[n]) == 0);
  }
  for (i = 0; i < kSharedWriters; ++i, ++n) {
    ids[n] = i;
    CHECK(pthread_create(&threads[n], NULL, shared_writer, &ids[n]) == 0);
  }
  CHECK(pthread_create(&threads[n++], NULL, closer, NULL) == 0);
  CHECK(pthread_create(&threads[n++], NULL, stale_user, NULL) == 0);
  for (i = 0; i < n; ++i) {
    CHECK(pthread_join(threads[i], NULL) == 0);
  }

  CHECK(atomic_load(&unexpected_statuses) == 0);
  EXPECT_OK(voxd_query_count(engine, shared_project, VOXD_LAYER_VISIBLE, &shared_count, &err));
  CHECK(shared_count == (int64_t)kSharedWriters * kRounds * kBatch);
  EXPECT_OK(voxd_engine_project_count(engine, &open_projects, &err));
  CHECK(open_projects == 1);
  voxd_engine_destroy(&engine);
  return check_report("capi_threads_test");
}
