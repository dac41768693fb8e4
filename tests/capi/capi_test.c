/* The C ABI driven from plain C11: every function, every misuse the header promises to refuse, and the Goxel
 * crash sequence (two projects, close one, use the stale handle). */
#include <stdint.h>
#include <stdlib.h>

#include "check.h"

static voxd_error* err = NULL;

static voxd_color rgba(uint8_t r, uint8_t g, uint8_t b, uint8_t a) {
  voxd_color c;
  c.r = r;
  c.g = g;
  c.b = b;
  c.a = a;
  return c;
}

static voxd_vec3 vec3(int32_t x, int32_t y, int32_t z) {
  voxd_vec3 v;
  v.x = x;
  v.y = y;
  v.z = z;
  return v;
}

static voxd_box box(int32_t x0, int32_t y0, int32_t z0, int32_t x1, int32_t y1, int32_t z1) {
  voxd_box b;
  b.min = vec3(x0, y0, z0);
  b.max = vec3(x1, y1, z1);
  return b;
}

static int same_color(voxd_color a, voxd_color b) { return a.r == b.r && a.g == b.g && a.b == b.b && a.a == b.a; }

static voxd_project new_project(voxd_engine* engine, const char* name) {
  voxd_project p = 0;
  EXPECT_OK(voxd_project_create(engine, name, VOXD_NUL_TERMINATED, &p, &err));
  return p;
}

static int64_t count_of(voxd_engine* engine, voxd_project p, uint32_t layer) {
  int64_t n = -1;
  EXPECT_OK(voxd_query_count(engine, p, layer, &n, &err));
  return n;
}

static voxd_shape shape(voxd_shape_kind kind, voxd_blend_mode mode, voxd_box bounds, voxd_color color) {
  voxd_shape s;
  memset(&s, 0, sizeof s);
  s.struct_size = sizeof s;
  s.kind = kind;
  s.mode = mode;
  s.bounds = bounds;
  s.color = color;
  return s;
}

static void test_version_and_errors(void) {
  char expected[32];
  snprintf(expected, sizeof expected, "%d.%d.%d", VOXD_VERSION_MAJOR, VOXD_VERSION_MINOR, VOXD_VERSION_PATCH);
  CHECK(voxd_version() == VOXD_VERSION_NUMBER);
  CHECK(strcmp(voxd_version_string(), expected) == 0);

  CHECK(strcmp(voxd_status_name(VOXD_OK), "ok") == 0);
  CHECK(strcmp(voxd_status_name(VOXD_ERROR_STALE_HANDLE), "stale handle") == 0);
  CHECK(strcmp(voxd_status_name(VOXD_ERROR_LIMIT_EXCEEDED), "limit exceeded") == 0);
  CHECK(voxd_status_name(12345) != NULL && voxd_status_name(-7) != NULL);

  /* Accessors and free accept NULL; free nulls the pointer, so a second free is harmless. */
  CHECK(voxd_error_code(NULL) == VOXD_ERROR_INVALID_ARGUMENT);
  CHECK(strcmp(voxd_error_message(NULL), "") == 0);
  voxd_error_free(NULL);
  {
    voxd_error* e = NULL;
    voxd_error_free(&e);
    CHECK(voxd_engine_create(NULL, NULL, &e) == VOXD_ERROR_INVALID_ARGUMENT);
    CHECK(e != NULL && strstr(voxd_error_message(e), "out") != NULL);
    voxd_error_free(&e);
    CHECK(e == NULL);
    voxd_error_free(&e);
  }
  /* The error argument itself is optional. */
  CHECK(voxd_engine_create(NULL, NULL, NULL) == VOXD_ERROR_INVALID_ARGUMENT);

  voxd_bytes_free(NULL);
  {
    voxd_bytes empty = {NULL, 0};
    voxd_bytes_free(&empty);
  }
}

static void test_engine(void) {
  voxd_engine_options options;
  voxd_engine* engine = NULL;
  size_t n = 99;

  EXPECT(VOXD_ERROR_INVALID_ARGUMENT, voxd_engine_options_init(NULL, &err));
  EXPECT_OK(voxd_engine_options_init(&options, &err));
  CHECK(options.struct_size == sizeof options);
  CHECK(options.max_projects > 0 && options.max_voxels > 0 && options.max_voxels_per_operation > 0);

  /* struct_size that is not this header's: refused, not read past. */
  options.struct_size = 0;
  EXPECT(VOXD_ERROR_INVALID_ARGUMENT, voxd_engine_create(&options, &engine, &err));
  options.struct_size = SIZE_MAX;
  EXPECT(VOXD_ERROR_INVALID_ARGUMENT, voxd_engine_create(&options, &engine, &err));
  CHECK(engine == NULL);
  EXPECT_OK(voxd_engine_options_init(&options, &err));
  options.max_voxels = -1;
  EXPECT(VOXD_ERROR_INVALID_ARGUMENT, voxd_engine_create(&options, &engine, &err));

  /* The max_projects limit. */
  EXPECT_OK(voxd_engine_options_init(&options, &err));
  options.max_projects = 2;
  EXPECT_OK(voxd_engine_create(&options, &engine, &err));
  CHECK(engine != NULL);
  {
    voxd_project a = new_project(engine, "a");
    voxd_project b = new_project(engine, "b");
    voxd_project c = 0;
    uint64_t handles[4] = {0, 0, 0, 0};
    EXPECT(VOXD_ERROR_LIMIT_EXCEEDED, voxd_project_create(engine, "c", 1, &c, &err));
    EXPECT_OK(voxd_engine_project_count(engine, &n, &err));
    CHECK(n == 2);
    EXPECT_OK(voxd_engine_list_projects(engine, NULL, 0, &n, &err));
    CHECK(n == 2);
    EXPECT_OK(voxd_engine_list_projects(engine, handles, 1, &n, &err));
    CHECK(n == 2 && (handles[0] == a || handles[0] == b) && handles[1] == 0);
    EXPECT_OK(voxd_engine_list_projects(engine, handles, 4, &n, &err));
    CHECK(n == 2 && handles[0] != handles[1] && (handles[0] == a || handles[0] == b) &&
          (handles[1] == a || handles[1] == b));
    EXPECT(VOXD_ERROR_INVALID_ARGUMENT, voxd_engine_list_projects(engine, NULL, 4, &n, &err));
    EXPECT(VOXD_ERROR_INVALID_ARGUMENT, voxd_engine_list_projects(engine, handles, 4, NULL, &err));
    EXPECT_OK(voxd_project_close(engine, a, &err));
    EXPECT_OK(voxd_project_create(engine, "c", 1, &c, &err));
    CHECK(c != a && c != b && c != 0);
  }
  EXPECT(VOXD_ERROR_INVALID_ARGUMENT, voxd_engine_project_count(NULL, &n, &err));
  EXPECT(VOXD_ERROR_INVALID_ARGUMENT, voxd_engine_project_count(engine, NULL, &err));
  EXPECT(VOXD_ERROR_INVALID_ARGUMENT, voxd_engine_list_projects(NULL, NULL, 0, &n, &err));

  /* Destroy with projects open frees them; destroy nulls the pointer, so destroying twice is a no-op. */
  voxd_engine_destroy(&engine);
  CHECK(engine == NULL);
  voxd_engine_destroy(&engine);
  voxd_engine_destroy(NULL);
}

