/* The C API of the KTP imaging shim. Every entry point returns a ktp_status; on failure a thread-local message is
 * readable through ktp_last_error() until the next call on the same thread. No C++ exception crosses this boundary.
 * Images are opaque handles (8-bit, 1 channel gray or 3 channels BGR) owned by the caller: free each exactly once
 * with ktp_image_free. Functions never modify their input image. */
#ifndef KTPSHIM_H
#define KTPSHIM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define KTP_API __attribute__((visibility("default")))

typedef enum ktp_status {
    KTP_OK = 0,
    KTP_INVALID_ARGUMENT = 1,
    KTP_DECODE_FAILED = 2,
    KTP_OUT_OF_MEMORY = 3,
    KTP_INTERNAL = 4,
} ktp_status;

typedef struct ktp_image ktp_image;

typedef struct ktp_image_info {
    int32_t width;
    int32_t height;
    int32_t channels; /* 1 = gray, 3 = BGR */
    int32_t stride;   /* bytes per row */
    const uint8_t* data;
} ktp_image_info;

typedef struct ktp_rect {
    int32_t x, y, width, height;
} ktp_rect;

/* Where a card was found. Corners are clockwise (image y grows downward) and the edge corner[0] -> corner[1] is one
 * of the two long sides; which of the two is the card's top is left to the orientation stage. */
typedef struct ktp_card_quad {
    float x[4];
    float y[4];
    double score;   /* 0..1: edge support x shape plausibility of the winning candidate */
    int32_t method; /* KTP_CARD_* */
} ktp_card_quad;

enum { KTP_CARD_FULL_FRAME = 0, KTP_CARD_EDGES = 1, KTP_CARD_COLOUR = 2 };

enum { KTP_THRESHOLD_OTSU = 0, KTP_THRESHOLD_ADAPTIVE = 1 };

typedef struct ktp_line_params {
    int32_t close_width;  /* horizontal closing kernel width in px: bridges letter and word gaps (0 = auto) */
    int32_t min_height;   /* line boxes outside [min_height, max_height] are dropped */
    int32_t max_height;
    int32_t min_width;
} ktp_line_params;

KTP_API const char* ktp_last_error(void);
KTP_API const char* ktp_version(void);

/* Decodes JPEG / PNG / WebP bytes with Leptonica. Damaged JPEG data fails instead of being padded with gray. */
KTP_API ktp_status ktp_decode(const uint8_t* data, size_t length, ktp_image** out);
/* Copies raw 8-bit pixels (1 channel gray, 3 channels BGR) into a new image. */
KTP_API ktp_status ktp_from_pixels(const uint8_t* data, int32_t width, int32_t height, int32_t channels,
                                   int32_t stride, ktp_image** out);
KTP_API void ktp_image_free(ktp_image* image);
KTP_API ktp_status ktp_image_info_get(const ktp_image* image, ktp_image_info* out);

KTP_API ktp_status ktp_gray(const ktp_image* image, ktp_image** out);
/* Rotates clockwise by quarter_turns (0..3), then mirrors left-right when mirror != 0 (covers all EXIF cases). */
KTP_API ktp_status ktp_orient(const ktp_image* image, int32_t quarter_turns, int32_t mirror, ktp_image** out);
KTP_API ktp_status ktp_crop(const ktp_image* image, ktp_rect rect, ktp_image** out);
KTP_API ktp_status ktp_resize(const ktp_image* image, int32_t width, int32_t height, ktp_image** out);

KTP_API ktp_status ktp_find_card(const ktp_image* image, ktp_card_quad* out);
/* Maps the quadrilateral (corner 0 -> top-left, clockwise) onto a width x height image. */
KTP_API ktp_status ktp_warp_quad(const ktp_image* image, const float* xs, const float* ys, int32_t width,
                                 int32_t height, ktp_image** out);

/* Gray image with the card's light-blue background and guilloche lifted to white and dark text kept dark. */
KTP_API ktp_status ktp_normalize_background(const ktp_image* image, ktp_image** out);
/* Binarises to 0 (ink) / 255 (paper). block_size (odd, >= 3) and c apply to the adaptive method only. */
KTP_API ktp_status ktp_threshold(const ktp_image* image, int32_t method, int32_t block_size, double c,
                                 ktp_image** out);
KTP_API ktp_status ktp_clahe(const ktp_image* image, double clip_limit, int32_t tiles, ktp_image** out);
/* Ink fraction (0..1) in each cell of a cols x rows grid over the image, after ktp_threshold-style Otsu. */
KTP_API ktp_status ktp_ink_grid(const ktp_image* image, int32_t cols, int32_t rows, float* cells);

/* Text line boxes inside region (image coordinates), sorted by y. Writes up to capacity boxes and the total
 * number found to *count (call again with a bigger buffer when *count > capacity). */
KTP_API ktp_status ktp_find_text_lines(const ktp_image* image, ktp_rect region, const ktp_line_params* params,
                                       ktp_rect* boxes, int32_t capacity, int32_t* count);

/* PNG bytes of the image; free them with ktp_buffer_free. */
KTP_API ktp_status ktp_encode_png(const ktp_image* image, uint8_t** data, size_t* length);
KTP_API void ktp_buffer_free(uint8_t* data);

#ifdef __cplusplus
}
#endif
#endif
