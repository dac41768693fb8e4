/* A program outside the voxd tree, built against an installed voxd (find_package or pkg-config). */
#include <stdio.h>
#include <string.h>

#include <voxd/voxd.h>

int main(void) {
  voxd_engine* engine = NULL;
  voxd_project project = 0;
  voxd_error* error = NULL;
  const voxd_voxel voxels[2] = {{0, 0, 0, {255, 128, 0, 255}}, {1, 0, 0, {255, 128, 0, 255}}};
  int64_t count = 0;
  int ok = voxd_version() == VOXD_VERSION_NUMBER && strcmp(voxd_version_string(), "") != 0;

  ok = ok && voxd_engine_create(NULL, &engine, &error) == VOXD_OK;
  ok = ok && voxd_project_create(engine, "consumer", VOXD_NUL_TERMINATED, &project, &error) == VOXD_OK;
  ok = ok && voxd_voxels_set(engine, project, VOXD_LAYER_ACTIVE, voxels, 2, &error) == VOXD_OK;
  ok = ok && voxd_query_count(engine, project, VOXD_LAYER_VISIBLE, &count, &error) == VOXD_OK && count == 2;
  if (error != NULL) {
    fprintf(stderr, "consumer: %s: %s\n", voxd_status_name(voxd_error_code(error)), voxd_error_message(error));
    voxd_error_free(&error);
  }
  voxd_engine_destroy(&engine);
  printf("consumer: libvoxd %s, %lld voxels: %s\n", voxd_version_string(), (long long)count, ok ? "ok" : "FAILED");
  return ok ? 0 : 1;
}