static void test_names(voxd_engine* engine) {
  char long_name[VOXD_MAX_NAME_BYTES + 16];
  char name[8];
  size_t len = 0;
  voxd_project p = 0;

  memset(long_name, 'x', sizeof long_name); /* no NUL anywhere */
  EXPECT(VOXD_ERROR_INVALID_ARGUMENT, voxd_project_create(engine, NULL, 3, &p, &err));
  EXPECT(VOXD_ERROR_INVALID_ARGUMENT, voxd_project_create(engine, long_name, VOXD_NUL_TERMINATED, &p, &err));
  EXPECT(VOXD_ERROR_INVALID_ARGUMENT, voxd_project_create(engine, long_name, sizeof long_name, &p, &err));
  EXPECT(VOXD_ERROR_INVALID_ARGUMENT, voxd_project_create(engine, "a\0b", 3, &p, &err));
  EXPECT(VOXD_ERROR_INVALID_ARGUMENT, voxd_project_create(engine, "a", 1, NULL, &err));
  EXPECT(VOXD_ERROR_INVALID_ARGUMENT, voxd_project_create(NULL, "a", 1, &p, &err));
  CHECK(p == 0);

  /* A length bounds the read: "castle" from a longer, unterminated buffer. */
  EXPECT_OK(voxd_project_create(engine, long_name, VOXD_MAX_NAME_BYTES, &p, &err));
  EXPECT_OK(voxd_project_get_name(engine, p, NULL, 0, &len, &err));
  CHECK(len == VOXD_MAX_NAME_BYTES);
  EXPECT_OK(voxd_project_close(engine, p, &err));

  EXPECT_OK(voxd_project_create(engine, "castle-keep", 6, &p, &err));
  EXPECT_OK(voxd_project_get_name(engine, p, name, sizeof name, &len, &err));
  CHECK(len == 6 && strcmp(name, "castle") == 0);
  EXPECT_OK(voxd_project_get_name(engine, p, name, 4, &len, &err)); /* truncated like snprintf */
  CHECK(len == 6 && strcmp(name, "cas") == 0);
  EXPECT(VOXD_ERROR_INVALID_ARGUMENT, voxd_project_get_name(engine, p, NULL, 4, &len, &err));
  EXPECT(VOXD_ERROR_INVALID_ARGUMENT, voxd_project_get_name(engine, p, name, sizeof name, NULL, &err));
  EXPECT_OK(voxd_project_close(engine, p, &err));
}

/* The sequence that crashed Goxel's daemon: a second create freed the image the first still used. */
static void test_goxel_crash_sequence(voxd_engine* engine) {
  const voxd_voxel a_voxels[2] = {{0, 0, 0, {255, 0, 0, 255}}, {1, 0, 0, {255, 0, 0, 255}}};
  const voxd_voxel b_voxels[3] = {{5, 5, 5, {0, 0, 255, 255}}, {6, 5, 5, {0, 0, 255, 255}}, {7, 5, 5, {0, 0, 255, 255}}};
  const voxd_vec3 probe[2] = {{5, 5, 5}, {0, 0, 0}};
  voxd_color colors[2];
  voxd_project_info info;
  voxd_project a = new_project(engine, "a");
  voxd_project b = new_project(engine, "b");
  CHECK(a != b);

  EXPECT_OK(voxd_voxels_set(engine, a, VOXD_LAYER_ACTIVE, a_voxels, 2, &err));
  EXPECT_OK(voxd_voxels_set(engine, b, VOXD_LAYER_ACTIVE, b_voxels, 3, &err));
  EXPECT_OK(voxd_project_close(engine, a, &err));

  /* Every use of the stale handle is an error, never a crash, and never reaches b. */
  EXPECT(VOXD_ERROR_STALE_HANDLE, voxd_voxels_set(engine, a, VOXD_LAYER_ACTIVE, a_voxels, 2, &err));
  EXPECT(VOXD_ERROR_STALE_HANDLE, voxd_voxels_get(engine, a, VOXD_LAYER_VISIBLE, probe, 2, colors, &err));
  memset(&info, 0, sizeof info);
  info.struct_size = sizeof info;
  EXPECT(VOXD_ERROR_STALE_HANDLE, voxd_project_get_info(engine, a, &info, &err));
  EXPECT(VOXD_ERROR_STALE_HANDLE, voxd_project_undo(engine, a, &err));
  EXPECT(VOXD_ERROR_STALE_HANDLE, voxd_project_close(engine, a, &err));
  EXPECT(VOXD_ERROR_STALE_HANDLE, voxd_project_close(engine, 0, &err));
  EXPECT(VOXD_ERROR_STALE_HANDLE, voxd_project_close(engine, UINT64_MAX, &err));
  EXPECT(VOXD_ERROR_STALE_HANDLE, voxd_layer_add(engine, 0x123456789abcULL, "x", 1, NULL, &err));

  /* The slot may be reused, but the old handle stays stale. */
  {
    voxd_project c = new_project(engine, "c");
    CHECK(c != a);
    EXPECT(VOXD_ERROR_STALE_HANDLE, voxd_query_count(engine, a, VOXD_LAYER_VISIBLE, &info.voxel_count, &err));
    CHECK(count_of(engine, c, VOXD_LAYER_VISIBLE) == 0);
    EXPECT_OK(voxd_project_close(engine, c, &err));
  }

  CHECK(count_of(engine, b, VOXD_LAYER_VISIBLE) == 3);
  EXPECT_OK(voxd_voxels_get(engine, b, VOXD_LAYER_VISIBLE, probe, 2, colors, &err));
  CHECK(same_color(colors[0], rgba(0, 0, 255, 255)) && colors[1].a == 0);
  EXPECT_OK(voxd_project_close(engine, b, &err));
}

