/* deploy_c: the digits model compiled ahead of time, run from plain C.
 *
 * `kiln compile digits.kiln -o DIR --name=digits --no-library-calls` writes
 * DIR/digits.o and DIR/digits.h; this program links them with nothing but
 * libc and libm, reads the test split in the IDX format, classifies every
 * image and prints the accuracy. No Kiln, MLIR or LLVM is involved.
 *
 *   cc -I DIR examples/deploy_c/deploy_c.c DIR/digits.o -lm -o deploy_c
 *   ./deploy_c data/digits/t10k-images-idx3-ubyte data/digits/t10k-labels-idx1-ubyte
 */
#include "digits.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* The exported model takes pixels scaled as training saw them: the digits'
 * 0..16 divided by 16 (kiln::data::MNIST::kDigitsMaxValue). */
#define MAX_PIXEL 16.0f

/* Reads an IDX file of unsigned bytes with `rank` dimensions: its sizes go
 * to `dims`, its data is returned (malloc'ed), or NULL with a message. */
static unsigned char *read_idx(const char *path, int rank, uint32_t *dims) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "deploy_c: cannot open %s\n", path);
    return NULL;
  }
  unsigned char header[4];
  size_t count = 1;
  int ok = fread(header, 1, 4, f) == 4 && header[0] == 0 && header[1] == 0 &&
           header[2] == 0x08 && header[3] == rank;
  for (int i = 0; ok && i < rank; ++i) {
    unsigned char b[4];
    ok = fread(b, 1, 4, f) == 4;
    dims[i] = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
              (uint32_t)b[2] << 8 | b[3];
    count *= dims[i];
  }
  unsigned char *data = ok ? malloc(count ? count : 1) : NULL;
  if (data && fread(data, 1, count, f) != count) {
    free(data);
    data = NULL;
  }
  fclose(f);
  if (!data)
    fprintf(stderr, "deploy_c: %s is not a %d-d IDX file of bytes, or is "
                    "truncated\n", path, rank);
  return data;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: deploy_c IMAGES LABELS (IDX files)\n");
    return 2;
  }
  uint32_t image_dims[3], label_dims[1];
  unsigned char *images = read_idx(argv[1], 3, image_dims);
  unsigned char *labels = read_idx(argv[2], 1, label_dims);
  if (!images || !labels)
    return 1;
  uint32_t n = image_dims[0];
  if (label_dims[0] != n ||
      (int64_t)image_dims[1] * image_dims[2] != DIGITS_INPUT0_NUMEL) {
    fprintf(stderr, "deploy_c: expected %d pixels per image and one label "
                    "per image\n", DIGITS_INPUT0_NUMEL);
    return 1;
  }

  /* One allocation for the model's workspace; digits_run allocates nothing. */
  digits_model *model = NULL;
  int code = digits_create(&model);
  if (code != DIGITS_OK) {
    fprintf(stderr, "deploy_c: %s\n", digits_error_string(code));
    return 1;
  }
  float input[DIGITS_INPUT0_NUMEL], scores[DIGITS_OUTPUT0_NUMEL];
  uint32_t correct = 0;
  for (uint32_t i = 0; i < n; ++i) {
    for (int p = 0; p < DIGITS_INPUT0_NUMEL; ++p)
      input[p] = images[(size_t)i * DIGITS_INPUT0_NUMEL + p] / MAX_PIXEL;
    code = digits_run(model, input, scores);
    if (code != DIGITS_OK) {
      fprintf(stderr, "deploy_c: %s\n", digits_error_string(code));
      return 1;
    }
    int best = 0; /* argmax; ties go to the lower class, as in Kiln */
    for (int c = 1; c < DIGITS_OUTPUT0_NUMEL; ++c)
      if (scores[c] > scores[best])
        best = c;
    correct += best == labels[i];
  }
  digits_destroy(model);
  printf("deploy_c: test accuracy %.4f (%u/%u) with the AOT-compiled model\n",
         (double)correct / n, correct, n);
  free(images);
  free(labels);
  return 0;
}
