/* A minimal check harness for the plain-C tests of voxd.h: no C++ anywhere, so the header is proven C. */
#ifndef VOXD_TESTS_CAPI_CHECK_H
#define VOXD_TESTS_CAPI_CHECK_H

#include <stdio.h>
#include <string.h>

#include "voxd/voxd.h"

static int check_failures = 0;

#define CHECK(cond)                                                            \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      ++check_failures;                                                        \
    }                                                                          \
  } while (0)

/* Checks a status and the error object contract: NULL on success; on failure an object with the same code and
 * a non-empty message. Frees the error. */
static void check_status(const char* file, int line, const char* text, voxd_status expected, voxd_status got,
                         voxd_error** error) {
  if (got != expected) {
    fprintf(stderr, "%s:%d: %s\n  expected %s, got %s: %s\n", file, line, text, voxd_status_name(expected),
            voxd_status_name(got), voxd_error_message(*error));
    ++check_failures;
  }
  if (got == VOXD_OK && *error != NULL) {
    fprintf(stderr, "%s:%d: %s\n  error object set on success\n", file, line, text);
    ++check_failures;
  }
  if (got != VOXD_OK) {
    if (*error == NULL) {
      fprintf(stderr, "%s:%d: %s\n  no error object on failure\n", file, line, text);
      ++check_failures;
    } else if (voxd_error_code(*error) != got || voxd_error_message(*error)[0] == '\0') {
      fprintf(stderr, "%s:%d: %s\n  error object has code %d and message '%s'\n", file, line, text,
              (int)voxd_error_code(*error), voxd_error_message(*error));
      ++check_failures;
    }
  }
  voxd_error_free(error);
}

/* EXPECT(status, call): `call` passes &err as its error argument; err must be a voxd_error* set to NULL. */
#define EXPECT(expected, call) check_status(__FILE__, __LINE__, #call, (expected), (call), &err)
#define EXPECT_OK(call) EXPECT(VOXD_OK, call)

static int check_report(const char* program) {
  if (check_failures != 0) {
    fprintf(stderr, "%s: %d check(s) failed\n", program, check_failures);
    return 1;
  }
  printf("%s: all checks passed\n", program);
  return 0;
}

#endif /* VOXD_TESTS_CAPI_CHECK_H */