static void test_voxels(voxd_engine* engine, int64_t operation_limit) {
  voxd_project p = new_project(engine, "voxels");
  voxd_voxel voxels[64];
  voxd_vec3 positions[3] = {{1, 2, 3}, {0, 0, 0}, {-5, 7, 1}};
  voxd_color colors[3];
  voxd_voxel read[64];
  size_t n = 0;
  int i;

  for (i = 0; i < 64; ++i) {
    voxels[i].x = i % 4;
    voxels[i].y = (i / 4) % 4;
    voxels[i].z = i / 16;
    voxels[i].color = rgba((uint8_t)(i * 3), 10, 20, 255);
  }
  EXPECT_OK(voxd_voxels_set(engine, p, VOXD_LAYER_ACTIVE, voxels, 64, &err));
  CHECK(count_of(engine, p, VOXD_LAYER_VISIBLE) == 64);
  EXPECT_OK(voxd_voxels_get(engine, p, VOXD_LAYER_VISIBLE, positions, 3, colors, &err));
  CHECK(same_color(colors[0], voxels[1 + 2 * 4 + 3 * 16].color));
  CHECK(same_color(colors[1], voxels[0].color));
  CHECK(colors[2].a == 0);

  /* read_box: size query, truncated read, full read. */
  {
    const voxd_box all = box(0, 0, 0, 3, 3, 3);
    const voxd_box one_row = box(0, 0, 0, 3, 0, 0);
    EXPECT_OK(voxd_voxels_read_box(engine, p, VOXD_LAYER_VISIBLE, &all, NULL, 0, &n, &err));
    CHECK(n == 64);
    memset(read, 0, sizeof read);
    EXPECT_OK(voxd_voxels_read_box(engine, p, VOXD_LAYER_VISIBLE, &all, read, 5, &n, &err));
    CHECK(n == 64 && read[4].color.a == 255 && read[5].color.a == 0);
    EXPECT_OK(voxd_voxels_read_box(engine, p, VOXD_LAYER_VISIBLE, &one_row, read, 64, &n, &err));
    CHECK(n == 4);
    for (i = 0; i < 4 && i < (int)n; ++i) {
      CHECK(read[i].y == 0 && read[i].z == 0 && read[i].x >= 0 && read[i].x <= 3);
      CHECK(same_color(read[i].color, voxels[read[i].x].color));
    }
    EXPECT(VOXD_ERROR_INVALID_ARGUMENT, voxd_voxels_read_box(engine, p, 0, NULL, read, 64, &n, &err));
    EXPECT(VOXD_ERROR_INVALID_ARGUMENT, voxd_voxels_read_box(engine, p, 0, &all, NULL, 64, &n, &err));
    EXPECT(VOXD_ERROR_INVALID_ARGUMENT, voxd_voxels_read_box(engine, p, 0, &all, read, 64, NULL, &err));
    {
      const voxd_box inverted = box(3, 0, 0, 0, 3, 3);
      const voxd_box huge = box(VOXD_MIN_COORD - 1, 0, 0, 0, 0, 0);
      EXPECT(VOXD_ERROR_INVALID_ARGUMENT, voxd_voxels_read_box(engine, p, 0, &inverted, read, 64, &n, &err));
      EXPECT(VOXD_ERROR_INVALID_ARGUMENT, voxd_voxels_read_box(engine, p, 0, &huge, read, 64, &n, &err));
    }
  }

  /* remove */
  EXPECT_OK(voxd_voxels_remove(engine, p, VOXD_LAYER_ACTIVE, positions, 3, &err));
  CHECK(count_of(engine, p, VOXD_LAYER_VISIBLE) == 62);

  /* Misuse: NULL arrays, huge counts (refused before the array is read), coordinates out of range,
   * unknown layers. Nothing is changed by any of them. */
  EXPECT(VOXD_ERROR_INVALID_ARGUMENT, voxd_voxels_set(engine, p, 0, NULL, 3, &err));
  EXPECT(VOXD_ERROR_LIMIT_EXCEEDED, voxd_voxels_set(engine, p, 0, voxels, SIZE_MAX, &err));
  EXPECT(VOXD_ERROR_LIMIT_EXCEEDED, voxd_voxels_set(engine, p, 0, NULL, SIZE_MAX / 2, &err));
  EXPECT(VOXD_ERROR_LIMIT_EXCEEDED, voxd_voxels_set(engine, p, 0, voxels, (size_t)operation_limit + 1, &err));
  EXPECT(VOXD_ERROR_LIMIT_EXCEEDED, voxd_voxels_remove(engine, p, 0, positions, SIZE_MAX, &err));
  EXPECT(VOXD_ERROR_LIMIT_EXCEEDED, voxd_voxels_get(engine, p, 0, positions, SIZE_MAX, colors, &err));
  EXPECT(VOXD_ERROR_INVALID_ARGUMENT, voxd_voxels_remove(engine, p, 0, NULL, 1, &err));
  EXPECT(VOXD_ERROR_INVALID_ARGUMENT, voxd_voxels_get(engine, p, 0, NULL, 1, colors, &err));
  EXPECT(VOXD_ERROR_INVALID_ARGUMENT, voxd_voxels_get(engine, p, 0, positions, 3, NULL, &err));
  EXPECT(VOXD_ERROR_INVALID_ARGUMENT, voxd_voxels_set(NULL, p, 0, voxels, 3, &err));
  {
    voxd_voxel far[2] = {{0, 0, 0, {1, 2, 3, 255}}, {VOXD_MAX_COORD + 1, 0, 0, {1, 2, 3, 255}}};
    EXPECT(VOXD_ERROR_INVALID_ARGUMENT, voxd_voxels_set(engine, p, 0, far, 2, &err));
    EXPECT(VOXD_ERROR_NOT_FOUND, voxd_voxels_set(engine, p, 4242, voxels, 1, &err));
  }
  CHECK(count_of(engine, p, VOXD_LAYER_VISIBLE) == 62);
  /* An empty batch is valid. */
  EXPECT_OK(voxd_voxels_get(engine, p, 0, NULL, 0, NULL, &err));

  /* clear */
  EXPECT_OK(voxd_layer_clear(engine, p, VOXD_LAYER_ACTIVE, &err));
  CHECK(count_of(engine, p, VOXD_LAYER_VISIBLE) == 0);
  EXPECT(VOXD_ERROR_NOT_FOUND, voxd_layer_clear(engine, p, 4242, &err));
  EXPECT_OK(voxd_project_close(engine, p, &err));
}

