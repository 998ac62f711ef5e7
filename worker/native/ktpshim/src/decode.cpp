// Decoding and encoding through Leptonica: OpenCV's imgcodecs would drag in GDAL & co. (see NATIVE.md).
#include "shim_internal.hpp"

#include <leptonica/allheaders.h>

#include <memory>
#include <mutex>

namespace {

struct pix_deleter {
    void operator()(PIX* p) const { pixDestroy(&p); }
};
using pix_ptr = std::unique_ptr<PIX, pix_deleter>;

void silence_leptonica() {
    // Leptonica reports bad input on stderr; our caller gets the failure as a status and message instead.
    static std::once_flag once;
    std::call_once(once, [] { setMsgSeverity(L_SEVERITY_NONE); });
}

pix_ptr read_pix(const uint8_t* data, size_t length) {
    l_int32 format = IFF_UNKNOWN;
    if (findFileFormatBuffer(data, &format) != 0) ktp::fail(KTP_DECODE_FAILED, "unrecognised image data");
    PIX* pix = nullptr;
    switch (format) {
        case IFF_JFIF_JPEG: {
            // hint 0: libjpeg's "premature end of data" and friends fail the read instead of padding gray rows.
            l_int32 warnings = 0;
            pix = pixReadMemJpeg(data, length, 0, 1, &warnings, 0);
            if (pix != nullptr && warnings > 0) {
                pixDestroy(&pix);
                ktp::fail(KTP_DECODE_FAILED, "jpeg data is damaged or truncated");
            }
            break;
        }
        case IFF_PNG: pix = pixReadMemPng(data, length); break;
        case IFF_WEBP: pix = pixReadMemWebP(data, length); break;
        default: ktp::fail(KTP_DECODE_FAILED, "unsupported image format");
    }
    if (pix == nullptr) ktp::fail(KTP_DECODE_FAILED, "image data is damaged or truncated");
    return pix_ptr(pix);
}

cv::Mat gray_from_pix(PIX* pix8) {
    const l_int32 w = pixGetWidth(pix8), h = pixGetHeight(pix8), wpl = pixGetWpl(pix8);
    const l_uint32* data = pixGetData(pix8);
    cv::Mat out(h, w, CV_8UC1);
    for (l_int32 y = 0; y < h; ++y) {
        const l_uint32* line = data + static_cast<size_t>(y) * wpl;
        uint8_t* row = out.ptr<uint8_t>(y);
        for (l_int32 x = 0; x < w; ++x) row[x] = static_cast<uint8_t>(GET_DATA_BYTE(line, x));
    }
    return out;
}

cv::Mat bgr_from_pix(PIX* pix32) {
    const l_int32 w = pixGetWidth(pix32), h = pixGetHeight(pix32), wpl = pixGetWpl(pix32);
    const l_uint32* data = pixGetData(pix32);
    cv::Mat out(h, w, CV_8UC3);
    for (l_int32 y = 0; y < h; ++y) {
        const l_uint32* line = data + static_cast<size_t>(y) * wpl;
        uint8_t* row = out.ptr<uint8_t>(y);
        for (l_int32 x = 0; x < w; ++x) {
            // Leptonica keeps RGBA in one 32-bit word, red in the most significant byte.
            const l_uint32 v = line[x];
            row[3 * x + 0] = static_cast<uint8_t>((v >> L_BLUE_SHIFT) & 0xff);
            row[3 * x + 1] = static_cast<uint8_t>((v >> L_GREEN_SHIFT) & 0xff);
            row[3 * x + 2] = static_cast<uint8_t>((v >> L_RED_SHIFT) & 0xff);
        }
    }
    return out;
}

pix_ptr pix_from_mat(const cv::Mat& m) {
    const int w = m.cols, h = m.rows;
    pix_ptr pix(pixCreate(w, h, m.channels() == 1 ? 8 : 32));
    if (!pix) throw std::bad_alloc();
    const l_int32 wpl = pixGetWpl(pix.get());
    l_uint32* data = pixGetData(pix.get());
    for (int y = 0; y < h; ++y) {
        l_uint32* line = data + static_cast<size_t>(y) * wpl;
        const uint8_t* row = m.ptr<uint8_t>(y);
        if (m.channels() == 1) {
            for (int x = 0; x < w; ++x) SET_DATA_BYTE(line, x, row[x]);
        } else {
            for (int x = 0; x < w; ++x)
                composeRGBPixel(row[3 * x + 2], row[3 * x + 1], row[3 * x + 0], &line[x]);
        }
    }
    return pix;
}

} // namespace

extern "C" {

ktp_status ktp_decode(const uint8_t* data, size_t length, ktp_image** out) {
    return ktp::guarded([&] {
        ktp::require(out != nullptr, "out is null");
        *out = nullptr;
        ktp::require(data != nullptr && length > 0, "no image data");
        ktp::require(length >= 12, "image data is too short to be an image");
        silence_leptonica();
        pix_ptr pix = read_pix(data, length);
        if (pixGetColormap(pix.get()) != nullptr) {
            pix_ptr plain(pixRemoveColormap(pix.get(), REMOVE_CMAP_BASED_ON_SRC));
            if (!plain) ktp::fail(KTP_DECODE_FAILED, "cannot expand the colour map");
            pix = std::move(plain);
        }
        const l_int32 depth = pixGetDepth(pix.get());
        if (depth == 1 || depth == 2 || depth == 4 || depth == 16) {
            pix_ptr gray(pixConvertTo8(pix.get(), 0));
            if (!gray) ktp::fail(KTP_DECODE_FAILED, "cannot convert the image to 8-bit gray");
            pix = std::move(gray);
        }
        if (pixGetDepth(pix.get()) == 8) {
            *out = ktp::wrap(gray_from_pix(pix.get()));
            return;
        }
        pix_ptr rgb(pixConvertTo32(pix.get()));
        if (!rgb) ktp::fail(KTP_DECODE_FAILED, "cannot convert the image to RGB");
        if (pixGetSpp(rgb.get()) == 4) {
            // Transparent pixels carry arbitrary colour: composite on white like a viewer would.
            pix_ptr flat(pixAlphaBlendUniform(rgb.get(), 0xffffff00));
            if (!flat) ktp::fail(KTP_DECODE_FAILED, "cannot flatten the alpha channel");
            rgb = std::move(flat);
        }
        *out = ktp::wrap(bgr_from_pix(rgb.get()));
    });
}

ktp_status ktp_encode_png(const ktp_image* image, uint8_t** data, size_t* length) {
    return ktp::guarded([&] {
        ktp::require(data != nullptr && length != nullptr, "out is null");
        *data = nullptr;
        *length = 0;
        silence_leptonica();
        pix_ptr pix = pix_from_mat(ktp::mat_of(image));
        l_uint8* bytes = nullptr;
        size_t size = 0;
        if (pixWriteMem(&bytes, &size, pix.get(), IFF_PNG) != 0 || bytes == nullptr)
            ktp::fail(KTP_INTERNAL, "png encoding failed");
        *data = bytes; // Leptonica's allocation: released by ktp_buffer_free
        *length = size;
    });
}

void ktp_buffer_free(uint8_t* data) {
    if (data != nullptr) lept_free(data);
}

} // extern "C"
