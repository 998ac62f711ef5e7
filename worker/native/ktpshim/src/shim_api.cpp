// Handle lifetime, error reporting and the simple geometric operations.
#include "shim_internal.hpp"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <mutex>
#include <vector>

namespace {
thread_local std::string last_error;
}

namespace ktp {
void set_error(const std::string& message) { last_error = message; }
void clear_error() { last_error.clear(); }

void ensure_initialised() {
    // Workers run one pipeline per core; OpenCV's own thread pool (TBB) on top of that only oversubscribes.
    static std::once_flag once;
    std::call_once(once, [] { cv::setNumThreads(1); });
}

cv::Mat to_gray(const cv::Mat& m) {
    if (m.channels() == 1) return m;
    cv::Mat gray;
    cv::cvtColor(m, gray, cv::COLOR_BGR2GRAY);
    return gray;
}
} // namespace ktp

using namespace ktp;

extern "C" {

const char* ktp_last_error(void) { return last_error.c_str(); }

const char* ktp_version(void) { return "ktpshim 1 (opencv " CV_VERSION ")"; }

void ktp_image_free(ktp_image* image) { delete image; }

ktp_status ktp_image_info_get(const ktp_image* image, ktp_image_info* out) {
    return guarded([&] {
        const cv::Mat& m = mat_of(image);
        require(out != nullptr, "out is null");
        out->width = m.cols;
        out->height = m.rows;
        out->channels = m.channels();
        out->stride = static_cast<int32_t>(m.step[0]);
        out->data = m.data;
    });
}

ktp_status ktp_from_pixels(const uint8_t* data, int32_t width, int32_t height, int32_t channels, int32_t stride,
                           ktp_image** out) {
    return guarded([&] {
        require(out != nullptr, "out is null");
        *out = nullptr;
        require(data != nullptr, "data is null");
        require(width > 0 && height > 0, "width and height must be positive");
        require(channels == 1 || channels == 3, "channels must be 1 or 3");
        require(stride >= width * channels, "stride is smaller than a row");
        cv::Mat view(height, width, CV_8UC(channels), const_cast<uint8_t*>(data), static_cast<size_t>(stride));
        *out = wrap(view.clone());
    });
}

ktp_status ktp_gray(const ktp_image* image, ktp_image** out) {
    return guarded([&] {
        require(out != nullptr, "out is null");
        *out = nullptr;
        *out = wrap(to_gray(mat_of(image)).clone());
    });
}

ktp_status ktp_orient(const ktp_image* image, int32_t quarter_turns, int32_t mirror, ktp_image** out) {
    return guarded([&] {
        require(out != nullptr, "out is null");
        *out = nullptr;
        require(quarter_turns >= 0 && quarter_turns <= 3, "quarter_turns must be 0..3");
        const cv::Mat& m = mat_of(image);
        cv::Mat turned;
        switch (quarter_turns) {
            case 1: cv::rotate(m, turned, cv::ROTATE_90_CLOCKWISE); break;
            case 2: cv::rotate(m, turned, cv::ROTATE_180); break;
            case 3: cv::rotate(m, turned, cv::ROTATE_90_COUNTERCLOCKWISE); break;
            default: turned = m.clone(); break;
        }
        if (mirror) {
            cv::Mat mirrored;
            cv::flip(turned, mirrored, 1);
            turned = mirrored;
        }
        *out = wrap(turned);
    });
}

ktp_status ktp_crop(const ktp_image* image, ktp_rect rect, ktp_image** out) {
    return guarded([&] {
        require(out != nullptr, "out is null");
        *out = nullptr;
        const cv::Mat& m = mat_of(image);
        require(rect.width > 0 && rect.height > 0, "crop rectangle is empty");
        require(rect.x >= 0 && rect.y >= 0 && rect.x + rect.width <= m.cols && rect.y + rect.height <= m.rows,
                "crop rectangle lies outside the image");
        *out = wrap(m(cv::Rect(rect.x, rect.y, rect.width, rect.height)).clone());
    });
}

ktp_status ktp_resize(const ktp_image* image, int32_t width, int32_t height, ktp_image** out) {
    return guarded([&] {
        require(out != nullptr, "out is null");
        *out = nullptr;
        const cv::Mat& m = mat_of(image);
        require(width > 0 && height > 0 && width <= 65535 && height <= 65535, "target size out of range");
        cv::Mat resized;
        bool shrinking = width < m.cols && height < m.rows;
        cv::resize(m, resized, cv::Size(width, height), 0, 0, shrinking ? cv::INTER_AREA : cv::INTER_CUBIC);
        *out = wrap(resized);
    });
}

ktp_status ktp_warp_quad(const ktp_image* image, const float* xs, const float* ys, int32_t width, int32_t height,
                         ktp_image** out) {
    return guarded([&] {
        require(out != nullptr, "out is null");
        *out = nullptr;
        require(xs != nullptr && ys != nullptr, "corners are null");
        require(width > 0 && height > 0 && width <= 16384 && height <= 16384, "target size out of range");
        cv::Mat m = mat_of(image);
        std::vector<cv::Point2f> src(4);
        for (int i = 0; i < 4; ++i) {
            require(std::isfinite(xs[i]) && std::isfinite(ys[i]), "corner is not finite");
            src[i] = cv::Point2f(xs[i], ys[i]);
        }
        require(std::abs(cv::contourArea(src)) >= 16.0, "quadrilateral is degenerate");
        // Warping a much larger card straight down aliases text strokes: shrink with area averaging first.
        double side = std::max({cv::norm(src[1] - src[0]), cv::norm(src[2] - src[1]), cv::norm(src[3] - src[2]),
                                cv::norm(src[0] - src[3])});
        double factor = side / std::max(width, height);
        if (factor > 2.0) {
            // Only the card's bounding box needs shrinking, not the whole photo.
            cv::Rect box = cv::boundingRect(src) & cv::Rect(0, 0, m.cols, m.rows);
            if (box.area() > 0) {
                double s = 1.5 / factor;
                cv::Mat smaller;
                cv::resize(m(box), smaller, cv::Size(), s, s, cv::INTER_AREA);
                for (auto& p : src) p = (p - cv::Point2f(static_cast<float>(box.x), static_cast<float>(box.y))) * static_cast<float>(s);
                m = smaller;
            }
        }
        std::vector<cv::Point2f> dst = {{0.f, 0.f},
                                        {static_cast<float>(width), 0.f},
                                        {static_cast<float>(width), static_cast<float>(height)},
                                        {0.f, static_cast<float>(height)}};
        cv::Mat transform = cv::getPerspectiveTransform(src, dst);
        cv::Mat warped;
        cv::warpPerspective(m, warped, transform, cv::Size(width, height), cv::INTER_LINEAR, cv::BORDER_REPLICATE);
        *out = wrap(warped);
    });
}

} // extern "C"