static void test_shapes(voxd_engine* engine) {
  voxd_project p = new_project(engine, "shapes");
  const voxd_color red = rgba(200, 0, 0, 255);
  const voxd_color green = rgba(0, 200, 0, 255);
  voxd_shape s = shape(VOXD_SHAPE_BOX, VOXD_BLEND_OVER, box(0, 0, 0, 9, 9, 9), red);
  int64_t changed = -1;
  voxd_color probe[1];
  const voxd_vec3 centre[1] = {{5, 5, 5}};

  EXPECT_OK(voxd_shape_apply(engine, p, 0, &s, &changed, &err));
  CHECK(changed == 1000 && count_of(engine, p, 0) == 1000);

  s = shape(VOXD_SHAPE_SPHERE, VOXD_BLEND_PAINT, box(0, 0, 0, 9, 9, 9), green);
  EXPECT_OK(voxd_shape_apply(engine, p, 0, &s, &changed, &err));
  CHECK(changed > 0 && changed < 1000 && count_of(engine, p, 0) == 1000);
  EXPECT_OK(voxd_voxels_get(engine, p, 0, centre, 1, probe, &err));
  CHECK(same_color(probe[0], green));

  s = shape(VOXD_SHAPE_CYLINDER, VOXD_BLEND_SUBTRACT, box(0, 0, 0, 9, 9, 9), red);
  EXPECT_OK(voxd_shape_apply(engine, p, 0, &s, NULL, &err));
  {
    const int64_t left = count_of(engine, p, 0);
    CHECK(left > 0 && left < 1000);
  }

  /* Misuse. */
  EXPECT(VOXD_ERROR_INVALID_ARGUMENT, voxd_shape_apply(engine, p, 0, NULL, &changed, &err));
  s = shape(7, VOXD_BLEND_OVER, box(0, 0, 0, 1, 1, 1), red);
  EXPECT(VOXD_ERROR_INVALID_ARGUMENT, voxd_shape_apply(engine, p, 0, &s, &changed, &err));
  s = shape(VOXD_SHAPE_BOX, 0, box(0, 0, 0, 1, 1, 1), red);
  EXPECT(VOXD_ERROR_INVALID_ARGUMENT, voxd_shape_apply(engine, p, 0, &s, &changed, &err));
  s = shape(VOXD_SHAPE_BOX, 99, box(0, 0, 0, 1, 1, 1), red);
  EXPECT(VOXD_ERROR_INVALID_ARGUMENT, voxd_shape_apply(engine, p, 0, &s, &changed, &err));
  s = shape(VOXD_SHAPE_BOX, VOXD_BLEND_OVER, box(5, 0, 0, 1, 1, 1), red);
  EXPECT(VOXD_ERROR_INVALID_ARGUMENT, voxd_shape_apply(engine, p, 0, &s, &changed, &err));
  s = shape(VOXD_SHAPE_BOX, VOXD_BLEND_OVER, box(0, 0, 0, 1, 1, 1), red);
  s.struct_size = 3;
  EXPECT(VOXD_ERROR_INVALID_ARGUMENT, voxd_shape_apply(engine, p, 0, &s, &changed, &err));
  s.struct_size = sizeof s + 64;
  EXPECT(VOXD_ERROR_INVALID_ARGUMENT, voxd_shape_apply(engine, p, 0, &s, &changed, &err));
  EXPECT_OK(voxd_layer_clear(engine, p, 0, &err));

  /* line */
  EXPECT_OK(voxd_line_draw(engine, p, 0, vec3(0, 0, 0), vec3(4, 0, 0), red, VOXD_BLEND_OVER, &changed, &err));
  CHECK(changed == 5 && count_of(engine, p, 0) == 5);
  EXPECT(VOXD_ERROR_INVALID_ARGUMENT,
         voxd_line_draw(engine, p, 0, vec3(0, 0, 0), vec3(4, 0, 0), red, 1234, &changed, &err));
  EXPECT(VOXD_ERROR_INVALID_ARGUMENT,
         voxd_line_draw(engine, p, 0, vec3(INT32_MIN, 0, 0), vec3(4, 0, 0), red, VOXD_BLEND_OVER, NULL, &err));

  /* region move: the line moves by 10 on y */
  {
    const voxd_box line = box(0, 0, 0, 4, 0, 0);
    const voxd_vec3 where[2] = {{0, 0, 0}, {0, 10, 0}};
    voxd_color at[2];
    int64_t moved = -1;
    EXPECT_OK(voxd_region_move(engine, p, 0, &line, vec3(0, 10, 0), false, &moved, &err));
    CHECK(moved == 5 && count_of(engine, p, 0) == 5);
    EXPECT_OK(voxd_voxels_get(engine, p, 0, where, 2, at, &err));
    CHECK(at[0].a == 0 && same_color(at[1], red));
    EXPECT(VOXD_ERROR_INVALID_ARGUMENT, voxd_region_move(engine, p, 0, NULL, vec3(0, 1, 0), true, NULL, &err));
  }

  /* flood fill: an empty seed fills empty space inside the bounds */
  EXPECT_OK(voxd_layer_clear(engine, p, 0, &err));
  {
    voxd_flood_fill_options fill;
    int64_t filled = -1;
    memset(&fill, 0, sizeof fill);
    fill.struct_size = sizeof fill;
    fill.seed = vec3(1, 1, 1);
    fill.color = green;
    fill.has_bounds = true;
    fill.bounds = box(0, 0, 0, 3, 3, 3);
    EXPECT_OK(voxd_flood_fill(engine, p, 0, &fill, &filled, &err));
    CHECK(filled == 64 && count_of(engine, p, 0) == 64);
    EXPECT(VOXD_ERROR_INVALID_ARGUMENT, voxd_flood_fill(engine, p, 0, NULL, &filled, &err));
    fill.max_voxels = -1;
    EXPECT(VOXD_ERROR_INVALID_ARGUMENT, voxd_flood_fill(engine, p, 0, &fill, &filled, &err));
    fill.max_voxels = 0;
    fill.bounds = box(3, 3, 3, 0, 0, 0);
    EXPECT(VOXD_ERROR_INVALID_ARGUMENT, voxd_flood_fill(engine, p, 0, &fill, &filled, &err));
  }
  EXPECT_OK(voxd_project_close(engine, p, &err));
}

