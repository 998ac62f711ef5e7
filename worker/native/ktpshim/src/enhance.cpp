// Pixel-level clean-up for recognition: background lifting, binarisation, local contrast, coarse ink maps.
#include "shim_internal.hpp"

#include <opencv2/imgproc.hpp>

#include <algorithm>

namespace {

// Per pixel, the mean of the two brightest of B, G, R. Like the maximum channel, it separates coloured print from
// black text (the card's light-blue background, guilloche and globe are bright in blue and green; black ink is dark in
// every channel), whatever the print's hue or the light's tint; averaging two channels halves the variance of sensor
// noise and JPEG chroma artefacts that the maximum of three amplifies. Measured on 30 photo-profile cards: fields
// exact 71.1% (maximum) -> 72.3%.
cv::Mat brightest_two(const cv::Mat& m) {
    if (m.channels() == 1) return m;
    cv::Mat out(m.size(), CV_8U);
    const int step = m.channels();
    for (int y = 0; y < m.rows; ++y) {
        const uint8_t* p = m.ptr<uint8_t>(y);
        uint8_t* o = out.ptr<uint8_t>(y);
        for (int x = 0; x < m.cols; ++x) {
            const int b = p[step * x], g = p[step * x + 1], r = p[step * x + 2];
            o[x] = static_cast<uint8_t>((b + g + r - std::min({b, g, r}) + 1) / 2);
        }
    }
    return out;
}

cv::Mat ink_mask(const cv::Mat& m) { // 255 = ink
    cv::Mat gray = ktp::to_gray(m), mask;
    cv::threshold(gray, mask, 0, 255, cv::THRESH_BINARY_INV | cv::THRESH_OTSU);
    return mask;
}

} // namespace

extern "C" {

ktp_status ktp_normalize_background(const ktp_image* image, ktp_image** out) {
    return ktp::guarded([&] {
        ktp::require(out != nullptr, "out is null");
        *out = nullptr;
        const cv::Mat& m = ktp::mat_of(image);
        cv::Mat value = brightest_two(m);
        // Closing erases dark strokes thinner than the kernel and leaves the local paper brightness (glare, shadow,
        // vignetting); dividing by it flattens the light to white while text keeps its contrast.
        int k = std::max(15, std::min(m.cols, m.rows) / 40) | 1;
        cv::Mat background;
        cv::morphologyEx(value, background, cv::MORPH_CLOSE,
                         cv::getStructuringElement(cv::MORPH_RECT, cv::Size(k, k)));
        cv::blur(background, background, cv::Size(k, k));
        cv::Mat normalized;
        cv::divide(value, background, normalized, 255.0, CV_8U);
        // Residual guilloche sits just below white: push the top of the range to white, keep the dark end.
        cv::Mat stretched;
        normalized.convertTo(stretched, CV_8U, 255.0 / 225.0, 0.0);
        *out = ktp::wrap(stretched);
    });
}

ktp_status ktp_threshold(const ktp_image* image, int32_t method, int32_t block_size, double c, ktp_image** out) {
    return ktp::guarded([&] {
        ktp::require(out != nullptr, "out is null");
        *out = nullptr;
        cv::Mat gray = ktp::to_gray(ktp::mat_of(image)), binary;
        if (method == KTP_THRESHOLD_OTSU) {
            cv::threshold(gray, binary, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
        } else if (method == KTP_THRESHOLD_ADAPTIVE) {
            ktp::require(block_size >= 3 && block_size % 2 == 1, "block_size must be odd and >= 3");
            cv::adaptiveThreshold(gray, binary, 255, cv::ADAPTIVE_THRESH_GAUSSIAN_C, cv::THRESH_BINARY, block_size, c);
        } else {
            ktp::fail(KTP_INVALID_ARGUMENT, "unknown threshold method");
        }
        *out = ktp::wrap(binary);
    });
}

ktp_status ktp_clahe(const ktp_image* image, double clip_limit, int32_t tiles, ktp_image** out) {
    return ktp::guarded([&] {
        ktp::require(out != nullptr, "out is null");
        *out = nullptr;
        ktp::require(clip_limit > 0 && clip_limit <= 100, "clip_limit must be in (0, 100]");
        ktp::require(tiles >= 1 && tiles <= 64, "tiles must be 1..64");
        cv::Mat gray = ktp::to_gray(ktp::mat_of(image)), result;
        cv::createCLAHE(clip_limit, cv::Size(tiles, tiles))->apply(gray, result);
        *out = ktp::wrap(result);
    });
}

ktp_status ktp_ink_grid(const ktp_image* image, int32_t cols, int32_t rows, float* cells) {
    return ktp::guarded([&] {
        ktp::require(cells != nullptr, "cells is null");
        ktp::require(cols >= 1 && rows >= 1 && cols <= 1024 && rows <= 1024, "grid size out of range");
        cv::Mat mask = ink_mask(ktp::mat_of(image)), grid;
        cv::resize(mask, grid, cv::Size(cols, rows), 0, 0, cv::INTER_AREA);
        for (int y = 0; y < rows; ++y)
            for (int x = 0; x < cols; ++x) cells[y * cols + x] = grid.at<uint8_t>(y, x) / 255.0f;
    });
}

} // extern "C"