static void test_layers_and_history(voxd_engine* engine) {
  voxd_project p = new_project(engine, "layers");
  voxd_layer_info layers[8];
  size_t n = 0;
  uint32_t top = 0;
  uint32_t copy = 0;
  uint32_t bottom;
  char name[32];
  size_t len = 0;
  const voxd_voxel v[1] = {{2, 2, 2, {9, 9, 9, 255}}};
  const voxd_voxel w[1] = {{3, 3, 3, {8, 8, 8, 255}}};

  EXPECT_OK(voxd_layer_list(engine, p, NULL, 0, &n, &err));
  CHECK(n == 1);
  EXPECT_OK(voxd_layer_list(engine, p, layers, 8, &n, &err));
  bottom = layers[0].id;
  CHECK(bottom != 0 && layers[0].visible && layers[0].voxel_count == 0);
  EXPECT_OK(voxd_layer_get_name(engine, p, bottom, name, sizeof name, &len, &err));
  CHECK(strcmp(name, "background") == 0 && len == 10);
  {
    /* A new project reports the layer its edits reach, never 0 (fuzz_capi_lifecycle found 0). */
    voxd_project_info info;
    memset(&info, 0, sizeof info);
    info.struct_size = sizeof info;
    EXPECT_OK(voxd_project_get_info(engine, p, &info, &err));
    CHECK(info.active_layer_id == bottom);
  }

  EXPECT_OK(voxd_layer_add(engine, p, "top", 3, &top, &err));
  CHECK(top != 0 && top != bottom);
  EXPECT_OK(voxd_voxels_set(engine, p, VOXD_LAYER_ACTIVE, v, 1, &err)); /* the new layer is active */
  EXPECT_OK(voxd_layer_list(engine, p, layers, 8, &n, &err));
  CHECK(n == 2 && layers[1].id == top && layers[1].voxel_count == 1 && layers[0].voxel_count == 0);
  {
    voxd_project_info info;
    memset(&info, 0, sizeof info);
    info.struct_size = sizeof info;
    EXPECT_OK(voxd_project_get_info(engine, p, &info, &err));
    CHECK(info.struct_size == sizeof info && info.voxel_count == 1 && info.layer_count == 2);
    CHECK(info.active_layer_id == top && info.has_bounding_box && info.bounding_box.min.x == 2 &&
          info.bounding_box.max.z == 2 && info.undo_depth == 2 && info.redo_depth == 0 && info.memory_bytes > 0);
    /* An older caller's smaller struct: only the fields it has are written. */
    memset(&info, 0xAB, sizeof info);
    info.struct_size = offsetof(voxd_project_info, layer_count);
    EXPECT_OK(voxd_project_get_info(engine, p, &info, &err));
    CHECK(info.voxel_count == 1 && info.struct_size == offsetof(voxd_project_info, layer_count));
    CHECK(info.layer_count == 0xABABABABABABABABULL);
    info.struct_size = 0;
    EXPECT(VOXD_ERROR_INVALID_ARGUMENT, voxd_project_get_info(engine, p, &info, &err));
    EXPECT(VOXD_ERROR_INVALID_ARGUMENT, voxd_project_get_info(engine, p, NULL, &err));
  }

  EXPECT_OK(voxd_layer_rename(engine, p, top, "roof", VOXD_NUL_TERMINATED, &err));
  EXPECT_OK(voxd_layer_get_name(engine, p, top, name, sizeof name, &len, &err));
  CHECK(strcmp(name, "roof") == 0);
  EXPECT(VOXD_ERROR_INVALID_ARGUMENT, voxd_layer_rename(engine, p, top, NULL, 4, &err));
  EXPECT(VOXD_ERROR_NOT_FOUND, voxd_layer_rename(engine, p, 999, "x", 1, &err));
  EXPECT(VOXD_ERROR_NOT_FOUND, voxd_layer_get_name(engine, p, 999, name, sizeof name, &len, &err));

  EXPECT_OK(voxd_layer_duplicate(engine, p, top, &copy, &err));
  CHECK(copy != 0 && copy != top && copy != bottom);
  EXPECT_OK(voxd_layer_list(engine, p, layers, 8, &n, &err));
  CHECK(n == 3);
  /* Hidden layers drop out of the merged view. */
  EXPECT_OK(voxd_layer_set_visible(engine, p, copy, false, &err));
  EXPECT_OK(voxd_layer_set_visible(engine, p, top, false, &err));
  CHECK(count_of(engine, p, VOXD_LAYER_VISIBLE) == 0);
  CHECK(count_of(engine, p, copy) == 1);
  EXPECT_OK(voxd_layer_set_visible(engine, p, top, true, &err));
  CHECK(count_of(engine, p, VOXD_LAYER_VISIBLE) == 1);

  EXPECT_OK(voxd_layer_select(engine, p, bottom, &err));
  EXPECT_OK(voxd_voxels_set(engine, p, VOXD_LAYER_ACTIVE, w, 1, &err));
  CHECK(count_of(engine, p, bottom) == 1);
  EXPECT(VOXD_ERROR_NOT_FOUND, voxd_layer_select(engine, p, 999, &err));

  EXPECT_OK(voxd_layer_move(engine, p, bottom, 2, &err));
  EXPECT_OK(voxd_layer_list(engine, p, layers, 8, &n, &err));
  CHECK(n == 3 && layers[2].id == bottom);
  EXPECT(VOXD_ERROR_INVALID_ARGUMENT, voxd_layer_move(engine, p, bottom, SIZE_MAX, &err));

  EXPECT_OK(voxd_layer_merge(engine, p, bottom, top, &err));
  EXPECT_OK(voxd_layer_list(engine, p, layers, 8, &n, &err));
  CHECK(n == 2);
  CHECK(count_of(engine, p, top) == 2);

  EXPECT_OK(voxd_layer_remove(engine, p, copy, &err));
  EXPECT(VOXD_ERROR_NOT_FOUND, voxd_layer_remove(engine, p, copy, &err));
  EXPECT(VOXD_ERROR_INVALID_ARGUMENT, voxd_layer_remove(engine, p, top, &err)); /* the last layer */
  EXPECT(VOXD_ERROR_INVALID_ARGUMENT, voxd_layer_list(engine, p, NULL, 8, &n, &err));
  EXPECT(VOXD_ERROR_INVALID_ARGUMENT, voxd_layer_list(engine, p, layers, 8, NULL, &err));

  /* Undo walks back over the layer edits; redo comes forward again. */
  EXPECT_OK(voxd_project_undo(engine, p, &err)); /* the remove */
  EXPECT_OK(voxd_layer_list(engine, p, layers, 8, &n, &err));
  CHECK(n == 2);
  EXPECT_OK(voxd_project_undo(engine, p, &err)); /* the merge */
  EXPECT_OK(voxd_layer_list(engine, p, layers, 8, &n, &err));
  CHECK(n == 3);
  EXPECT_OK(voxd_project_redo(engine, p, &err));
  EXPECT_OK(voxd_layer_list(engine, p, layers, 8, &n, &err));
  CHECK(n == 2);
  EXPECT_OK(voxd_project_redo(engine, p, &err));
  EXPECT(VOXD_ERROR_NOTHING_TO_DO, voxd_project_redo(engine, p, &err));
  {
    int guard = 0;
    while (voxd_project_undo(engine, p, NULL) == VOXD_OK && guard < 100) {
      ++guard;
    }
    CHECK(guard >= 10);
  }
  EXPECT(VOXD_ERROR_NOTHING_TO_DO, voxd_project_undo(engine, p, &err));
  CHECK(count_of(engine, p, VOXD_LAYER_VISIBLE) == 0);
  EXPECT_OK(voxd_layer_list(engine, p, NULL, 0, &n, &err));
  CHECK(n == 1);
  EXPECT_OK(voxd_project_close(engine, p, &err));
}

static void test_queries(voxd_engine* engine) {
  voxd_project p = new_project(engine, "queries");
  const voxd_voxel v[5] = {{0, 0, 0, {255, 0, 0, 255}},
                           {1, 0, 0, {255, 0, 0, 255}},
                           {2, 0, 0, {255, 0, 0, 255}},
                           {0, 4, -2, {0, 255, 0, 255}},
                           {0, 5, 0, {0, 250, 0, 255}}};
  voxd_box b;
  bool found = true;
  voxd_color_count histogram[4];
  voxd_color colors[4];
  voxd_vec3 where[4];
  size_t n = 0;

  EXPECT_OK(voxd_query_bounding_box(engine, p, 0, &b, &found, &err));
  CHECK(!found);
  EXPECT_OK(voxd_voxels_set(engine, p, 0, v, 5, &err));
  EXPECT_OK(voxd_query_bounding_box(engine, p, 0, &b, &found, &err));
  CHECK(found && b.min.x == 0 && b.min.y == 0 && b.min.z == -2 && b.max.x == 2 && b.max.y == 5 && b.max.z == 0);
  EXPECT(VOXD_ERROR_INVALID_ARGUMENT, voxd_query_bounding_box(engine, p, 0, NULL, &found, &err));
  EXPECT(VOXD_ERROR_INVALID_ARGUMENT, voxd_query_bounding_box(engine, p, 0, &b, NULL, &err));
  EXPECT(VOXD_ERROR_INVALID_ARGUMENT, voxd_query_count(engine, p, 0, NULL, &err));
  EXPECT(VOXD_ERROR_NOT_FOUND, voxd_query_count(engine, p, 77, &histogram[0].count, &err));

  EXPECT_OK(voxd_query_histogram(engine, p, 0, NULL, 0, &n, &err));
  CHECK(n == 3);
  EXPECT_OK(voxd_query_histogram(engine, p, 0, histogram, 1, &n, &err)); /* most frequent first */
  CHECK(n == 3 && histogram[0].count == 3 && same_color(histogram[0].color, rgba(255, 0, 0, 255)));
  EXPECT(VOXD_ERROR_INVALID_ARGUMENT, voxd_query_histogram(engine, p, 0, NULL, 2, &n, &err));

  EXPECT_OK(voxd_query_unique_colors(engine, p, 0, colors, 4, &n, &err));
  CHECK(n == 3);
  EXPECT(VOXD_ERROR_INVALID_ARGUMENT, voxd_query_unique_colors(engine, p, 0, colors, 4, NULL, &err));

  EXPECT_OK(voxd_query_find_color(engine, p, 0, rgba(0, 252, 0, 255), 3, where, 4, &n, &err));
  CHECK(n == 2 && where[0].x == 0 && where[1].x == 0);
  EXPECT_OK(voxd_query_find_color(engine, p, 0, rgba(0, 252, 0, 255), 0, NULL, 0, &n, &err));
  CHECK(n == 0);
  EXPECT(VOXD_ERROR_INVALID_ARGUMENT, voxd_query_find_color(engine, p, 0, rgba(0, 0, 0, 0), 0, NULL, 3, &n, &err));
  EXPECT_OK(voxd_project_close(engine, p, &err));
}

static int starts_with(const voxd_bytes* bytes, const char* prefix, size_t length) {
  return bytes->data != NULL && bytes->size >= length && memcmp(bytes->data, prefix, length) == 0;
}

static void test_files(voxd_engine* engine) {
  voxd_project p = new_project(engine, "files");
  voxd_project q = 0;
  voxd_bytes bytes = {NULL, 0};
  voxd_shape s = shape(VOXD_SHAPE_SPHERE, VOXD_BLEND_OVER, box(-4, -4, -4, 4, 4, 4), rgba(10, 120, 230, 255));
  int64_t voxels;
  static const char* const formats[3] = {"gox", ".vox", "TXT"};
  int i;

  EXPECT_OK(voxd_shape_apply(engine, p, 0, &s, NULL, &err));
  voxels = count_of(engine, p, 0);
  CHECK(voxels > 100);

  /* Round trip through each project format in memory. */
  for (i = 0; i < 3; ++i) {
    char name[16];
    snprintf(name, sizeof name, "copy.%s", formats[i][0] == '.' ? formats[i] + 1 : formats[i]);
    EXPECT_OK(voxd_project_export(engine, p, formats[i], VOXD_NUL_TERMINATED, &bytes, &err));
    CHECK(bytes.data != NULL && bytes.size > 0);
    EXPECT_OK(voxd_project_open_bytes(engine, bytes.data, bytes.size, name, VOXD_NUL_TERMINATED, &q, &err));
    CHECK(count_of(engine, q, 0) == voxels);
    EXPECT_OK(voxd_project_close(engine, q, &err));
    voxd_bytes_free(&bytes);
    CHECK(bytes.data == NULL && bytes.size == 0);
    voxd_bytes_free(&bytes); /* double free is a no-op */
  }

  /* Caller buffer: size query, too small, exact; same bytes as the library-owned export. */
  {
    size_t size = 0;
    uint8_t* buffer;
    EXPECT_OK(voxd_project_export(engine, p, "vox", 3, &bytes, &err));
    EXPECT_OK(voxd_project_export_to_buffer(engine, p, "vox", 3, NULL, 0, &size, &err));
    CHECK(size == bytes.size);
    buffer = (uint8_t*)malloc(size);
    CHECK(buffer != NULL);
    if (buffer != NULL) {
      EXPECT(VOXD_ERROR_LIMIT_EXCEEDED, voxd_project_export_to_buffer(engine, p, "vox", 3, buffer, size - 1, &size, &err));
      EXPECT_OK(voxd_project_export_to_buffer(engine, p, "vox", 3, buffer, size, &size, &err));
      CHECK(size == bytes.size && size > 0 && memcmp(buffer, bytes.data, size) == 0);
      free(buffer);
    }
    EXPECT(VOXD_ERROR_INVALID_ARGUMENT, voxd_project_export_to_buffer(engine, p, "vox", 3, NULL, 10, &size, &err));
    EXPECT(VOXD_ERROR_INVALID_ARGUMENT, voxd_project_export_to_buffer(engine, p, "vox", 3, NULL, 0, NULL, &err));
    voxd_bytes_free(&bytes);
  }

  /* Meshes and the PNG render through export, and through their own functions. */
  EXPECT_OK(voxd_project_export(engine, p, "obj", 3, &bytes, &err));
  CHECK(bytes.size > 0);
  voxd_bytes_free(&bytes);
  EXPECT_OK(voxd_project_export(engine, p, "png", 3, &bytes, &err));
  CHECK(starts_with(&bytes, "\x89PNG", 4));
  voxd_bytes_free(&bytes);
  {
    voxd_mesh_stats stats;
    memset(&stats, 0, sizeof stats);
    EXPECT_OK(voxd_mesh_export(engine, p, VOXD_MESH_PLY, &bytes, &stats, &err));
    CHECK(starts_with(&bytes, "ply", 3));
    /* Two triangles per quad, more where T-junction vertices were added to a quad's edges. */
    CHECK(stats.quads > 0 && stats.triangles >= 2 * stats.quads && stats.unmerged_quads > stats.quads);
    voxd_bytes_free(&bytes);
    EXPECT_OK(voxd_mesh_export(engine, p, VOXD_MESH_STL, &bytes, NULL, &err));
    CHECK(bytes.size > 84);
    voxd_bytes_free(&bytes);
    EXPECT(VOXD_ERROR_INVALID_ARGUMENT, voxd_mesh_export(engine, p, 3, &bytes, NULL, &err));
    EXPECT(VOXD_ERROR_INVALID_ARGUMENT, voxd_mesh_export(engine, p, VOXD_MESH_OBJ, NULL, NULL, &err));
  }
  {
    voxd_render_options options;
    memset(&options, 0, sizeof options);
    options.struct_size = sizeof options;
    options.view = VOXD_VIEW_TOP;
    options.width = 64;
    options.height = 32;
    EXPECT_OK(voxd_render_png(engine, p, &options, &bytes, &err));
    CHECK(starts_with(&bytes, "\x89PNG\r\n\x1a\n", 8));
    /* IHDR: width and height, big-endian, at offsets 16 and 20. */
    CHECK(bytes.size > 24 && bytes.data[19] == 64 && bytes.data[23] == 32);
    voxd_bytes_free(&bytes);
    EXPECT_OK(voxd_render_png(engine, p, NULL, &bytes, &err));
    CHECK(starts_with(&bytes, "\x89PNG", 4));
    voxd_bytes_free(&bytes);
    options.view = 42;
    EXPECT(VOXD_ERROR_INVALID_ARGUMENT, voxd_render_png(engine, p, &options, &bytes, &err));
    options.view = VOXD_VIEW_ISO;
    options.width = 0;
    EXPECT(VOXD_ERROR_INVALID_ARGUMENT, voxd_render_png(engine, p, &options, &bytes, &err));
    options.width = 100000;
    EXPECT(VOXD_ERROR_INVALID_ARGUMENT, voxd_render_png(engine, p, &options, &bytes, &err));
    EXPECT(VOXD_ERROR_INVALID_ARGUMENT, voxd_render_png(engine, p, NULL, NULL, &err));
    CHECK(bytes.data == NULL);

    /* A contact sheet: a 64x32 top view beside a default 512x512 iso (NULL): two cells of 512x512, 4 apart. */
    options.width = 64;
    options.height = 32;
    options.view = VOXD_VIEW_TOP;
    {
      const voxd_render_options* shots[17];
      for (int shot = 0; shot < 17; ++shot) {
        shots[shot] = &options;
      }
      shots[1] = NULL;
      EXPECT_OK(voxd_render_sheet_png(engine, p, shots, 2, &bytes, &err));
      CHECK(starts_with(&bytes, "\x89PNG\r\n\x1a\n", 8));
      CHECK(bytes.size > 24 && bytes.data[18] == ((2 * 512 + 4) >> 8) && bytes.data[19] == ((2 * 512 + 4) & 255));
      CHECK(bytes.data[22] == (512 >> 8) && bytes.data[23] == 0);
      voxd_bytes_free(&bytes);
      EXPECT(VOXD_ERROR_INVALID_ARGUMENT, voxd_render_sheet_png(engine, p, shots, 0, &bytes, &err));
      EXPECT(VOXD_ERROR_INVALID_ARGUMENT, voxd_render_sheet_png(engine, p, shots, 17, &bytes, &err));
      EXPECT(VOXD_ERROR_INVALID_ARGUMENT, voxd_render_sheet_png(engine, p, NULL, 1, &bytes, &err));
      options.width = 4096;
      options.height = 4096;
      EXPECT(VOXD_ERROR_LIMIT_EXCEEDED, voxd_render_sheet_png(engine, p, shots, 3, &bytes, &err));
      options.width = 0;
      EXPECT(VOXD_ERROR_INVALID_ARGUMENT, voxd_render_sheet_png(engine, p, shots, 1, &bytes, &err));
      CHECK(bytes.data == NULL);
      options.width = 64;
      options.height = 32;
    }
  }

  /* Files on disk (the test runs in its build directory). */
  EXPECT_OK(voxd_project_save(engine, p, "capi_test_model.gox", VOXD_NUL_TERMINATED, &err));
  EXPECT_OK(voxd_project_open_file(engine, "capi_test_model.gox", VOXD_NUL_TERMINATED, &q, &err));
  CHECK(count_of(engine, q, 0) == voxels);
  {
    char name[64];
    size_t len = 0;
    EXPECT_OK(voxd_project_get_name(engine, q, name, sizeof name, &len, &err));
    CHECK(strcmp(name, "capi_test_model") == 0);
  }
  EXPECT_OK(voxd_project_close(engine, q, &err));
  EXPECT(VOXD_ERROR_NOT_FOUND, voxd_project_open_file(engine, "no/such/file.gox", VOXD_NUL_TERMINATED, &q, &err));
  EXPECT(VOXD_ERROR_INVALID_ARGUMENT, voxd_project_open_file(engine, "", 0, &q, &err));
  EXPECT(VOXD_ERROR_INVALID_ARGUMENT, voxd_project_open_file(engine, NULL, 5, &q, &err));
  EXPECT(VOXD_ERROR_INVALID_ARGUMENT, voxd_project_open_file(engine, ".", 1, &q, &err));
  EXPECT(VOXD_ERROR_NOT_FOUND, voxd_project_save(engine, p, "no/such/dir/x.gox", VOXD_NUL_TERMINATED, &err));
  EXPECT(VOXD_ERROR_INVALID_ARGUMENT, voxd_project_save(engine, p, "noextension", VOXD_NUL_TERMINATED, &err));
  EXPECT(VOXD_ERROR_UNSUPPORTED, voxd_project_save(engine, p, "x.docx", VOXD_NUL_TERMINATED, &err));
  EXPECT(VOXD_ERROR_UNSUPPORTED, voxd_project_export(engine, p, "docx", 4, &bytes, &err));
  EXPECT(VOXD_ERROR_INVALID_ARGUMENT, voxd_project_export(engine, p, "", 0, &bytes, &err));
  EXPECT(VOXD_ERROR_INVALID_ARGUMENT, voxd_project_export(engine, p, "gox", 3, NULL, &err));

  /* Hostile bytes are a format error, never a crash. */
  {
    static const uint8_t garbage[16] = {'G', 'O', 'X', ' ', 2, 0, 0, 0, 0xff, 0xff, 0xff, 0x7f, 1, 2, 3, 4};
    static const uint8_t vox[12] = {'V', 'O', 'X', ' ', 150, 0, 0, 0, 'M', 'A', 'I', 'N'};
    voxd_status status = voxd_project_open_bytes(engine, garbage, sizeof garbage, "x.gox", 5, &q, &err);
    CHECK(status == VOXD_ERROR_FORMAT || status == VOXD_ERROR_LIMIT_EXCEEDED);
    voxd_error_free(&err);
    EXPECT(VOXD_ERROR_FORMAT, voxd_project_open_bytes(engine, vox, sizeof vox, "x.vox", 5, &q, &err));
    EXPECT(VOXD_ERROR_INVALID_ARGUMENT, voxd_project_open_bytes(engine, NULL, 10, "x.gox", 5, &q, &err));
    EXPECT(VOXD_ERROR_LIMIT_EXCEEDED, voxd_project_open_bytes(engine, garbage, SIZE_MAX, "x.gox", 5, &q, &err));
    EXPECT(VOXD_ERROR_INVALID_ARGUMENT, voxd_project_open_bytes(engine, garbage, 16, "x.gox", 5, NULL, &err));
  }

  /* copy: same voxels, independent history */
  EXPECT_OK(voxd_project_copy(engine, p, "copy", 4, &q, &err));
  CHECK(count_of(engine, q, 0) == voxels);
  EXPECT(VOXD_ERROR_NOTHING_TO_DO, voxd_project_undo(engine, q, &err));
  EXPECT_OK(voxd_project_close(engine, q, &err));
  EXPECT(VOXD_ERROR_STALE_HANDLE, voxd_project_copy(engine, q, "copy", 4, &p, &err));
  EXPECT_OK(voxd_project_close(engine, p, &err));
}

static int same_bytes(const voxd_bytes* a, const voxd_bytes* b) {
  return a->size == b->size && a->size > 0 && memcmp(a->data, b->data, a->size) == 0;
}

/* The render options appended after 0.1.0: defaults for an old struct_size, each option changes the picture,
 * the free camera at the front view's angles is the front view, out-of-range numbers are refused by name. */
static void test_render_options(voxd_engine* engine) {
  voxd_project p = new_project(engine, "render options");
  /* A floor with a pillar: creases for ambient occlusion, a floor for the pillar's shadow. */
  voxd_shape floor_shape = shape(VOXD_SHAPE_BOX, VOXD_BLEND_OVER, box(0, 0, 0, 11, 11, 0), rgba(200, 200, 200, 255));
  voxd_shape pillar = shape(VOXD_SHAPE_BOX, VOXD_BLEND_OVER, box(5, 5, 1, 6, 6, 6), rgba(200, 90, 60, 255));
  voxd_render_options options;
  voxd_bytes with_defaults = {NULL, 0};
  voxd_bytes bytes = {NULL, 0};
  voxd_error* e = NULL;

  EXPECT_OK(voxd_shape_apply(engine, p, 0, &floor_shape, NULL, &err));
  EXPECT_OK(voxd_shape_apply(engine, p, 0, &pillar, NULL, &err));

  memset(&options, 0xAB, sizeof options);
  EXPECT_OK(voxd_render_options_init(&options, &err));
  CHECK(options.struct_size == sizeof options);
  CHECK(options.view == VOXD_VIEW_ISO && options.width == 512 && options.height == 512);
  CHECK(options.yaw == 45.0 && options.pitch > 35.26 && options.pitch < 35.27 && options.distance == 0.0);
  CHECK(options.background == 0 && options.disable_ambient_occlusion == 0 && options.disable_shadows == 0);
  CHECK(options.edges == 0 && options.perspective == 0);
  EXPECT(VOXD_ERROR_INVALID_ARGUMENT, voxd_render_options_init(NULL, &err));

  options.width = 96;
  options.height = 96;
  EXPECT_OK(voxd_render_png(engine, p, &options, &with_defaults, &err));

  /* A caller of the 0.1.0 header: struct_size ends after height; the new fields (garbage here) are not read. */
  CHECK(offsetof(voxd_render_options, yaw) == 24);
  {
    voxd_render_options old_caller;
    memset(&old_caller, 0x5A, sizeof old_caller);
    old_caller.struct_size = offsetof(voxd_render_options, yaw);
    old_caller.view = VOXD_VIEW_ISO;
    old_caller.width = 96;
    old_caller.height = 96;
    EXPECT_OK(voxd_render_png(engine, p, &old_caller, &bytes, &err));
    CHECK(same_bytes(&bytes, &with_defaults));
    voxd_bytes_free(&bytes);
  }
  /* A zero-filled struct is the default look. */
  {
    voxd_render_options zeroed;
    memset(&zeroed, 0, sizeof zeroed);
    zeroed.struct_size = sizeof zeroed;
    zeroed.width = 96;
    zeroed.height = 96;
    EXPECT_OK(voxd_render_png(engine, p, &zeroed, &bytes, &err));
    CHECK(same_bytes(&bytes, &with_defaults));
    voxd_bytes_free(&bytes);
  }
  /* Each option changes the picture. */
  options.disable_ambient_occlusion = 1;
  EXPECT_OK(voxd_render_png(engine, p, &options, &bytes, &err));
  CHECK(bytes.size > 0 && !same_bytes(&bytes, &with_defaults));
  voxd_bytes_free(&bytes);
  options.disable_ambient_occlusion = 0;
  options.disable_shadows = 1;
  EXPECT_OK(voxd_render_png(engine, p, &options, &bytes, &err));
  CHECK(bytes.size > 0 && !same_bytes(&bytes, &with_defaults));
  voxd_bytes_free(&bytes);
  options.disable_shadows = 0;
  {
    /* Edges show where voxels are at least 4 pixels across: a larger picture. */
    voxd_bytes without_edges = {NULL, 0};
    options.width = options.height = 256;
    EXPECT_OK(voxd_render_png(engine, p, &options, &without_edges, &err));
    options.edges = 1;
    EXPECT_OK(voxd_render_png(engine, p, &options, &bytes, &err));
    CHECK(bytes.size > 0 && !same_bytes(&bytes, &without_edges));
    voxd_bytes_free(&bytes);
    voxd_bytes_free(&without_edges);
    options.edges = 0;
    options.width = options.height = 96;
  }
  options.background = 0x204060FFu;
  EXPECT_OK(voxd_render_png(engine, p, &options, &bytes, &err));
  CHECK(bytes.size > 0 && !same_bytes(&bytes, &with_defaults));
  voxd_bytes_free(&bytes);
  options.background = 0;

  /* The free camera at yaw 0, pitch 0 is the front view, pixel for pixel. */
  voxd_bytes_free(&with_defaults);
  options.view = VOXD_VIEW_FRONT;
  EXPECT_OK(voxd_render_png(engine, p, &options, &with_defaults, &err));
  options.view = VOXD_VIEW_FREE;
  options.yaw = 0;
  options.pitch = 0;
  EXPECT_OK(voxd_render_png(engine, p, &options, &bytes, &err));
  CHECK(same_bytes(&bytes, &with_defaults));
  voxd_bytes_free(&bytes);
  voxd_bytes_free(&with_defaults);
  options.perspective = 1;
  options.distance = 30;
  EXPECT_OK(voxd_render_png(engine, p, &options, &bytes, &err));
  CHECK(starts_with(&bytes, "\x89PNG", 4));
  voxd_bytes_free(&bytes);

  /* Out of range: refused by name. */
  options.pitch = 91;
  CHECK(voxd_render_png(engine, p, &options, &bytes, &e) == VOXD_ERROR_INVALID_ARGUMENT);
  CHECK(e != NULL && strstr(voxd_error_message(e), "pitch") != NULL);
  voxd_error_free(&e);
  options.pitch = 0;
  options.yaw = 1000;
  CHECK(voxd_render_png(engine, p, &options, &bytes, &e) == VOXD_ERROR_INVALID_ARGUMENT);
  CHECK(e != NULL && strstr(voxd_error_message(e), "yaw") != NULL);
  voxd_error_free(&e);
  options.yaw = 0;
  options.distance = 0.5;
  CHECK(voxd_render_png(engine, p, &options, &bytes, &e) == VOXD_ERROR_INVALID_ARGUMENT);
  CHECK(e != NULL && strstr(voxd_error_message(e), "distance") != NULL);
  voxd_error_free(&e);
  CHECK(bytes.data == NULL);
  /* A named view ignores the camera's numbers. */
  options.view = VOXD_VIEW_TOP;
  EXPECT_OK(voxd_render_png(engine, p, &options, &bytes, &err));
  voxd_bytes_free(&bytes);
  options.view = 8;
  EXPECT(VOXD_ERROR_INVALID_ARGUMENT, voxd_render_png(engine, p, &options, &bytes, &err));
  options.view = VOXD_VIEW_ISO;
  options.struct_size = sizeof options + 8;
  EXPECT(VOXD_ERROR_INVALID_ARGUMENT, voxd_render_png(engine, p, &options, &bytes, &err));
  EXPECT_OK(voxd_project_close(engine, p, &err));
}

int main(void) {
  voxd_engine* engine = NULL;
  voxd_engine_options options;

  test_version_and_errors();
  test_engine();

  EXPECT_OK(voxd_engine_options_init(&options, &err));
  options.max_voxels_per_operation = 100000;
  EXPECT_OK(voxd_engine_create(&options, &engine, &err));
  if (engine == NULL) {
    return check_report("capi_test");
  }
  test_names(engine);
  test_goxel_crash_sequence(engine);
  test_voxels(engine, options.max_voxels_per_operation);
  test_shapes(engine);
  test_layers_and_history(engine);
  test_queries(engine);
  test_files(engine);
  test_render_options(engine);
  /* Left open on purpose: destroy frees it (the ASan run checks for leaks). */
  (void)new_project(engine, "left open");
  voxd_engine_destroy(&engine);
  CHECK(engine == NULL);
  return check_report("capi_test");
}
